"""The numbers behind an indicator's charts: its trend beside comparators, and breakdowns."""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter, Indicator
from metrics.assess.benchmark import area_values
from metrics.assess.spc import SpcResult
from metrics.assess.status import Point, spc_for
from metrics.assess.target import Target
from metrics.assess.trajectory import with_trajectory
from metrics.periods.model import kind_for
from metrics.periods.text import parse_period, read_label
from metrics.reference import councils_in, sub_region_of
from metrics.store import assess as stored
from metrics.store.connection import Store
from metrics.store.queries import SeriesRow, series, series_by_area
from metrics.store.trends import series_by_indicator


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
    note: str | None = None  # supplied with the figure
    revision_reason: str | None = None  # why it was last revised
    withheld: str | None = None  # why disclosure control withholds it (metrics/publish)
    # the symbol DfE gave instead of a figure (z not applicable, c confidential, ...)
    england_symbol: str | None = None
    region_symbol: str | None = None
    # a London borough's half of London (Inner or Outer London) beside the region; the
    # name None for a council outside London
    sub_region_name: str | None = None
    sub_region: float | None = None
    sub_region_symbol: str | None = None


Found = tuple[list[SeriesRow], list[SeriesRow], list[SeriesRow], list[SeriesRow]]


@dataclass(frozen=True)
class GroupRow:
    group: str
    value: float | None
    symbol: str | None
    status: str
    numerator: float | None
    denominator: float | None
    withheld: str | None = None  # why disclosure control withholds it (metrics/publish)


def trend(store: Store, charter: Charter, ind: Indicator) -> list[TrendRow]:
    """Our council's figures oldest first, with England, the region (and a London borough's
    half of London) where published; each
    with the target in force for it (a trajectory's step, where the chair set one)."""
    with store.connect():
        ind = with_trajectory(store, charter, ind)
        return trend_rows(ind, _with_comparators(store, charter, ind), _half(charter))


def trends(store: Store, charter: Charter, inds: list[Indicator]) -> dict[str, list[TrendRow]]:
    """`trend` of each of several indicators, their series read at once (a pack's measures
    needing attention: one read instead of one each)."""
    c = charter.council
    half = sub_region_of(c.code)
    areas = [c.code, c.england.code, c.region.code, *([half.code] if half else [])]
    with store.connect():
        found = series_by_indicator(store, [i.id for i in inds], areas)
        out = {}
        for ind in inds:
            ind = with_trajectory(store, charter, ind)
            mine = found[ind.id]
            comparable = ind.unit != "count"  # as `_with_comparators`: no yardstick for a count
            out[ind.id] = trend_rows(
                ind,
                (
                    mine[c.code],
                    mine[c.england.code] if comparable else [],
                    mine[c.region.code] if comparable else [],
                    mine[half.code] if comparable and half else [],
                ),
                half.name if half else None,
            )
        return out


def _half(charter: Charter) -> str | None:
    """Our half of London's name (Inner or Outer London), None outside London."""
    half = sub_region_of(charter.council.code)
    return half.name if half else None


def _with_comparators(store: Store, charter: Charter, ind: Indicator) -> Found:
    """Our series, England's, the region's and a London borough's half of London's (none for
    a count: a country's count is no yardstick for a council's), in one read."""
    c = charter.council
    comparable = ind.unit != "count"
    half = sub_region_of(c.code)
    halves = [half.code] if half else []
    wanted = [c.code, c.england.code, c.region.code, *halves] if comparable else [c.code]
    found = series_by_area(store, ind.id, wanted)
    return (
        found[c.code],
        found.get(c.england.code, []),
        found.get(c.region.code, []),
        found.get(half.code, []) if half else [],
    )


def trend_rows(ind: Indicator, found: Found, half: str | None = None) -> list[TrendRow]:
    """Our rows beside the comparators' figures for the same periods; `half` the name of our
    half of London (its figures `found`'s last), None outside London."""
    ours, england_rows, region_rows, half_rows = found
    ours = own_kind(ind, ours)
    aim = Target.of(ind)
    england = {r.period: r.value for r in england_rows}
    region = {r.period: r.value for r in region_rows}
    england_symbol = {r.period: r.symbol for r in england_rows}
    region_symbol = {r.period: r.symbol for r in region_rows}
    halves = {r.period: (r.value, r.symbol) for r in half_rows}
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
            aim.for_period(parse_period(r.period)),  # the year's own target, if it has one
            r.note,
            r.revision_reason,
            england_symbol=england_symbol.get(r.period),
            region_symbol=region_symbol.get(r.period),
            sub_region_name=half,
            sub_region=halves.get(r.period, (None, None))[0],
            sub_region_symbol=halves.get(r.period, (None, None))[1],
        )
        for r in ours
    ]


def upto(rows: list[TrendRow], period: str | None, quarter: str | None = None) -> list[TrendRow]:
    """The rows up to and including `period`: what could be known at the chosen quarter, so
    the chart, comparisons and breakdowns agree with the headline. No row for a period that
    ends after the chosen `quarter` (at 2021-22 Q4, calendar 2022 has not ended)."""
    end = read_label(period) if period else None
    chosen = read_label(quarter) if quarter else None
    if end is None and chosen is None:
        return rows
    return [
        r
        for r in rows
        if (p := read_label(r.period)) is not None
        and (end is None or p.start <= end.start)
        and (chosen is None or p.end <= chosen.end)
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


def own_kind(ind: Indicator, ours: list[SeriesRow]) -> list[SeriesRow]:
    """Our figures of the indicator's own kind of period: a quarterly measure's published
    years sit beside its quarters (compared, reconciled), not among them; alone, they are
    the trend."""
    if ind.frequency == "annual":
        return ours
    own = kind_for(ind.frequency, ind.year_basis).value
    return [r for r in ours if r.period_kind == own] or ours


def trend_and_provenance(
    store: Store, charter: Charter, ind: Indicator
) -> tuple[list[TrendRow], SeriesRow | None]:
    """`trend`, and the most recently recorded of our council's current figures (where the
    latest figure came from), from one read."""
    with store.connect():
        ind = with_trajectory(store, charter, ind)
        found = _with_comparators(store, charter, ind)
    ours = own_kind(ind, found[0])  # where the trend's latest figure came from
    latest = max(ours, key=lambda r: r.recorded_at) if ours else None
    return trend_rows(ind, found, _half(charter)), latest


def spc(ind: Indicator, rows: list[TrendRow]) -> SpcResult | None:
    """The SPC chart of our council's figures, as the status uses it."""
    if not rows:
        return None
    points = [
        Point(r.period, r.value, r.symbol, r.status, r.revised, r.numerator, r.denominator)
        for r in rows
    ]
    last = parse_period(rows[-1].period)
    return spc_for(ind, points, last, Target.of(ind).in_force(last))


@dataclass(frozen=True)
class AreaValue:
    area: str
    value: float
    ours: bool


def councils(store: Store, charter: Charter, ind: Indicator, period: str) -> list[AreaValue]:
    """Every council's figure for a period, best first by polarity (ours included)."""
    values = area_values(store, [(ind.id, period)]).get((ind.id, period), {})
    out = [
        AreaValue(a, v, a == charter.council.code)
        for a, v in councils_in(values, charter.council.code).items()  # each council once
    ]
    return Target.of(ind).best_first(out, key=lambda a: a.value)


@dataclass(frozen=True)
class Reconciliation:
    period: str
    published: str  # the published figure, as words
    ours: str  # our own figures for the same year, combined
    how: str  # how ours were combined
    difference: float | None  # ours - published
    markers: str  # provisional / revised markers on either side
    source: str


def reconcile(store: Store, charter: Charter, ind: Indicator) -> list[Reconciliation]:
    """Published annual figures for our council beside our own figures for the same year."""
    from metrics.words.narrative import fmt_value

    with store.connect() as con:
        rows = stored.totals_to_reconcile(con, ind.id, charter.council.code)
    published = [r for r in rows if r[10]]
    own = [r for r in rows if not r[10]]
    out = []
    for p in published:
        inside = [r for r in own if r[2] >= p[2] and r[3] <= p[3] and r[0] != p[0]]
        same = [r for r in own if r[0] == p[0]]
        mine = same or inside
        if not mine:
            continue
        if same:
            ours, how = same[0][4], "our own figure for the same period"
        elif ind.multiplier and all(r[5] is not None and r[6] for r in mine):
            ours = sum(r[5] for r in mine) / sum(r[6] for r in mine) * ind.multiplier
            how = f"pooled from our {len(mine)} figures for {', '.join(r[0] for r in mine)}"
        else:
            values = [r[4] for r in mine if r[4] is not None]
            ours = sum(values) / len(values) if values else None
            how = f"average of our {len(values)} figures for {', '.join(r[0] for r in mine)}"
        marks = [f"{r[0]} provisional" for r in [*mine, p] if r[8] == "provisional"]
        marks += [f"{r[0]} revised" for r in [*mine, p] if r[9]]
        diff = ours - p[4] if ours is not None and p[4] is not None else None
        out.append(
            Reconciliation(
                p[0],
                fmt_value(p[4], ind, p[7]),
                fmt_value(ours, ind),
                how,
                diff,
                "; ".join(marks),
                p[11],
            )
        )
    return out
