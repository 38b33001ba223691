"""Reading periods as analysts write them: `2024-25 Q1`, `Q1 2024/25`, `FY 2024-25`,
`2023/24 Autumn term`, `Apr 2024`, `2024-04`, a date in the period's place, and the labels
stored in the database (metrics/periods/model.py is the model they read into)."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from metrics.periods.model import (
    _MONTHS,
    KIND_EXAMPLES,
    KIND_NAMES,
    TERMS,
    Period,
    PeriodError,
    PeriodKind,
)


def _pair(first: str, second: str) -> int:
    """Check a year pair such as 2024-25 or 2024/2025 and return the first year."""
    start = int(first) if len(first) == 4 else 2000 + int(first)
    end = int(second)
    expected = (start + 1) % 100 if len(second) == 2 else start + 1
    if end != expected:
        raise PeriodError(f"the years {first} and {second} are not consecutive")
    return start


_Y = r"(\d{4}|\d{2})\s*[-/]\s*(\d{4}|\d{2})"
_FYQ = [
    re.compile(rf"^(?:fy\s*)?{_Y}\s*[,:]?\s*(?:q|quarter\s*)([1-4])$"),
    re.compile(rf"^(?:q|quarter\s*)([1-4])\s*[,:]?\s*(?:fy\s*)?{_Y}$"),
]
_YEAR_MARK = "fy|ay|financial year|academic year"
_YEAR_PAIR = re.compile(rf"^(?P<pre>{_YEAR_MARK})?\s*{_Y}\s*(?P<post>{_YEAR_MARK})?$")
_TERM = [
    re.compile(rf"^{_Y}\s*(autumn|spring|summer)(?:\s*term)?$"),
    re.compile(rf"^(autumn|spring|summer)(?:\s*term)?\s*{_Y}$"),
    re.compile(r"^(autumn|spring|summer)(?:\s*term)?\s*(\d{4})$"),
]
_CALENDAR = re.compile(r"^(?:cy\s*|calendar year\s*)?(\d{4})(?:\s*calendar year)?$")
_MONTH_NAMED = re.compile(r"^([a-z]{3,9})\.?[\s\-/]*(\d{4}|\d{2})$")
_MONTH_NUMERIC = re.compile(r"^(\d{4})[-/](\d{1,2})$|^(\d{1,2})[-/](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date | None:
    """A date written as 2024-04-01 (how Excel dates are read) or 01/04/2024 (UK order)."""
    t = text.strip().lower()
    try:
        if m := _ISO_DATE.match(t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DATE.match(t):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def parse_period(text: str | date | datetime, expect: PeriodKind | None = None) -> Period:
    """Read a period as analysts write it.

    `expect` resolves what the text alone cannot: `2024/25` is an academic year in education
    statistics but many analysts write financial years that way too; a date means the period
    of the expected kind that contains it. A period of another kind than `expect` is an error.
    """
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):
        if expect is None:
            raise PeriodError(f"{text.isoformat()} is a date, not a period")
        return Period.containing(text, expect)
    return _parse_label(text, expect)


@functools.lru_cache(maxsize=4096)  # the same labels are read over and over on every page
def _parse_label(text: str, expect: PeriodKind | None) -> Period:
    raw = text
    t = re.sub(r"\s+", " ", text.strip().lower())
    if not t:
        raise PeriodError("the period is empty")
    period = _parse_text(t, expect)
    if period is None:
        raise PeriodError(f"{raw.strip()!r} is not a period we can read")
    if expect is not None and period.kind != expect:
        raise PeriodError(
            f"{raw.strip()!r} is {_a(KIND_NAMES[period.kind])}, but {_a(KIND_NAMES[expect])} "
            f"is needed here (for example {KIND_EXAMPLES[expect]!r})"
        )
    return period


def _parse_text(t: str, expect: PeriodKind | None) -> Period | None:
    for pattern in _FYQ:
        if m := pattern.match(t):
            groups = m.groups()
            if pattern is _FYQ[0]:
                return Period(PeriodKind.FY_QUARTER, _pair(groups[0], groups[1]), int(groups[2]))
            return Period(PeriodKind.FY_QUARTER, _pair(groups[1], groups[2]), int(groups[0]))
    month = _numeric_month(t)
    if month is not None and expect == PeriodKind.MONTH:
        return month
    if m := _YEAR_PAIR.match(t):
        marker = (m["pre"] or m["post"] or "").strip()
        try:
            start = _pair(m[2], m[3])
        except PeriodError:
            if month is not None:  # 2024-04 is April 2024, not a pair of years
                return month
            raise
        if marker in ("fy", "financial year"):
            return Period(PeriodKind.FINANCIAL_YEAR, start)
        if marker in ("ay", "academic year"):
            return Period(PeriodKind.ACADEMIC_YEAR, start)
        if expect in (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR):
            return Period(expect, start)
        kind = PeriodKind.ACADEMIC_YEAR if "/" in t else PeriodKind.FINANCIAL_YEAR
        return Period(kind, start)
    for i, pattern in enumerate(_TERM):
        if m := pattern.match(t):
            if i == 0:
                return Period(PeriodKind.ACADEMIC_TERM, _pair(m[1], m[2]), _term(m[3]))
            if i == 1:
                return Period(PeriodKind.ACADEMIC_TERM, _pair(m[2], m[3]), _term(m[1]))
            term, year = _term(m[1]), int(m[2])  # "Spring 2024" is in 2023/24
            return Period(PeriodKind.ACADEMIC_TERM, year if term == 1 else year - 1, term)
    if m := _CALENDAR.match(t):
        return Period(PeriodKind.CALENDAR_YEAR, int(m[1]))
    if (m := _MONTH_NAMED.match(t)) and m[1].rstrip(".") in _MONTHS:
        year = int(m[2]) if len(m[2]) == 4 else 2000 + int(m[2])
        return Period(PeriodKind.MONTH, year, _MONTHS[m[1].rstrip(".")])
    if month is not None:
        return month
    if (day := parse_date(t)) is not None:
        if expect is None:
            raise PeriodError(f"{t!r} is a date; write the period instead (e.g. '2024-25 Q1')")
        return Period.containing(day, expect)
    return None


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _numeric_month(t: str) -> Period | None:
    if m := _MONTH_NUMERIC.match(t):
        year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        if 1 <= month <= 12:
            return Period(PeriodKind.MONTH, year, month)
    return None


def _term(name: str) -> int:
    return TERMS.index(name.capitalize()) + 1


@functools.lru_cache(maxsize=4096)
def read_label(label: str) -> Period | None:
    """A period label as stored, or None when it cannot be read (a figure stored by an older
    version with a label no parser reads): readers skip such figures instead of failing."""
    try:
        return parse_period(label)
    except ValueError:
        return None
