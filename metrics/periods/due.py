"""The period an indicator reports for in a quarter's return: the quarter itself for a
quarterly indicator, else the latest year or term that has ended by the quarter's end.

A rule of periods, used by the template, the status and the partners' due dates alike (it was
`ingest.template.period_for`, which made the status depend on the upload template).
"""

from __future__ import annotations

from charter import Indicator
from metrics.periods.model import Period, PeriodKind, kind_for, latest_ended


def due_period(indicator: Indicator, quarter: Period) -> Period:
    """The period an indicator reports for in the return for `quarter`."""
    kind = kind_for(indicator.frequency, indicator.year_basis)
    return quarter if kind == PeriodKind.FY_QUARTER else latest_ended(kind, quarter.end)
