"""Reporting periods: financial-year quarters and years, academic years and terms, calendar
years and months.

Councils report on financial-year quarters (`2024-25 Q1` = April to June 2024); education
statistics use academic years (`2023/24`) and terms; health uses months. One model covers them
all, with a canonical label, ordering, the previous period and the same period last year, and a
parser for the spellings analysts type (metrics/periods/text.py).
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
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
            raise PeriodError(
                f"the year {self.year} is not a four-digit year"
                if not FIRST_YEAR <= self.year <= 9999
                else f"a period starting in {self.year} would end after 9999"
            )

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
