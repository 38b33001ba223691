"""A provider's return: submitted (checked and kept, not stored), then accepted by an analyst
(its figures stored, as any return's) or returned with a reason the provider sees.

Every step is audited. Accepting stores the figures through the same all-or-nothing commit
as an analyst's upload (reasons for revisions, confirming unusual figures), then marks the
submission accepted; if that last step were lost, accepting again changes no figure and
marks it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from charter import Charter
from metrics import text_limits
from metrics.access import audit
from metrics.access.people import ANALYST, Actor, acting, may_send, require
from metrics.access.writing import one_after_the_other, writing
from metrics.ingest import (
    LoadReport,
    fill,
    load_file,
    provider_source,
    read_and_check,
    reject,
    report_for,
)
from metrics.ingest.commit import Upload, compare, log_upload
from metrics.ingest.kept import upload_file
from metrics.ingest.load_report import stored_words
from metrics.ingest.plausible import Unusual, implausible
from metrics.store import figures, partners as partner_store
from metrics.store.connection import Connection, Store, transaction

SUBMITTED, ACCEPTED, RETURNED = "submitted", "accepted", "returned"


class SubmissionError(ValueError):
    """The submission cannot be accepted or returned; the message says why."""


@dataclass(frozen=True)
class Item:
    indicator_id: str
    period: str
    figures: int


@dataclass(frozen=True)
class Submission:
    upload_id: int
    provider: str
    file_name: str
    submitted_by: str
    submitted_at: datetime
    state: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    stored_upload: int | None
    message: str
    items: tuple[Item, ...] = field(default_factory=tuple)

    def covers(self) -> str:
        periods = sorted({i.period for i in self.items})
        return ", ".join(periods)


def submissions(
    store: Store, provider: str | None = None, upload_id: int | None = None
) -> list[Submission]:
    """Newest first; one provider's only when `provider` is given."""
    with store.connect() as con:
        rows = partner_store.listed(con, provider, upload_id)
        found = partner_store.items(con, [r[0] for r in rows])
    items: dict[int, list[Item]] = {}
    for upload, *item in found:
        items.setdefault(upload, []).append(Item(*item))
    return [Submission(*r, items=tuple(items.get(r[0], []))) for r in rows]  # type: ignore[misc]


def submit(
    store: Store,
    charter: Charter,
    provider: str,
    file_name: str,
    content: bytes,
    by: Actor | str | None = None,
    at: datetime | None = None,
) -> LoadReport:
    """Check a provider's return and keep it for an analyst to accept; nothing is stored
    yet. A file with any problem (including another provider's indicator) is rejected and
    logged, as any upload is. `at` is when it arrived (default now; the demo dates its own)."""
    actor = acting(by)
    if provider not in charter.providers:
        raise SubmissionError(
            f"There is no provider {provider!r}; the providers are: "
            f"{', '.join(sorted(charter.providers)) or 'none (charter/providers.yaml)'}."
        )
    may_send(actor, provider)
    raw, result = read_and_check(file_name, content, charter, provider)
    name = charter.providers[provider].name
    upload = Upload(
        file_name,
        hashlib.sha256(content).hexdigest(),
        content,
        actor,
        "submission",
        None,
        raw.sheet if raw else None,
        provider_source(charter, provider),
    )
    report = report_for(upload, result, "rejected")
    with store.connect() as con:
        if not result.ok:
            return reject(con, upload, report)
        figures.stage(con, result.staged)
        diff = compare(con)
        report.warnings = implausible(con, charter)
        fill(report, diff)
        report.outcome = SUBMITTED
        message = (
            f"Submitted by {actor.label} for {name}: {result.rows_in_file} figures, waiting to "
            f"be accepted ({diff.added} new, {diff.revised} revised, {diff.unchanged} unchanged)."
        )
        with transaction(con):
            report.upload_id = log_upload(
                con, upload, at or datetime.now(), SUBMITTED, result.rows_in_file, diff, 0, message
            )
            partner_store.add_submission(con, report.upload_id, provider)
    return report


def _waiting(store: Store, upload_id: int) -> Submission:
    found = submissions(store, upload_id=upload_id)
    if not found:
        raise SubmissionError(f"Upload {upload_id} is not a provider's submission.")
    if found[0].state != SUBMITTED:
        s = found[0]
        raise SubmissionError(
            f"Submission {upload_id} was already {s.state} by {s.decided_by} on "
            f"{s.decided_at:%d %B %Y}."
        )
    return found[0]


def accept(
    store: Store,
    charter: Charter,
    upload_id: int,
    by: Actor | str | None = None,
    *,
    reason: str | None = None,
    confirmed: bool = False,
    shown: list[Unusual] | None = None,
) -> LoadReport:
    """Store a submitted return's figures (as the analyst accepting it) and mark it accepted.
    The report says why when it cannot be stored (a reason for revisions is needed, an
    unusual figure must be confirmed); the submission then stays waiting."""
    actor = acting(by)
    require(actor, {ANALYST}, "accept a provider's return")
    sub = _waiting(store, upload_id)
    kept = upload_file(store, upload_id, actor)
    if kept is None:
        raise SubmissionError(f"The file of submission {upload_id} is not kept.")
    name, content = kept
    provider = (
        charter.providers[sub.provider].name if sub.provider in charter.providers else sub.provider
    )
    report = load_file(
        store,
        charter,
        name,
        content,
        by=actor,
        reason=reason,
        source=f"{provider}: submission {upload_id}",
        confirmed=confirmed,
        shown=shown,  # what the analyst confirmed, if it is not what there is at storing
        provider=sub.provider,
        then=lambda con, stored, d: _mark(
            con, actor, sub, ACCEPTED, None, stored,
            stored_words(d.added, d.revised, d.unchanged, d.counts_added), datetime.now(),
        ),  # in the figures' transaction: if it was decided meanwhile, nothing is stored
    )  # fmt: skip
    return report


def return_to_provider(
    store: Store, upload_id: int, reason: str, by: Actor | str | None = None
) -> Submission:
    """Send a submission back with a reason the provider sees; nothing is stored."""
    actor = acting(by)
    require(actor, {ANALYST}, "return a provider's submission")
    if not reason.strip():
        raise SubmissionError("Say why the return goes back, so the provider can put it right.")
    try:
        reason = text_limits.bounded(reason, "why the return goes back", text_limits.SEND_BACK)
    except text_limits.TextTooLong as err:
        raise SubmissionError(str(err)) from None
    sub = _waiting(store, upload_id)
    _decide(store, actor, sub, RETURNED, reason.strip(), f"Returned: {reason.strip()}")
    return submissions(store, upload_id=upload_id)[0]


@one_after_the_other
def _decide(
    store: Store,
    actor: Actor,
    sub: Submission,
    state: str,
    reason: str | None,
    summary: str,
) -> None:
    """Mark the submission `state` (nothing stored with it: sent back)."""
    with writing(store, f"submission {sub.upload_id}") as con:
        _mark(con, actor, sub, state, reason, None, summary, datetime.now())


def _mark(
    con: Connection,
    actor: Actor,
    sub: Submission,
    state: str,
    reason: str | None,
    stored: int | None,
    summary: str,
    now: datetime,
) -> None:
    """Mark the submission `state` and audit it; if someone else decided it at the same
    moment (first), say so plainly: the caller's transaction, storing figures with it or
    not, then changes nothing."""
    done = partner_store.decide(con, sub.upload_id, state, actor.label, now, reason, stored)
    if not done:  # decided by someone else since this person looked
        other, by = partner_store.decided(con, sub.upload_id)
        nothing = " Nothing from it was stored." if stored else ""
        raise SubmissionError(
            f"Submission {sub.upload_id} was {other} by {by} at the same moment, so it is "
            f"not marked {state}.{nothing}"
        )
    audit.record(
        con,
        actor,
        f"submission {state}",
        f"upload {sub.upload_id}: {sub.file_name}",
        f"{sub.provider}: {summary}",
        before=SUBMITTED,
        after=state,
        at=now,
    )


def sent_back(subs: list[Submission]) -> dict[tuple[str, str], Submission]:
    """(indicator, period) -> the submission sent back, for each return whose latest
    submission was sent back (nothing newer has been sent for it). `subs` newest first."""
    latest: dict[tuple[str, str], Submission] = {}
    for sub in subs:
        for item in sub.items:
            latest.setdefault((item.indicator_id, item.period), sub)
    return {key: sub for key, sub in latest.items() if sub.state == RETURNED}
