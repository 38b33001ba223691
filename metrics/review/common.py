"""What the review's parts share: its errors, subjects, plain-text checks and the quarter's state.

A subject is what commentary or an agreed status is about: `indicator:<id>` or
`statement:<number>`.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from charter import Charter
from metrics.period_text import parse_period
from metrics.periods import PeriodKind

STATES = ("open", "commentary drafted", "circulated", "discussed", "signed off")
OPEN, DRAFTED, CIRCULATED, DISCUSSED, SIGNED_OFF = STATES
MAX_TEXT = 2000  # a paragraph: commentary is short plain text, not a report


class ReviewError(ValueError):
    """A review change that cannot be made; the message says why, plainly."""


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


def plain(text: str | None, what: str, required: bool = True) -> str:
    """User text as stored: stripped, never empty when required, never too long."""
    value = (text or "").strip()
    if required and not value:
        raise ReviewError(f"Write {what}: it cannot be empty.")
    if len(value) > MAX_TEXT:
        raise ReviewError(f"Shorten {what} to {MAX_TEXT:,} characters (it has {len(value):,}).")
    return value


STATE = "SELECT state, signed_off_at FROM review_quarters WHERE quarter = ?"


def state_of(con: duckdb.DuckDBPyConnection, quarter: str) -> tuple[str, datetime | None]:
    rows = con.execute(STATE, [quarter]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else (OPEN, None)


def refuse_if_signed_off(con: duckdb.DuckDBPyConnection, quarter: str, what: str) -> None:
    state, _ = state_of(con, quarter)
    if state == SIGNED_OFF:
        raise ReviewError(
            f"{quarter} is signed off, so its {what} cannot change. The chair can reopen it "
            "with a reason."
        )
