"""When each provider's return is due: a number of working days after its period ends, where
weekends and England's bank holidays (metrics/reference/bank_holidays.csv, from GOV.UK; add
each year's when it is announced) are not working days."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from charter import Charter
from metrics.periods.due import due_period as period_for
from metrics.periods.model import Period

HOLIDAYS_CSV = Path(__file__).resolve().parents[1] / "reference" / "bank_holidays.csv"


@functools.cache
def bank_holidays() -> frozenset[date]:
    with HOLIDAYS_CSV.open(encoding="utf-8", newline="") as f:
        return frozenset(date.fromisoformat(r["date"]) for r in csv.DictReader(f))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@dataclass(frozen=True)
class Expected:
    """One return a provider owes: an indicator's figures for a period, due on a day."""

    provider: str
    indicator_id: str
    period: Period
    due: date


def expected(charter: Charter, quarter: Period) -> list[Expected]:
    """Every return due for periods that end within `quarter` (a quarterly indicator's is the
    quarter itself; an annual one's falls in the quarter its year ends)."""
    out = []
    for key, provider in charter.providers.items():
        for ind_id in provider.indicators:
            period = period_for(charter.indicators[ind_id], quarter)
            if not quarter.start <= period.end <= quarter.end:
                continue
            due = add_working_days(period.end, provider.due_working_days)
            out.append(Expected(key, ind_id, period, due))
    return out
