"""The review cycle of a quarter: open -> commentary drafted -> circulated -> discussed ->
signed off. The chair moves it on; each move is audited.

Rules: a quarter cannot be circulated while an exception (off track, at risk, a special-cause
concern, or no recent data) has no commentary of its own (text copied forward and not yet
edited does not count); signing off pins the figures and statuses as they stood (a snapshot)
and freezes commentary and agreed statuses; reopening needs the chair and a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from charter import Charter
from metrics import text_limits
from metrics.access import audit
from metrics.access.people import CHAIR, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.assess.rollup import StatementStatus, charter_status
from metrics.assess.status import IndicatorStatus
from metrics.dates import date_time, long_date, short_date
from metrics.periods.text import parse_period
from metrics.review import commentary
from metrics.review.common import (
    CIRCULATED,
    OPEN,
    SIGNED_OFF,
    STATES,
    check_quarter,
    indicator_subject,
    known_quarter,
)
from metrics.store import review as stored
from metrics.store.connection import Store
from metrics.words.narrative import STATUS_WORDS

EXCEPTION_STATUSES = ("off_track", "at_risk", "no_recent_data")
SIGN_NOW = object()  # a sign-off's moment: taken inside its transaction (cycle._write)


def is_exception(status: IndicatorStatus) -> bool:
    return status.status in EXCEPTION_STATUSES or status.variation == "concern"


def exception_words(status: IndicatorStatus) -> str:
    words = [STATUS_WORDS[status.status]] if status.status in EXCEPTION_STATUSES else []
    if status.variation == "concern":
        words.append("a special-cause concern")
    return " and ".join(words)


@dataclass(frozen=True)
class Pinned:
    """A figure as it stood at sign-off."""

    period: str | None
    value: float | None
    shown: str
    status: str


@dataclass
class QuarterReview:
    quarter: str
    state: str = OPEN
    meeting_date: date | None = None
    signed_off_at: datetime | None = None
    signed_off_by: str | None = None
    pinned: dict[str, Pinned] = field(default_factory=dict)  # indicator id -> figure

    def headline(self, written: int, exceptions: int) -> str:
        """'2026-27 Q2: commentary drafted, 9 of 14 exceptions written up; meeting 12 Dec'."""
        text = f"{self.quarter}: {self.state}"
        if self.state != SIGNED_OFF:
            text += f", {written} of {exceptions} exceptions written up"
        elif self.signed_off_at:
            text += f" on {short_date(self.signed_off_at)} by {self.signed_off_by}"
        if self.meeting_date:
            text += f"; meeting {self.meeting_date.day} {self.meeting_date:%b %Y}"
        return text


def read(store: Store, quarter: str) -> QuarterReview:
    quarter = check_quarter(quarter)
    with store.connect() as con:
        row = stored.quarter_review(con, quarter)
    if row is None:
        return QuarterReview(quarter)
    state, meeting, signed_at, signed_by, snapshot = row
    pinned = {k: Pinned(**v) for k, v in json.loads(snapshot).items()} if snapshot else {}
    return QuarterReview(quarter, state, meeting, signed_at, signed_by, pinned)


def exceptions(statements: list[StatementStatus]) -> list[IndicatorStatus]:
    """Each exceptional indicator once (an indicator may evidence several statements)."""
    seen: dict[str, IndicatorStatus] = {}
    for s in statements:
        for i in s.indicators:
            if is_exception(i) and i.id not in seen:
                seen[i.id] = i
    return list(seen.values())


def unexplained(store: Store, quarter: str, statements: list[StatementStatus]) -> list[str]:
    """Exceptions with no commentary of their own this quarter (copied text not edited)."""
    written = commentary.current(store, quarter)
    out = []
    for i in exceptions(statements):
        c = written.get(indicator_subject(i.id))
        if c is None or c.copied_from:
            out.append(i.id)
    return out


@one_after_the_other
def _write(
    store: Store,
    actor: Actor,
    quarter: str,
    kind: str,
    summary: str,
    before: str,
    **changed: object,
) -> None:
    """Change the `changed` columns of the quarter's review row (state, meeting, signed_at,
    signed_by, snapshot) as it stands inside the transaction, the rest as they are: a chair's
    move never writes back a meeting date another chair set since the page was drawn. The
    audit says what each change replaced, as stored (a reopening: what was signed off)."""
    with writing(store, f"the review of {quarter}") as con:
        now = datetime.now()  # in the transaction: a sign-off is later than what it froze
        if changed.get("signed_at") is SIGN_NOW:
            changed["signed_at"] = now
            summary = summary.format(pinned=date_time(now, short=True))
        row = stored.quarter_review(con, quarter) or (OPEN, None, None, None, None)
        state, meeting, signed_at, signed_by, snapshot = row
        if state != before:  # someone else moved it meanwhile
            raise ReviewError(
                f"{quarter} is now '{state}' (someone else changed it); "
                "look again before moving it on."
            )
        values = {"state": state, "meeting": meeting, "signed_at": signed_at,
                  "signed_by": signed_by, "snapshot": snapshot, **changed}  # fmt: skip
        stored.save_quarter_review(con, quarter, **values, at=now, by=actor.label)
        if "meeting" in changed:
            if meeting is not None and meeting != changed["meeting"]:
                summary += f" (was {long_date(meeting)})"
            was, now_is = _meeting_words(meeting), _meeting_words(values["meeting"])
        else:
            was, now_is = state, str(values["state"])
            if state == SIGNED_OFF and signed_at:  # what was signed off stays on record
                was += f" on {date_time(signed_at, short=True)} by {signed_by}"
                if snapshot and values["snapshot"] is None:
                    was += f"; figures and statuses pinned then: {snapshot}"
        audit.record(
            con, actor, kind, f"review {quarter}", summary, before=was, after=now_is, at=now
        )


def _meeting_words(meeting: object) -> str:
    return f"Meeting on {long_date(meeting)}" if isinstance(meeting, date) else "No meeting date"


def _snapshot(statements: list[StatementStatus]) -> str:
    figures = {
        i.id: {"period": i.period, "value": i.value, "shown": i.shown, "status": i.status}
        for s in statements
        for i in s.indicators
    }
    return json.dumps(figures, sort_keys=True)


def move(
    store: Store,
    charter: Charter,
    actor: Actor,
    quarter: str,
    to: str,
    reason: str = "",
) -> QuarterReview:
    """Move the quarter's review to state `to`: forward one step at a time, or back (with a
    reason; from 'signed off' this is reopening)."""
    require(actor, {CHAIR}, "move the review on")
    review = read(store, known_quarter(store, quarter))
    if to not in STATES:
        raise ReviewError(f"A review state is one of: {', '.join(STATES)}.")
    before = review.state
    here, there = STATES.index(before), STATES.index(to)
    signed: dict[str, object] = {}
    if there == here:
        raise ReviewError(f"{review.quarter} is already '{to}'.")
    if there < here:
        why = plain(
            reason,
            "why the review goes back" if before != SIGNED_OFF else "why it is reopened",
            limit=text_limits.REASON,
        )
        kind, summary = ("review reopened" if before == SIGNED_OFF else "review moved back"), why
        signed = {"signed_at": None, "signed_by": None, "snapshot": None}
    else:
        if there != here + 1:
            raise ReviewError(f"'{before}' is followed by '{STATES[here + 1]}', not '{to}'.")
        kind, summary = "review moved on", f"{before} -> {to}"
        if to in (CIRCULATED, SIGNED_OFF):
            statements = charter_status(store, charter, parse_period(review.quarter))
            missing = unexplained(store, review.quarter, statements)
            if missing and to == CIRCULATED:
                names = "; ".join(charter.indicators[m].title for m in missing)
                raise ReviewError(
                    f"{len(missing)} exception{'s' if len(missing) != 1 else ''} still "
                    f"need{'s' if len(missing) == 1 else ''} commentary before the papers "
                    f"can be circulated: {names}."
                )
            if to == SIGNED_OFF:  # its moment taken in the write's transaction (_write)
                signed = {"signed_at": SIGN_NOW, "signed_by": actor.label}
                signed["snapshot"] = _snapshot(statements)
                kind = "review signed off"
                summary = "Signed off; figures pinned as at {pinned}"
    _write(store, actor, review.quarter, kind, summary, before, state=to, **signed)
    return read(store, review.quarter)


def set_meeting(store: Store, actor: Actor, quarter: str, when: date) -> QuarterReview:
    require(actor, {CHAIR}, "set the meeting date")
    review = read(store, known_quarter(store, quarter))
    if review.state == SIGNED_OFF:
        raise ReviewError(f"{review.quarter} is signed off; reopen it to change the meeting.")
    said = f"Meeting on {long_date(when)}"  # and the date it replaced, as stored (_write)
    _write(store, actor, review.quarter, "meeting date set", said, review.state, meeting=when)
    return read(store, review.quarter)


def revised_since_sign_off(
    review: QuarterReview, statements: list[StatementStatus]
) -> dict[str, tuple[Pinned, IndicatorStatus]]:
    """Indicators whose figure for the pinned period has changed since sign-off, or whose
    status has with the same figure: its target in force changed (a chair's trajectory set
    or withdrawn since, or the charter's target), which changes what was signed off as
    surely as a revised figure does. Neither is refused: both are flagged (`changed_words`)."""
    out: dict[str, tuple[Pinned, IndicatorStatus]] = {}
    if review.state != SIGNED_OFF:
        return out
    for s in statements:
        for i in s.indicators:
            pin = review.pinned.get(i.id)
            if pin and pin.period == i.period and (pin.value, pin.status) != (i.value, i.status):
                out[i.id] = (pin, i)
    return out


def changed_words(pin: Pinned, now: IndicatorStatus) -> str:
    """What changed since sign-off, then and now: 'revised since sign-off, 62.0% then, 40.0%
    now', or, the figure the same, 'status changed since sign-off (its target changed),
    on track then, off track now'."""
    if pin.value != now.value:
        return f"revised since sign-off, {pin.shown} then, {now.shown} now"
    then, later = (STATUS_WORDS.get(s, s).lower() for s in (pin.status, now.status))
    return f"status changed since sign-off (its target changed), {then} then, {later} now"
