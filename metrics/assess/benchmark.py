"""Benchmarks: our council against England, its region (and, for a London borough, its half
of London: Inner or Outer London, as DfE publishes them), its comparator group and every
council, read through polarity (rank 1 = best), with a significance test against England.

Significance (percentages with a numerator and denominator): the Wilson score 95% interval
of our proportion; "significantly better/worse than England" when England's value lies
outside it. Other units get no significance test, and say so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from charter import Charter, Indicator
from metrics.assess.target import Polarity, Target
from metrics.periods.text import read_label
from metrics.reference import councils_in, one_council, sub_region_of
from metrics.store import assess as stored, published
from metrics.store.connection import Store

Z95 = 1.959964


@dataclass
class Benchmark:
    england: float | None = None
    region: float | None = None
    sub_region: float | None = None  # Inner or Outer London, for a London borough only
    group: float | None = None  # comparator group, by `statistic`
    group_size: int = 0
    group_source: str | None = None  # "statistical neighbours: DfE model of May 2025"
    statistic: str = "mean"
    rank: int | None = None  # 1 = best, among all councils with a figure; ties take the lowest
    councils: int = 0
    tied: bool = False  # another council has the same figure: "joint 1st of 152"
    quartile: int | None = None  # 1 = best quarter
    significance: str | None = None  # better | worse | similar | None (not tested)
    interval: tuple[float, float] | None = None  # our 95% interval, for percentages
    period: str | None = None  # set when the comparison is of another period than the figure
    ours: float | None = None  # our figure compared (the published one, for `period`)
    as_at: date | None = None  # the date the published figures compared are as at

    @property
    def band(self) -> str | None:
        """The quartile band as LAIT writes it: A the best quarter, D the worst."""
        return "ABCD"[self.quartile - 1] if self.quartile else None

    def as_at_words(self) -> str | None:
        """ "published figures as at 8 April 2026", or None when not known."""
        return f"published figures as at {self.as_at:%-d %B %Y}" if self.as_at else None

    def rank_text(self) -> str | None:
        """ "joint 1st of 152", or None when not ranked."""
        if self.rank is None or self.councils < 2:
            return None
        return rank_words(self.rank, self.councils, self.tied)

    def as_json(self) -> dict[str, object]:
        return {
            "england": self.england,
            "region": self.region,
            "sub_region": self.sub_region,
            "group": self.group,
            "group_size": self.group_size,
            "group_source": self.group_source,
            "group_statistic": self.statistic,
            "rank": self.rank,
            "councils": self.councils,
            "tied": self.tied,
            "rank_words": self.rank_text(),
            "quartile": self.quartile,
            "quartile_band": self.band,
            "significance": self.significance,
            "interval": list(self.interval) if self.interval else None,
            "period": self.period,
            "published_as_at": self.as_at.isoformat() if self.as_at else None,
        }


def wilson(numerator: float, denominator: float) -> tuple[float, float]:
    """The Wilson score 95% interval of numerator/denominator, in percent."""
    p, n = numerator / denominator, denominator
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return (100 * (centre - half), 100 * (centre + half))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: int, councils: int, tied: bool) -> str:
    """A rank as every page, pack and CSV says it: "joint 1st of 152" when shared."""
    return f"{'joint ' if tied else ''}{ordinal(rank)} of {councils}"


def ranks(values: list[float], polarity: Polarity | str) -> list[int]:
    """Each value's rank, 1 the best by polarity; ties take the lowest rank (as LAIT: R's
    rank(ties.method = "min")), so three councils tied at the top are each 1st."""
    return Polarity(polarity).ranks(values)


def quartile_band(value: float, values: list[float], polarity: Polarity | str) -> int | None:
    """The quartile band as LAIT computes it (its R/fn_analysis.R): cut points at 0, 25, 50,
    75 and 100% of every council's value (R's default quantile, type 7: interpolated, as
    statistics.quantiles' "inclusive" method), a value on a cut point in the band below it,
    bands oriented by polarity. 1 = A, the best quarter; None for neutral polarity."""
    polarity = Polarity(polarity)
    if not polarity.has_better_side or len(values) < 2:
        return None
    q25, q50, q75 = statistics.quantiles(values, n=4, method="inclusive")
    ascending = 1 if value <= q25 else 2 if value <= q50 else 3 if value <= q75 else 4
    return ascending if polarity is Polarity.LOWER else 5 - ascending


def rank_of(ours: float, others: Iterable[float], polarity: Polarity | str) -> tuple[int, int, int]:
    """(rank, councils, quartile) with rank 1 the best by polarity; ties share the lowest
    rank; the quartile band as LAIT's (`quartile_band`)."""
    values, lower = list(others), Polarity(polarity) is Polarity.LOWER
    better = sum(v < ours for v in values) if lower else sum(v > ours for v in values)
    rank, n = better + 1, len(values)
    quartile = quartile_band(ours, values, polarity) if n > 1 else 1
    return rank, n, quartile or 1


Given = TypeVar("Given", float, str)  # an area's figure, or the symbol given instead


def comparator(code: str, areas: Mapping[str, Given]) -> Given | None:
    """A comparator council's figure, under its current code or, for a period before a
    one-to-one change of code, its predecessor's (North Yorkshire E06000065 published as
    E10000023 until 2023), as a council's own series follows them (reference.one_council)."""
    return next((areas[c] for c in one_council(code) if c in areas), None)


def benchmark(
    ind: Indicator,
    charter: Charter,
    ours: float | None,
    numerator: float | None,
    denominator: float | None,
    areas: dict[str, float],
) -> Benchmark:
    """Compare our figure with every area's figure for the same period.

    Counts are never compared: a council's count and England's (or a region's, or a larger
    council's) measure places of different sizes. Rates and percentages are. Without our
    figure (`ours` None: none published for the period) there is no rank."""
    council = charter.council
    if ind.unit == "count":
        return Benchmark(statistic=council.comparator_statistic)
    b = Benchmark(
        england=areas.get(council.england.code),
        region=areas.get(council.region.code),
        sub_region=areas.get(half.code) if (half := sub_region_of(council.code)) else None,
        statistic=council.comparator_statistic,
    )
    neighbours = charter.neighbours()
    group = [
        v for c in neighbours.codes if c != council.code and (v := comparator(c, areas)) is not None
    ]
    if group:
        b.group_size, b.group_source = len(group), neighbours.words
        b.group = statistics.mean(group) if b.statistic == "mean" else statistics.median(group)
    b.ours = ours
    if ours is None:
        return b
    councils = councils_in(areas, council.code)  # each council once (no region, no half)
    councils[council.code] = ours
    aim = Target.of(ind)
    if len(councils) > 1 and aim.has_better_side:
        b.rank, b.councils, b.quartile = rank_of(ours, councils.values(), aim.polarity)
        b.tied = sum(v == ours for v in councils.values()) > 1
    elif len(councils) > 1:
        b.councils = len(councils)
    if ind.unit == "percent" and numerator is not None and denominator and b.england is not None:
        b.interval = wilson(numerator, denominator)
        low, high = b.interval
        if low <= b.england <= high:
            b.significance = "similar"
        else:
            higher = b.england < low
            good = aim.improvement(1.0 if higher else -1.0)  # None: no better side
            b.significance = (
                ("higher" if higher else "lower")
                if good is None
                else ("better" if good else "worse")
            )
    return b


def changes(series: dict[str, float | None]) -> dict[str, float | None]:
    """Each period's change from the period before, as LAIT works it out: only between
    consecutive periods that both have a figure (2021 after 2019 has no change)."""
    out: dict[str, float | None] = {}
    for label, value in series.items():
        period = read_label(label)
        before = series.get(period.previous().label) if period is not None else None
        out[label] = None if value is None or before is None else value - before
    return out


def published_as_at(store: Store) -> dict[str, date]:
    """Indicator -> the date its published figures are as at (the newest file imported)."""
    with store.connect() as con:
        return {i: d for i, (d, _) in published.as_at_by_indicator(con).items()}


def area_values(
    store: Store, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, float]]:
    """{(indicator, period): {area: value}} for the (indicator, period) pairs wanted."""
    if not wanted:
        return {}
    out: dict[tuple[str, str], dict[str, float]] = {}
    with store.connect() as con:
        for ident, period, area, value in stored.current_values(con, wanted):
            out.setdefault((ident, period), {})[area] = value
    return out


def area_symbols(
    store: Store, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, str]]:
    """{(indicator, period): {area: symbol}} of the areas given a symbol and no figure (DfE's
    z not applicable, c confidential, ...), so an output says which, not "not available"."""
    if not wanted:
        return {}
    out: dict[tuple[str, str], dict[str, str]] = {}
    with store.connect() as con:
        for ident, period, area, symbol in stored.current_symbols(con, wanted):
            out.setdefault((ident, period), {})[area] = symbol
    return out
