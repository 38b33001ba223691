"""The numbers behind an indicator's charts: its trend beside comparators, and breakdowns."""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter, Indicator
from metrics.benchmark import area_values, is_council
from metrics.periods import parse_period
from metrics.queries import SeriesRow, series
from metrics.spc import SpcResult
from metrics.status import Point, spc_for, target_for
from metrics.store import Store


@dataclass(frozen=True)
class TrendRow:
    period: str
    value: float | None
    symbol: str | None
    status: str
    revised: bool
    numerator: float | None
    denominator: float | None
    england: float | None
    region: float | None
    target: float | None


@dataclass(frozen=True)
class GroupRow:
    group: str
    value: float | None
    symbol: str | None
    status: str
    numerator: float | None
    denominator: float | None


def trend(store: Store, charter: Charter, ind: Indicator) -> list[TrendRow]:
    """Our council's figures oldest first, with England and the region where published."""
    council = charter.council
    ours = series(store, ind.id, council.code)
    england = {r.period: r.value for r in series(store, ind.id, council.england.code)}
    region = {r.period: r.value for r in series(store, ind.id, council.region.code)}
    return [
        TrendRow(
            r.period,
            r.value,
            r.symbol,
            r.status,
            r.revised,
            r.numerator,
            r.denominator,
            england.get(r.period),
            region.get(r.period),
            ind.target,
        )
        for r in ours
    ]


def breakdown(
    store: Store, charter: Charter, ind: Indicator, dimension: str, period: str | None = None
) -> tuple[str | None, list[GroupRow]]:
    """Each group's figure for `period` (default: the latest with any group figure)."""
    rows: list[SeriesRow] = series(store, ind.id, charter.council.code, dimension)
    if not rows:
        return None, []
    period = period or rows[-1].period
    order = {g: i for i, g in enumerate(charter.breakdowns[dimension].groups)}
    chosen = sorted((r for r in rows if r.period == period), key=lambda r: order.get(r.group, 99))
    return period, [
        GroupRow(r.group, r.value, r.symbol, r.status, r.numerator, r.denominator) for r in chosen
    ]


def provenance(store: Store, charter: Charter, ind: Indicator) -> SeriesRow | None:
    """The most recently recorded of our council's current figures for the indicator."""
    rows = series(store, ind.id, charter.council.code)
    return max(rows, key=lambda r: r.recorded_at) if rows else None


def spc(ind: Indicator, rows: list[TrendRow]) -> SpcResult | None:
    """The SPC chart of our council's figures, as the status uses it."""
    if not rows:
        return None
    points = [
        Point(r.period, r.value, r.symbol, r.status, r.revised, r.numerator, r.denominator)
        for r in rows
    ]
    last = parse_period(rows[-1].period)
    return spc_for(ind, points, last, target_for(ind, last) if ind.polarity != "neutral" else None)


@dataclass(frozen=True)
class AreaValue:
    area: str
    value: float
    ours: bool


def councils(store: Store, charter: Charter, ind: Indicator, period: str) -> list[AreaValue]:
    """Every council's figure for a period, best first by polarity (ours included)."""
    values = area_values(store, [(ind.id, period)]).get((ind.id, period), {})
    out = [AreaValue(a, v, a == charter.council.code) for a, v in values.items() if is_council(a)]
    return sorted(out, key=lambda a: a.value, reverse=ind.polarity != "lower_is_better")
