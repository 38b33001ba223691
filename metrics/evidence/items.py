"""Evidence items: what families, young people, front-line staff and partners tell us, dated
and tied to the charter statements (and optionally the indicators) it speaks to.

Saving needs one of the authors' roles and the author's confirmation that the item holds no
personal data; likely personal data (metrics/evidence/personal.py) must be looked at and
confirmed again before it is saved. Items are withdrawn with a reason, never deleted; both
are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from charter import Charter
from metrics import text_limits
from metrics.access import audit
from metrics.access.people import ANALYST, CHAIR, MEMBER, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain as review_plain, writing
from metrics.dates import long_date
from metrics.evidence.attachments import Attachment, EvidenceError
from metrics.evidence.personal import warnings
from metrics.store import evidence as stored, once
from metrics.store.connection import Store

KINDS = {
    "family-voice": "Family or young person's voice",
    "survey": "Parent carer survey result",
    "front-line-visit": "Front-line visit",
    "case-study": "Case study",
    "partner-feedback": "Partner feedback",
    "audit-finding": "Audit or inspection finding",
}
AUTHORS = frozenset({ANALYST, MEMBER, CHAIR})
RECENT = timedelta(days=366)  # "recent" evidence: within a year of the quarter's end
MAX_SOURCE = text_limits.SOURCE


def plain(text: str | None, what: str, limit: int = text_limits.PARAGRAPH) -> str:
    """User text as stored (stripped, not empty, not too long), or EvidenceError."""
    try:
        return review_plain(text, what, limit=limit)
    except ReviewError as err:
        raise EvidenceError(str(err)) from None


@dataclass(frozen=True)
class Survey:
    """A survey question's result: how many answered and the percentage who agreed."""

    question: str
    answered: int
    agreed_share: float


@dataclass(frozen=True)
class EvidenceItem:
    evidence_id: int
    kind: str
    source: str
    summary: str
    evidence_date: date
    statements: tuple[int, ...]
    indicators: tuple[str, ...]
    survey: Survey | None
    created_by: str
    created_at: datetime
    withdrawn_at: datetime | None
    withdrawn_why: str | None
    attachment: tuple[str, str, int] | None  # file name, media type, bytes

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def headline(self) -> str:
        """'Parent carer survey result, 12 March 2026 (Parent carer forum survey)'."""
        return f"{self.kind_name}, {long_date(self.evidence_date)} ({self.source})"

    def survey_words(self) -> str:
        s = self.survey
        if s is None:
            return ""
        return result_words(s.question, s.answered, s.agreed_share)


def result_words(question: str, answered: int, agreed_share: float) -> str:
    """A survey's result in a sentence (metrics/publish/policy.py says when it is withheld)."""
    return f"\u201c{question}\u201d: {agreed_share:g}% of {answered:,} agreed."


def _check(
    charter: Charter,
    kind: str,
    on: date,
    statements: list[int],
    indicators: list[str],
    survey: Survey | None,
    today: date,
) -> None:
    if kind not in KINDS:
        raise EvidenceError(
            f"An evidence item's kind is one of: {', '.join(KINDS)} (not {kind!r})."
        )
    if on > today:
        raise EvidenceError(
            f"The date {long_date(on)} is in the future: give the day it was heard."
        )
    if not statements:
        raise EvidenceError("Say which charter statement (or statements) the evidence speaks to.")
    numbers = {s.number for s in charter.statements}
    unknown = [str(n) for n in statements if n not in numbers]
    if unknown:
        raise EvidenceError(f"There is no statement {', '.join(unknown)} in the charter.")
    missing = [i for i in indicators if i not in charter.indicators]
    if missing:
        raise EvidenceError(f"Unknown indicator: {', '.join(missing)}.")
    if kind == "survey":
        if survey is None:
            raise EvidenceError(
                "A survey result needs its question, how many answered and the share who agreed."
            )
        plain(survey.question, "the survey question", text_limits.TITLE)
        if survey.answered < 1:
            raise EvidenceError("How many answered must be at least 1.")
        if not 0 <= survey.agreed_share <= 100:
            raise EvidenceError(
                f"The share who agreed is a percentage from 0 to 100 (not {survey.agreed_share:g})."
            )
    elif survey is not None:
        raise EvidenceError("Only a survey result has a question, answers and a share agreed.")


@one_after_the_other
def add(
    store: Store,
    charter: Charter,
    actor: Actor,
    *,
    kind: str,
    source: str,
    summary: str,
    on: date,
    statements: list[int],
    indicators: list[str] | None = None,
    survey: Survey | None = None,
    no_personal_data: bool = False,
    despite_warnings: bool = False,
    attachment: Attachment | None = None,
    today: date | None = None,
    token: str | None = None,
) -> int:
    """Save an evidence item; returns its number (the first one's again, saving nothing, for
    a form sent twice: `token`)."""
    require(actor, AUTHORS, "add evidence")
    source = plain(source, "where the evidence came from")
    if len(source) > MAX_SOURCE:
        raise EvidenceError(f"Shorten the source to {MAX_SOURCE} characters.")
    summary = plain(summary, "a short summary")
    links = list(dict.fromkeys(indicators or []))
    numbers = list(dict.fromkeys(statements))
    _check(charter, kind, on, numbers, links, survey, today or date.today())
    if survey is not None:
        survey = Survey(plain(survey.question, "the survey question", text_limits.TITLE),
                        survey.answered,
                        round(survey.agreed_share, 1))  # fmt: skip
    found = warnings(source, summary, survey.question if survey else None)
    if not no_personal_data:
        raise EvidenceError("Confirm that the evidence holds no personal data before saving it.")
    if found and not despite_warnings:
        raise EvidenceError(
            "It may hold personal data: "
            + " ".join(w.sentence() for w in found)
            + " Take it out, or confirm that it is not personal data."
        )
    now = datetime.now()
    with writing(store, "the evidence") as con:
        if (earlier := once.made_before(con, token, "evidence")) is not None:
            return earlier
        ident = stored.next_evidence_id(con)
        stored.add_item(
            con,
            {
                "id": ident, "kind": kind, "source": source, "summary": summary, "on": on,
                "statements": ",".join(map(str, numbers)), "indicators": ",".join(links),
                "question": survey.question if survey else None,
                "answered": survey.answered if survey else None,
                "share": survey.agreed_share if survey else None,
                "warnings": " ".join(w.sentence() for w in found), "by": actor.label, "at": now,
            },
        )  # fmt: skip
        if attachment is not None:
            stored.add_attachment(con, ident, attachment.file_name, attachment.media_type,
                                  attachment.content)  # fmt: skip
        what = f"{KINDS[kind]}, {long_date(on)}, statements {', '.join(map(str, numbers))}"
        if attachment is not None:
            what += f"; attached {attachment.file_name} ({attachment.size:,} bytes)"
        if found:
            what += f"; saved despite {len(found)} personal-data warning(s), confirmed"
        audit.record(con, actor, "evidence added", f"evidence {ident}", what, after=summary,
                     at=now)  # fmt: skip
        once.remember(con, token, "evidence", ident, actor.label, now)
    return ident


@one_after_the_other
def withdraw(store: Store, actor: Actor, evidence_id: int, reason: str) -> None:
    """Take an item out of every page and pack, keeping it (and why) for the record."""
    require(actor, AUTHORS, "withdraw evidence")
    why = plain(reason, "why the evidence is withdrawn", text_limits.REASON)
    now = datetime.now()
    with writing(store, "the evidence") as con:
        found = stored.item(con, evidence_id)
        if found is None:
            raise EvidenceError(f"There is no evidence item {evidence_id}.")
        if found[2] is not None:
            raise EvidenceError(f"Evidence item {evidence_id} is already withdrawn.")
        stored.withdraw(con, evidence_id, actor.label, now, why)
        audit.record(con, actor, "evidence withdrawn", f"evidence {evidence_id}", why,
                     before=found[1], after="withdrawn", at=now)  # fmt: skip


def listed(
    store: Store,
    *,
    statement: int | None = None,
    indicator: str | None = None,
    kind: str | None = None,
    until: date | None = None,
    withdrawn: bool = False,
) -> list[EvidenceItem]:
    """Evidence items, newest first: those about a statement or indicator, dated by `until`."""
    with store.connect() as con:
        rows = stored.items(con, withdrawn)
    out = []
    for r in rows:
        survey = Survey(r[7], int(r[8]), float(r[9])) if r[7] is not None else None
        item = EvidenceItem(
            r[0], r[1], r[2], r[3], r[4], tuple(int(n) for n in r[5].split(",") if n),
            tuple(i for i in r[6].split(",") if i), survey, r[10], r[11], r[12], r[13],
            (r[14], r[15], int(r[16])) if r[14] is not None else None,
        )  # fmt: skip
        if statement is not None and statement not in item.statements:
            continue
        if indicator is not None and indicator not in item.indicators:
            continue
        if kind is not None and item.kind != kind:
            continue
        if until is not None and item.evidence_date > until:
            continue
        out.append(item)
    return out


def recent(items: list[EvidenceItem], end: date) -> list[EvidenceItem]:
    """Items dated within a year before `end` (a quarter's last day), newest first."""
    return [i for i in items if end - RECENT <= i.evidence_date <= end]


def as_json(item: EvidenceItem) -> dict[str, object]:
    return {
        "id": item.evidence_id,
        "kind": item.kind,
        "kind_name": item.kind_name,
        "date": item.evidence_date.isoformat(),
        "source": item.source,
        "summary": item.summary,
        "statements": list(item.statements),
        "indicators": list(item.indicators),
        "survey": None
        if item.survey is None
        else {
            "question": item.survey.question,
            "answered": item.survey.answered,
            "agreed_share": item.survey.agreed_share,
        },
        "attachment": None
        if item.attachment is None
        else {"file_name": item.attachment[0], "media_type": item.attachment[1],
              "bytes": item.attachment[2]},
        "added_by": item.created_by,
        "added_at": item.created_at.isoformat(timespec="seconds"),
        "withdrawn": item.withdrawn_why,
    }  # fmt: skip
