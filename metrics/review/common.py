"""What the review's parts share: its errors, subjects, plain-text checks and the quarter's state.

A subject is what commentary or an agreed status is about: `indicator:<id>` or
`statement:<number>`.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import ParamSpec, TypeVar

from charter import Charter
from metrics import text_limits
from metrics.dates import long_date
from metrics.periods.model import PeriodKind
from metrics.periods.text import parse_period
from metrics.store import review as stored
from metrics.store.connection import Connection, Store, WriteConflict, transaction

STATES = ("open", "commentary drafted", "circulated", "discussed", "signed off")
OPEN, DRAFTED, CIRCULATED, DISCUSSED, SIGNED_OFF = STATES
MAX_TEXT = text_limits.PARAGRAPH  # a paragraph: commentary is short plain text, not a report


class ReviewError(ValueError):
    """A review change that cannot be made; the message says why, plainly."""


class Concurrent(ReviewError):
    """Someone else wrote the same thing at the same moment and was first; nothing of this
    write was kept."""


@contextmanager
def writing(store: Store, what: str) -> Iterator[Connection]:
    """One write, all or nothing. Losing a race with another writer is said plainly, naming
    `what` the other person changed (never DuckDB's own words)."""
    try:
        with store.connect() as con, transaction(con):
            yield con
    except WriteConflict:
        raise Concurrent(
            f"Someone else changed {what} at the same moment, so yours was not saved. "
            "Look at it as it is now, then try again if it is still needed."
        ) from None


P = ParamSpec("P")
T = TypeVar("T")
ATTEMPTS = 4  # DuckDB reports a conflict before the winner commits: the retry sees its write


def one_after_the_other(write: Callable[P, T]) -> Callable[P, T]:
    """Run a write that lost a race again, a moment later, as if it had come second: it then
    reads what the winner wrote and the review's own rules decide (commentary becomes a
    conflict showing both texts; a second sign-off is refused as already done). `write` must
    read what it checks inside its own transaction."""

    @functools.wraps(write)
    def again(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return write(*args, **kwargs)
            except Concurrent:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1) + random.uniform(0, 0.05))
        raise AssertionError("unreachable")  # pragma: no cover

    return again


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
            f"{label} has not begun (it starts on {long_date(period.start)}): commentary, "
            "questions and actions are for a quarter that has begun."
        )
    with store.connect() as con:
        first = stored.first_quarter_start(con)
    if first is not None and period.start < first:
        raise ReviewError(
            f"There are no figures for {label}: the first quarter with figures began on "
            f"{long_date(first)}."
        )
    return label


def plain(text: str | None, what: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    """User text as stored: stripped, never empty when required, never longer than `limit`
    (metrics/text_limits.py)."""
    value = (text or "").strip()
    if required and not value:
        raise ReviewError(f"Write {what}: it cannot be empty.")
    try:
        return text_limits.bounded(value, what, limit)
    except text_limits.TextTooLong as err:
        raise ReviewError(str(err)) from None


def state_of(con: Connection, quarter: str) -> tuple[str, datetime | None]:
    found = stored.quarter_state(con, quarter)
    return found if found is not None else (OPEN, None)


def refuse_if_signed_off(con: Connection, quarter: str, what: str) -> None:
    state, _ = state_of(con, quarter)
    if state == SIGNED_OFF:
        raise ReviewError(
            f"{quarter} is signed off, so its {what} cannot change. The chair can reopen it "
            "with a reason."
        )
