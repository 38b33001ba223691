"""Working indicator statuses out from the store: every indicator's (or some indicators')
status at each of some quarters, reading only their figures (issue 34). What they are kept
by, in memory and in the store, is metrics/assess/status_kept.py's."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date

from charter import Charter, Indicator
from metrics.assess import trajectory
from metrics.assess.benchmark import area_values, published_as_at
from metrics.assess.status import (
    LAG_ALLOWED,
    IndicatorStatus,
    Point,
    indicator_status,
    published_beside,
)
from metrics.periods.due import due_period
from metrics.periods.model import Period, kind_for
from metrics.periods.text import read_label
from metrics.store import assess as stored
from metrics.store.connection import Store

# What an indicator's status is worked out from: the kinds the reads below read (each read's
# kinds are worked out from its query's text; tests/unit/test_status_kept.py holds the
# working-out to them).
KINDS = tuple(sorted(stored.STATUS_KINDS))
_WORKED_OUT = [0]  # statuses worked out: what the tests watch (status_kept.worked_out)


def worked_out() -> int:
    """How many indicator statuses have been worked out so far in this process."""
    return _WORKED_OUT[0]


def work_out(
    store: Store, charter: Charter, quarters: list[Period], indicators: Collection[str]
) -> dict[str, list[IndicatorStatus]]:
    """The statuses of `indicators` at each quarter, reading only their figures (all of them
    in one query when every indicator is asked). Each quarter is judged on the figures it
    would be judged on alone (`_wanted` per quarter)."""
    with store.connect():  # one opening of the file for every read below
        charter = trajectory.applied(charter, trajectory.in_force(store))  # the chair's steps
        every = len(indicators) == len(charter.indicators)
        points = current_points(store, charter.council.code, None if every else indicators)
        published = published_totals(store)
        asked = [charter.indicators[i] for i in indicators]
        wanted = [_wanted(asked, quarter, published) for quarter in quarters]
        values = area_values(store, list(dict.fromkeys(w for each in wanted for w in each)))
        as_at = published_as_at(store)
    _WORKED_OUT[0] += len(asked) * len(quarters)
    out: dict[str, list[IndicatorStatus]] = {i.id: [] for i in asked}
    for quarter, its in zip(quarters, wanted, strict=True):
        by_indicator: dict[str, dict[str, dict[str, float]]] = {}
        for ident, period in dict.fromkeys(its):
            if (ident, period) in values:
                by_indicator.setdefault(ident, {})[period] = values[(ident, period)]
        for i in asked:
            status = indicator_status(
                i, own_points(i, points.get(i.id, [])), quarter, charter, by_indicator.get(i.id, {})
            )
            dated(status, as_at.get(i.id))
            out[i.id].append(status)
    return out


def current_points(
    store: Store, area: str, indicators: Iterable[str] | None = None
) -> dict[str, list[Point]]:
    """Every indicator's current totals for one area (or only `indicators`'), oldest first."""
    with store.connect() as con:
        if indicators is None:
            rows = stored.current_totals(con, area)
        else:
            rows = stored.current_totals_of(con, area, sorted(indicators))
    out: dict[str, list[Point]] = {}
    for ident, period, value, symbol, status, revised, num, den in rows:
        if read_label(period) is None:  # listed on the upload history page, never a crash
            continue
        out.setdefault(ident, []).append(
            Point(period, value, symbol, status, bool(revised), num, den)
        )
    return out


def own_points(ind: Indicator, points: list[Point]) -> list[Point]:
    """An indicator's own periods: a quarterly measure's published years (DfE's figure for
    us) are compared beside its quarters, never assessed among them (alone, they are all
    there is, as in the trend)."""
    if ind.frequency == "annual":
        return points
    own = kind_for(ind.frequency, ind.year_basis)
    kept = [p for p in points if (when := read_label(p.period)) is not None and when.kind == own]
    return kept or points


def published_totals(store: Store) -> dict[str, list[str]]:
    """The periods each indicator has published figures for."""
    out: dict[str, list[str]] = {}
    with store.connect() as con:
        for ident, period in stored.published_totals(con):
            out.setdefault(ident, []).append(period)
    return out


def _wanted(
    indicators: list[Indicator], quarter: Period, published: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """The (indicator, period) figures that may be assessed at `quarter`, and the latest
    published year beside a figure tracked more often."""
    found = [
        (i.id, due_period(i, quarter).shift(-k).label)
        for i in indicators
        for k in range(LAG_ALLOWED[i.frequency] + 1)
    ]
    return found + [
        (i.id, year)
        for i in indicators
        if (year := published_beside(i, quarter, published.get(i.id, []))) is not None
    ]


def dated(status: IndicatorStatus, as_at: date | None) -> None:
    """Say how old the published figures beside a status are (its benchmark is a copy:
    cached statuses share theirs)."""
    b = status.benchmark
    if as_at is None or b is None or (b.england is None and b.rank is None):
        return
    status.benchmark = replace(b, as_at=as_at)
    status.reason = f"{status.reason.rstrip()} Published figures as at {as_at:%-d %B %Y}."
