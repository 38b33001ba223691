"""The leadership self-review: at each review point (a date, e.g. every six months) leaders
answer the charter's questions (charter/self_review.yaml) with their confidence, the evidence
for it (links to indicators, evidence items and actions) and what they will do.

Planning-group members and the chair answer; the chair opens a review point and signs it off,
which freezes its answers. A changed answer is a new version; every answer is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from charter import Charter
from metrics.access import audit
from metrics.access.people import CHAIR, MEMBER, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.dates import long_date
from metrics.store import actions, leadership as stored
from metrics.store.connection import Connection, Store

CONFIDENCE = ("not", "partly", "mostly", "fully")
CONFIDENCE_WORDS = {c: f"{c.capitalize()} confident" for c in CONFIDENCE}
LOW = ("not", "partly")  # below "mostly confident"
ANSWERERS = frozenset({MEMBER, CHAIR})
CHAIRS = frozenset({CHAIR})
OPEN, SIGNED_OFF = "open", "signed off"
LINK_KINDS = ("indicator", "evidence", "action")


@dataclass(frozen=True)
class Point:
    held_on: date
    state: str
    opened_by: str
    opened_at: datetime
    signed_off_by: str | None
    signed_off_at: datetime | None

    @property
    def label(self) -> str:
        return f"{self.held_on.day} {self.held_on:%B %Y}"


@dataclass(frozen=True)
class Answer:
    held_on: date
    question_id: str
    version: int
    confidence: str
    links: tuple[str, ...]  # "indicator:<id>", "evidence:<n>", "action:<n>"
    will_do: str
    answered_by: str
    answered_at: datetime

    def linked(self, kind: str) -> list[str]:
        return [link.split(":", 1)[1] for link in self.links if link.startswith(f"{kind}:")]

    @property
    def low(self) -> bool:
        return self.confidence in LOW


def link_words(
    link: str, charter: Charter, evidence: Mapping[int, str], actions: Mapping[int, str]
) -> str:
    """A link in words: 'Measure: ...', 'Evidence 8: <its headline>', 'Action #1: <title>'
    (`evidence` and `actions` map numbers to headline and title)."""
    kind, _, key = link.partition(":")
    if kind == "indicator" and key in charter.indicators:
        return f"Measure: {charter.indicators[key].title}"
    if kind == "evidence" and key.isdigit() and int(key) in evidence:
        return f"Evidence {key}: {evidence[int(key)]}"
    if kind == "action" and key.isdigit() and int(key) in actions:
        return f"Action #{key}: {actions[int(key)]}"
    return link


def points(store: Store) -> list[Point]:
    """Every review point, oldest first."""
    with store.connect() as con:
        return [Point(*r) for r in stored.points(con)]


@one_after_the_other
def open_point(store: Store, actor: Actor, held_on: date) -> None:
    """Start a review point on a date; a later one cannot be started while one is open."""
    require(actor, {CHAIR}, "open a self-review point")
    now = datetime.now()
    with writing(store, "the self-review") as con:
        if stored.point_state(con, held_on) is not None:
            raise ReviewError(f"There is already a self-review point on {long_date(held_on)}.")
        still = stored.open_points(con)
        if still:
            raise ReviewError(
                f"The self-review of {long_date(still[0])} is still open: sign it off first."
            )
        stored.open_point(con, held_on, actor.label, now)
        audit.record(con, actor, "self-review opened", f"self-review {held_on.isoformat()}",
                     "Review point opened", after=OPEN, at=now)  # fmt: skip


def _links(con: Connection, charter: Charter, links: list[str]) -> list[str]:
    out = []
    for link in dict.fromkeys(x.strip() for x in links if x.strip()):
        kind, _, key = link.partition(":")
        if kind not in LINK_KINDS:
            raise ReviewError(f"Link {link!r}: say indicator:<id>, evidence:<n> or action:<n>.")
        if kind == "indicator":
            if key not in charter.indicators:
                raise ReviewError(f"There is no indicator {key!r} in the charter.")
        elif not key.isdigit() or not _known(con, kind, int(key)):
            raise ReviewError(f"There is no {kind} {key!r}.")
        out.append(f"{kind}:{key}")
    return out


def _known(con: Connection, kind: str, number: int) -> bool:
    if kind == "evidence":
        return stored.evidence_in_use(con, number)
    return actions.exists(con, number)


@one_after_the_other
def answer(
    store: Store,
    charter: Charter,
    actor: Actor,
    held_on: date,
    question_id: str,
    confidence: str,
    links: list[str],
    will_do: str,
) -> int:
    """Record (or change) an answer at an open review point; returns its version."""
    require(actor, ANSWERERS, "answer the self-review")
    try:
        charter.question(question_id)
    except KeyError:
        raise ReviewError(f"There is no self-review question {question_id!r}.") from None
    if confidence not in CONFIDENCE:
        raise ReviewError(f"Confidence is one of: {', '.join(CONFIDENCE)} (not {confidence!r}).")
    will_do = plain(will_do, "what you will do")
    now = datetime.now()
    with writing(store, "the self-review") as con:
        state = stored.point_state(con, held_on)
        if state is None:
            raise ReviewError(f"There is no self-review point on {long_date(held_on)}.")
        if state == SIGNED_OFF:
            raise ReviewError(
                f"The self-review of {long_date(held_on)} is signed off: its answers are frozen."
            )
        kept = _links(con, charter, links)
        version, before = stored.last_answer(con, held_on, question_id)
        stored.add_answer(con, held_on, question_id, version + 1, confidence=confidence,
                          links=",".join(kept), will_do=will_do, by=actor.label,
                          at=now)  # fmt: skip
        audit.record(
            con, actor, "self-review answered", f"self-review {held_on.isoformat()}: {question_id}",
            f"{CONFIDENCE_WORDS[confidence]}. Will do: {will_do}",
            before=CONFIDENCE_WORDS.get(before or "", ""), after=CONFIDENCE_WORDS[confidence],
            at=now,
        )  # fmt: skip
    return int(version) + 1


@one_after_the_other
def sign_off(store: Store, charter: Charter, actor: Actor, held_on: date) -> None:
    """Freeze a review point. Every question must have an answer first."""
    require(actor, {CHAIR}, "sign off the self-review")
    asked = charter.question_ids()
    now = datetime.now()
    with writing(store, "the self-review") as con:
        state = stored.point_state(con, held_on)
        if state is None:
            raise ReviewError(f"There is no self-review point on {long_date(held_on)}.")
        if state == SIGNED_OFF:
            raise ReviewError(f"The self-review of {long_date(held_on)} is already signed off.")
        done = stored.answered(con, held_on)
        left = [q for q in asked if q not in done]
        if left:
            raise ReviewError(
                f"{len(left)} question{'s' if len(left) != 1 else ''} still to answer before "
                f"sign-off: {'; '.join(charter.question(q) for q in left[:3])}"
                + (" ..." if len(left) > 3 else "")
            )
        stored.sign_off(con, held_on, actor.label, now)
        audit.record(con, actor, "self-review signed off", f"self-review {held_on.isoformat()}",
                     "Answers frozen", before=OPEN, after=SIGNED_OFF, at=now)  # fmt: skip


def answers(store: Store) -> dict[date, dict[str, Answer]]:
    """Each review point's latest answer to each question."""
    out: dict[date, dict[str, Answer]] = {}
    with store.connect() as con:
        for r in stored.latest_answers(con):
            a = Answer(r[0], r[1], r[2], r[3], tuple(x for x in r[4].split(",") if x), r[5],
                       r[6], r[7])  # fmt: skip
            out.setdefault(a.held_on, {})[a.question_id] = a
    return out


def history(store: Store, charter: Charter) -> list[dict[str, str]]:
    """Confidence per question at each review point, as table rows (one per question)."""
    return history_rows(charter, answers(store))


def history_rows(charter: Charter, found: dict[date, dict[str, Answer]]) -> list[dict[str, str]]:
    rows = []
    for theme in charter.self_review:
        for q in theme.every_question():
            row = {"Theme": theme.title, "Question": q.text}
            for when in sorted(found):
                a = found[when].get(q.id)
                row[f"{when.day} {when:%b %Y}"] = CONFIDENCE_WORDS[a.confidence] if a else "[x]"
            rows.append(row)
    return rows


def low_without_action(store: Store) -> list[Answer]:
    """At the latest review point, each answer below 'mostly confident' with no live action
    linked (an action that is not done or dropped)."""
    found = answers(store)
    if not found:
        return []
    latest = found[max(found)]
    with store.connect() as con:
        live = {
            str(ident) for ident, status in actions.latest_statuses(con).items()
            if status not in ("done", "dropped")
        }  # fmt: skip
    return [a for a in latest.values() if a.low and not set(a.linked("action")) & live]
