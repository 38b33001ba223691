"""Reporting periods: financial-year quarters and years, academic years and terms, calendar
years and months.

Councils report on financial-year quarters (`2024-25 Q1` = April to June 2024); education
statistics use academic years (`2023/24`) and terms; health uses months. One model covers them
all, with a canonical label, ordering, the previous period and the same period last year, and a
parser for the spellings analysts type.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class PeriodKind(StrEnum):
    FY_QUARTER = "fy_quarter"
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    ACADEMIC_TERM = "academic_term"
    CALENDAR_YEAR = "calendar_year"
    MONTH = "month"


KIND_NAMES = {
    PeriodKind.FY_QUARTER: "financial-year quarter",
    PeriodKind.FINANCIAL_YEAR: "financial year",
    PeriodKind.ACADEMIC_YEAR: "academic year",
    PeriodKind.ACADEMIC_TERM: "academic term",
    PeriodKind.CALENDAR_YEAR: "calendar year",
    PeriodKind.MONTH: "month",
}

KIND_EXAMPLES = {
    PeriodKind.FY_QUARTER: "2024-25 Q1",
    PeriodKind.FINANCIAL_YEAR: "2024-25",
    PeriodKind.ACADEMIC_YEAR: "2023/24",
    PeriodKind.ACADEMIC_TERM: "2023/24 Autumn term",
    PeriodKind.CALENDAR_YEAR: "2024",
    PeriodKind.MONTH: "Apr 2024",
}

TERMS = ("Autumn", "Spring", "Summer")
# Approximate term boundaries (Easter moves): autumn Sep-Dec, spring Jan-Apr, summer May-Aug.
_TERM_MONTHS = ((9, 12, 0), (1, 4, 1), (5, 8, 1))  # (first month, last month, year offset)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9


class PeriodError(ValueError):
    """A period could not be read; the message says how to write it."""


FIRST_YEAR, LAST_YEAR = 1000, 9998  # years a Period may start in (its end needs year + 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int  # the year the period starts in (2024 for 2024-25 Q4 and for 2024/25)
    index: int = 0  # quarter 1-4, term 1-3, month 1-12; 0 for whole years

    def __post_init__(self) -> None:
        # Four-digit years only: a label must read back as the same period (year 1 would be
        # written '1-02 Q1', which no parser reads), and dates need years 1 to 9999.
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(f"the year {self.year} is not a four-digit year")

    @property
    def label(self) -> str:
        y1, y2 = f"{self.year:04d}", f"{(self.year + 1) % 100:02d}"
        match self.kind:
            case PeriodKind.FY_QUARTER:
                return f"{y1}-{y2} Q{self.index}"
            case PeriodKind.FINANCIAL_YEAR:
                return f"{y1}-{y2}"
            case PeriodKind.ACADEMIC_YEAR:
                return f"{y1}/{y2}"
            case PeriodKind.ACADEMIC_TERM:
                return f"{y1}/{y2} {TERMS[self.index - 1]} term"
            case PeriodKind.CALENDAR_YEAR:
                return y1
            case PeriodKind.MONTH:
                return f"{calendar.month_abbr[self.index]} {y1}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        return self._bounds()[0]

    @property
    def end(self) -> date:
        return self._bounds()[1]

    def _bounds(self) -> tuple[date, date]:
        return _bounds(self.kind, self.year, self.index)

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.start, self.end)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key

    def _steps(self) -> int:
        return {PeriodKind.FY_QUARTER: 4, PeriodKind.ACADEMIC_TERM: 3, PeriodKind.MONTH: 12}.get(
            self.kind, 1
        )

    def shift(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (earlier when negative)."""
        per_year = self._steps()
        if per_year == 1:
            return Period(self.kind, self.year + steps, 0)
        ordinal = self.year * per_year + (self.index - 1) + steps
        return Period(self.kind, ordinal // per_year, ordinal % per_year + 1)

    def previous(self) -> Period:
        return self.shift(-1)

    def same_period_last_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.index)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        """The period of `kind` that contains `day`."""
        m, y = day.month, day.year
        match kind:
            case PeriodKind.FY_QUARTER:
                return cls(kind, y if m >= 4 else y - 1, ((m - 4) % 12) // 3 + 1)
            case PeriodKind.FINANCIAL_YEAR:
                return cls(kind, y if m >= 4 else y - 1)
            case PeriodKind.ACADEMIC_YEAR:
                return cls(kind, y if m >= 9 else y - 1)
            case PeriodKind.ACADEMIC_TERM:
                if m >= 9:
                    return cls(kind, y, 1)
                return cls(kind, y - 1, 2 if m <= 4 else 3)
            case PeriodKind.CALENDAR_YEAR:
                return cls(kind, y)
            case PeriodKind.MONTH:
                return cls(kind, y, m)


# Pages sort and compare thousands of periods per status; the same few dozen recur.
@functools.lru_cache(maxsize=4096)
def _bounds(kind: PeriodKind, y: int, index: int) -> tuple[date, date]:
    match kind:
        case PeriodKind.FY_QUARTER:
            first = 4 + 3 * (index - 1)
            year = y if first <= 12 else y + 1
            first = first if first <= 12 else first - 12
            return date(year, first, 1), _month_end(year, first + 2)
        case PeriodKind.FINANCIAL_YEAR:
            return date(y, 4, 1), date(y + 1, 3, 31)
        case PeriodKind.ACADEMIC_YEAR:
            return date(y, 9, 1), date(y + 1, 8, 31)
        case PeriodKind.ACADEMIC_TERM:
            first, last, offset = _TERM_MONTHS[index - 1]
            return date(y + offset, first, 1), _month_end(y + offset, last)
        case PeriodKind.CALENDAR_YEAR:
            return date(y, 1, 1), date(y, 12, 31)
        case PeriodKind.MONTH:
            return date(y, index, 1), _month_end(y, index)
    raise AssertionError(kind)  # every kind is matched above


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


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


def window_problem(period: Period, earliest_year: int, today: date) -> str | None:
    """Why a figure for `period` cannot be accepted yet (or at all), or None when it can.

    Figures describe periods that have ended: a period still running (or far in the future)
    is a typing mistake or an estimate, and a year long before any return (0001, 1899) is
    always a mistake. The earliest year is a setting (`earliest_year` in council.yaml).
    """
    if period.year < earliest_year:
        return (
            f"{period.label!r} is before {earliest_year}, the earliest year this dashboard "
            "accepts (earliest_year in charter/council.yaml)"
        )
    if period.end >= today:
        return (
            f"{period.label!r} has not ended yet: it ends on {period.end:%-d %B %Y}; "
            "figures can be loaded from the day after"
        )
    return None


@functools.lru_cache(maxsize=4096)
def read_label(label: str) -> Period | None:
    """A period label as stored, or None when it cannot be read (a figure stored by an older
    version with a label no parser reads): readers skip such figures instead of failing."""
    try:
        return parse_period(label)
    except ValueError:
        return None


def latest_ended(kind: PeriodKind, by: date) -> Period:
    """The latest period of `kind` that has ended on or before `by`."""
    period = Period.containing(by, kind)
    return period if period.end <= by else period.previous()


def kind_for(frequency: str, year_basis: str = "financial") -> PeriodKind:
    """The kind of period an indicator of this frequency is reported for."""
    if frequency == "quarterly":
        return PeriodKind.FY_QUARTER
    if frequency == "termly":
        return PeriodKind.ACADEMIC_TERM
    if frequency == "monthly":
        return PeriodKind.MONTH
    return {
        "financial": PeriodKind.FINANCIAL_YEAR,
        "academic": PeriodKind.ACADEMIC_YEAR,
        "calendar": PeriodKind.CALENDAR_YEAR,
    }[year_basis]
