"""The views councils know from DfE's LAIT, as data for the indicator page and packs: our
council against England, its region and its neighbours over every published year; every
council in the region or the neighbour group in one year; and every council ranked, with its
quartile band. Each says whose neighbours and how old the published figures are.

Ranks, bands and the neighbour average are metrics/assess/benchmark.py's (LAIT's rules);
this module only lays them out. Counts are never compared (a count measures a place's size).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date

from charter import Charter, Indicator
from metrics.assess.benchmark import (
    Given,
    area_symbols,
    area_values,
    benchmark,
    changes,
    comparator,
    published_as_at,
    quartile_band,
)
from metrics.assess.target import Target
from metrics.dates import long_date
from metrics.periods.text import parse_period, read_label
from metrics.publish.boundary import BoundaryChange, boundary_change
from metrics.publish.compare_year import YearCompared
from metrics.reference import councils_in, known_areas, one_council, sub_region_of
from metrics.store.connection import Store
from metrics.store.queries import area_names, published_periods


@dataclass(frozen=True)
class CouncilFigure:
    """A council's figure in one year, with its rank and quartile band among all councils."""

    code: str
    name: str
    value: float
    rank: int | None
    tied: bool
    band: str | None
    ours: bool
    in_region: bool
    neighbour: bool


@dataclass(frozen=True)
class Compared:
    """Everything the views show for one indicator."""

    years: list[YearCompared]
    latest: str | None  # the latest published year with councils' figures
    councils: list[CouncilFigure]  # every council in `latest`, best first
    group_words: str  # "statistical neighbours: DfE model of May 2025"
    as_at: date | None
    fictional: str | None  # "Wrenfield Council (demo) is fictional: ..." for the demo
    quarter: str | None = None  # the chosen quarter: only years ended by its end are shown
    boundary: BoundaryChange | None = None  # our area changed: the figures before, apart

    def when(self, period: str) -> str:
        """ "2024", or at a chosen quarter "published figures for 2024, the latest at
        2025-26 Q3" (a published year is not the quarter, but is read at it)."""
        if self.quarter is None:
            return period
        return f"published figures for {period}, the latest at {self.quarter}"

    def source_words(self) -> str:
        """What every benchmark says: whose neighbours, and how old the figures are."""
        when = f"; published figures as at {long_date(self.as_at)}" if self.as_at else ""
        words = self.group_words
        if ": " in words:  # "statistical neighbours: DfE model of May 2025"
            words = words.replace(": ", " (", 1) + ")"
        return f"Neighbours: {words}{when}."


def compared(
    store: Store,
    charter: Charter,
    ind: Indicator,
    quarter: str | None = None,
    unseen: Collection[str] = (),
) -> Compared | None:
    """The comparisons for `ind`, or None when it is a count or nothing is published. At a
    chosen `quarter`, only the years that had ended by its end (as everywhere on the page):
    a figure for a later year was not known then. `unseen`: the years in which the reader
    may not see our figure compared (withheld.not_compared), compared as if we had none."""
    periods = compared_periods(store, ind, quarter)
    if not periods:
        return None
    wanted = [(ind.id, p) for p in periods]
    values = without_ours(area_values(store, wanted), charter, {ind.id: unseen})
    symbols = without_ours(area_symbols(store, wanted), charter, {ind.id: unseen})
    return compared_from(store, charter, ind, quarter, periods, values, symbols)


def compared_periods(store: Store, ind: Indicator, quarter: str | None = None) -> list[str]:
    """The published years `compared` compares (none for a count)."""
    if ind.unit == "count":
        return []
    return ended_by(published_periods(store, ind.id), quarter)


def every_compared(
    store: Store,
    charter: Charter,
    quarter: str | None = None,
    unseen: Mapping[str, Collection[str]] | None = None,
) -> dict[str, Compared]:
    """`compared` for every indicator that has comparisons, every council's figures read at
    once: read indicator by indicator, the same query planned again for each was some 20 ms
    of a pack (bench/README.md). `unseen`: indicator -> years as for `compared`."""
    periods = {ind.id: compared_periods(store, ind, quarter) for ind in charter.indicators.values()}
    wanted = [(i, p) for i, ps in periods.items() for p in ps]
    values = without_ours(area_values(store, wanted), charter, unseen or {})
    symbols = without_ours(area_symbols(store, wanted), charter, unseen or {})
    return {
        ind.id: compared_from(store, charter, ind, quarter, periods[ind.id], values, symbols)
        for ind in charter.indicators.values()
        if periods[ind.id]
    }


def compared_from(
    store: Store,
    charter: Charter,
    ind: Indicator,
    quarter: str | None,
    periods: list[str],
    values: dict[tuple[str, str], dict[str, float]],
    symbols: Mapping[tuple[str, str], dict[str, str]] | None = None,
) -> Compared:
    """`compared`, from its years and every area's figures for them (`area_values`) and the
    symbols of those with none (`area_symbols`)."""
    council = charter.council
    half = sub_region_of(council.code)  # Inner or Outer London; None outside London
    years = []
    for period in periods:
        areas = values.get((ind.id, period), {})
        given = (symbols or {}).get((ind.id, period), {})
        ours = comparator(council.code, areas)  # under an older code of ours too
        b = benchmark(ind, charter, ours, None, None, areas)
        years.append(
            YearCompared(
                period, ours, b.england, b.region, b.group,
                b.group_size, b.rank, b.councils, b.tied, b.band,
                ours_symbol=None if ours is not None else comparator(council.code, given),
                england_symbol=given.get(council.england.code),
                region_symbol=given.get(council.region.code),
                sub_region_name=half.name if half else None,
                sub_region=b.sub_region,
                sub_region_symbol=given.get(half.code) if half else None,
            )
        )  # fmt: skip
    moved = changes({y.period: y.ours for y in years})
    years = [replace(y, change=moved[y.period]) for y in years]
    ranked = [y for y in years if sum(1 for _ in _councils(values, ind, y.period, charter)) > 1]
    latest = ranked[-1].period if ranked else None
    found = all_councils(store, charter, ind, values.get((ind.id, latest), {})) if latest else []
    as_at = published_as_at(store).get(ind.id)
    fictional = (
        None
        if council.code in known_areas()
        else f"{council.name} is fictional: its figures are made up. Every other council's, "
        "the region's and England's are DfE's published figures."
    )
    words = charter.neighbours().words
    boundary = boundary_change(council.code, ind, periods, values)
    return Compared(years, latest, found, words, as_at, fictional, quarter, boundary)


def without_ours(
    values: dict[tuple[str, str], dict[str, Given]],
    charter: Charter,
    unseen: Mapping[str, Collection[str]],
) -> dict[tuple[str, str], dict[str, Given]]:
    """Every area's figures (or symbols), less our council's in the years `unseen` (indicator
    -> years): ranked, banded or counted among the councils, a withheld figure of ours would
    be narrowed down by where it sits between theirs, so the year is compared as if we had
    no figure."""
    ours = {charter.council.code, *one_council(charter.council.code)}  # older codes of ours too
    return {
        (ind_id, period): (
            {a: v for a, v in areas.items() if a not in ours}
            if period in unseen.get(ind_id, ())
            else areas
        )
        for (ind_id, period), areas in values.items()
    }


def ended_by(periods: list[str], quarter: str | None) -> list[str]:
    """The periods that had ended by the end of `quarter` (all of them without one); a label
    no parser reads is left out, as readers skip it."""
    if quarter is None:
        return periods
    end = parse_period(quarter).end
    return [p for p in periods if (r := read_label(p)) is not None and r.end <= end]


def _councils(
    values: dict[tuple[str, str], dict[str, float]], ind: Indicator, period: str, charter: Charter
) -> list[tuple[str, float]]:
    areas = values.get((ind.id, period), {})
    return list(councils_in(areas, charter.council.code).items())


def all_councils(
    store: Store, charter: Charter, ind: Indicator, areas: dict[str, float]
) -> list[CouncilFigure]:
    """Every council with a figure, best first, ranked as LAIT ranks (ties the lowest rank)
    with its quartile band; ours, the region's and the neighbours' marked."""
    council = charter.council
    found = councils_in(areas, council.code)  # each council once, ours under our code
    aim = Target.of(ind)
    values = list(found.values())
    ranks: list[int | None] = (
        list(aim.polarity.ranks(values)) if aim.has_better_side else [None] * len(values)
    )
    names = area_names(store)
    known = known_areas()
    group = {c for n in charter.neighbours().codes for c in one_council(n)}
    out = []
    for (code, value), rank in zip(found.items(), ranks, strict=True):
        band = quartile_band(value, values, aim.polarity) if len(values) > 1 else None
        area = known.get(code)
        ours = code == council.code
        out.append(
            CouncilFigure(
                code,
                council.name if ours else names.get(code, area.name if area else code),
                value,
                rank,
                rank is not None and ranks.count(rank) > 1,
                "ABCD"[band - 1] if band else None,
                ours,
                ours or (area is not None and area.region_code == council.region.code),
                code in group,
            )
        )
    return sorted(out, key=lambda f: (f.rank or 0, f.name))


def focus(found: Compared, on: str) -> list[CouncilFigure]:
    """Our council and every council of the region (`on` "region") or of the neighbour
    group ("neighbours") in the latest year, best first."""
    region = on == "region"
    return [f for f in found.councils if f.ours or (f.in_region if region else f.neighbour)]
