"""What the review's parts share: subjects, quarters and the quarter's state (its errors,
plain-text checks and write helpers come from metrics/access/writing.py).

A subject is what commentary or an agreed status is about: `indicator:<id>` or
`statement:<number>`.
"""

from __future__ import annotations

from datetime import date, datetime

from charter import Charter

# How every change is written lives in metrics/access/writing.py (below the review, so evidence
# and the self-review need not import the review).
from metrics.access.writing import ReviewError
from metrics.dates import long_date
from metrics.periods.model import PeriodKind
from metrics.periods.text import parse_period
from metrics.store import review as stored
from metrics.store.connection import Connection, Store

STATES = ("open", "commentary drafted", "circulated", "discussed", "signed off")
OPEN, DRAFTED, CIRCULATED, DISCUSSED, SIGNED_OFF = STATES


def indicator_subject(indicator_id: str) -> str:
    return f"indicator:{indicator_id}"


def statement_subject(number: int) -> str:
    return f"statement:{number}"


def check_subject(charter: Charter, subject: str) -> str:
    """The subject as stored, or ReviewError naming what is unknown."""
    kind, _, key = subject.partition(":")
    if kind == "indicator" and key in charter.indicators:
        return subject
    if kind == "statement" and key.isdigit() and int(key) in {s.number for s in charter.statements}:
        return subject
    raise ReviewError(f"There is no {kind or 'subject'} {key!r} in the charter.")


def subject_title(charter: Charter, subject: str) -> str:
    kind, _, key = subject.partition(":")
    if kind == "indicator" and key in charter.indicators:
        return charter.indicators[key].title
    if kind == "statement" and key.isdigit():
        s = charter.statement(int(key))
        return f"{s.number}. {s.short_title}"
    return subject


def check_quarter(quarter: str) -> str:
    try:
        period = parse_period(quarter)
    except ValueError as err:
        raise ReviewError(f"{quarter!r} is not a quarter: {err}") from err
    if period.kind is not PeriodKind.FY_QUARTER:
        raise ReviewError(f"{quarter!r} is not a financial-year quarter (e.g. 2026-27 Q2).")
    return period.label


def known_quarter(store: Store, quarter: str, today: date | None = None) -> str:
    """A quarter the review can be about, as stored: one that has begun, and (once there are
    quarterly figures) none earlier than the first of them. `2099-00 Q1` is a quarter's name
    but not a quarter anyone can review."""
    label = check_quarter(quarter)
    period = parse_period(label)
    today = today or date.today()
    if period.start > today:
        raise ReviewError(
            f"{label} has not begun (it starts on {long_date(period.start)}): there is "
            "nothing of it yet to review, report or write about."
        )
    with store.connect() as con:
        first = stored.first_quarter_start(con)
    if first is not None and period.start < first:
        raise ReviewError(
            f"There are no figures for {label}: the first quarter with figures began on "
            f"{long_date(first)}."
        )
    return label


def state_of(con: Connection, quarter: str) -> tuple[str, datetime | None]:
    found = stored.quarter_state(con, quarter)
    return found if found is not None else (OPEN, None)


def refuse_if_signed_off(con: Connection, quarter: str, what: str) -> None:
    """Refuse a change to a signed-off quarter's words, and hold the quarter's review row for
    the rest of the transaction: a sign-off committing meanwhile then conflicts with this
    write (one of the two is tried again, after the other), so no text is ever added to a
    quarter after it was signed off (two such writes at once conflict too, and the later one
    is tried again: metrics/access/writing.py's one_after_the_other)."""
    state, _ = state_of(con, quarter)
    if state == SIGNED_OFF:
        raise ReviewError(
            f"{quarter} is signed off, so its {what} cannot change. The chair can reopen it "
            "with a reason."
        )
    stored.hold_quarter(con, quarter)
