"""Benchmarks: our council against England, its region, its comparator group and every
council, read through polarity (rank 1 = best), with a significance test against England.

Significance (percentages with a numerator and denominator): the Wilson score 95% interval
of our proportion; "significantly better/worse than England" when England's value lies
outside it. Other units get no significance test, and say so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from charter import Charter, Indicator
from metrics.reference import is_council
from metrics.store import Store

Z95 = 1.959964

# Every current total for the periods asked about, for every area: one query for all indicators.
VALUES = """
SELECT o.indicator_id, o.period, o.area_code, o.value
FROM observations o JOIN wanted w ON w.indicator_id = o.indicator_id AND w.period = o.period
WHERE o.breakdown = '' AND o.superseded_by IS NULL AND o.value IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY o.indicator_id, o.period, o.area_code
                           ORDER BY o.origin = 'local' DESC) = 1
"""


@dataclass
class Benchmark:
    england: float | None = None
    region: float | None = None
    group: float | None = None  # comparator group, by `statistic`
    group_size: int = 0
    statistic: str = "mean"
    rank: int | None = None  # 1 = best, among all councils with a figure
    councils: int = 0
    quartile: int | None = None  # 1 = best quarter
    significance: str | None = None  # better | worse | similar | None (not tested)
    interval: tuple[float, float] | None = None  # our 95% interval, for percentages

    def as_json(self) -> dict[str, object]:
        return {
            "england": self.england,
            "region": self.region,
            "group": self.group,
            "group_size": self.group_size,
            "group_statistic": self.statistic,
            "rank": self.rank,
            "councils": self.councils,
            "quartile": self.quartile,
            "significance": self.significance,
            "interval": list(self.interval) if self.interval else None,
        }


def wilson(numerator: float, denominator: float) -> tuple[float, float]:
    """The Wilson score 95% interval of numerator/denominator, in percent."""
    p, n = numerator / denominator, denominator
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return (100 * (centre - half), 100 * (centre + half))


def rank_of(ours: float, others: Iterable[float], polarity: str) -> tuple[int, int, int]:
    """(rank, councils, quartile) with rank 1 the best by polarity; ties share a rank."""
    values = list(others)
    better = (
        sum(v > ours for v in values)
        if polarity != "lower_is_better"
        else sum(v < ours for v in values)
    )
    rank, n = better + 1, len(values)
    quartile = min(4, 1 + (4 * (rank - 1)) // n) if n else 1
    return rank, n, quartile


def benchmark(
    ind: Indicator,
    charter: Charter,
    ours: float,
    numerator: float | None,
    denominator: float | None,
    areas: dict[str, float],
) -> Benchmark:
    """Compare our figure with every area's figure for the same period.

    Counts are never compared: a council's count and England's (or a region's, or a larger
    council's) measure places of different sizes. Rates and percentages are."""
    council = charter.council
    if ind.unit == "count":
        return Benchmark(statistic=council.comparator_statistic)
    b = Benchmark(
        england=areas.get(council.england.code),
        region=areas.get(council.region.code),
        statistic=council.comparator_statistic,
    )
    group = [areas[c] for c in council.comparators if c in areas and c != council.code]
    if group:
        b.group_size = len(group)
        b.group = statistics.mean(group) if b.statistic == "mean" else statistics.median(group)
    councils = {a: v for a, v in areas.items() if is_council(a, council.code)}
    councils[council.code] = ours
    if len(councils) > 1 and ind.polarity != "neutral":
        b.rank, b.councils, b.quartile = rank_of(ours, councils.values(), ind.polarity)
    elif len(councils) > 1:
        b.councils = len(councils)
    if ind.unit == "percent" and numerator is not None and denominator and b.england is not None:
        b.interval = wilson(numerator, denominator)
        low, high = b.interval
        if low <= b.england <= high:
            b.significance = "similar"
        else:
            higher = b.england < low
            good = higher if ind.polarity != "lower_is_better" else not higher
            b.significance = (
                ("higher" if higher else "lower")
                if ind.polarity == "neutral"
                else ("better" if good else "worse")
            )
    return b


def area_values(
    store: Store, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, float]]:
    """{(indicator, period): {area: value}} for the (indicator, period) pairs wanted."""
    import pyarrow as pa

    if not wanted:
        return {}
    table = pa.table({"indicator_id": [w[0] for w in wanted], "period": [w[1] for w in wanted]})
    out: dict[tuple[str, str], dict[str, float]] = {}
    with store.connect() as con:
        con.register("wanted", table)
        for ident, period, area, value in con.execute(VALUES).fetchall():
            out.setdefault((ident, period), {})[area] = value
    return out
