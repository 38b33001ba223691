"""Where a measure needing attention is heading, for a pack: the projection's words (with
its method and back-tested error) and a table whose every row is marked a projection, made
from the figures the pack's reader may see (none from a withheld one for a published pack)."""

from __future__ import annotations

from typing import Any

from charter import Charter, Indicator
from metrics.assess.forecast import PERIODS
from metrics.assess.target import fmt_target_value
from metrics.assess.trajectory import with_trajectory
from metrics.assess.trend import TrendRow
from metrics.packs.sections import Table
from metrics.publish import outlook
from metrics.store.connection import Store
from metrics.words.narrative import fmt_value


def projection(
    store: Store, charter: Charter, ind: Indicator, rows: list[TrendRow], public: bool
) -> dict[str, Any]:
    """The exception's `heading` (words) and `projection` (table), as ExceptionItem takes them."""
    found = outlook.outlook(with_trajectory(store, charter, ind), rows, public, PERIODS, store)
    if not found.forecast.made:
        return {"heading": found.words}
    table = Table(
        f"{ind.title}: projection if nothing changes (not figures)",
        ["Period", "Kind", "Projected", "Likely from", "Likely to", "Target"],
        [
            [p.period, "Projection", fmt_value(p.central, ind), fmt_value(p.low, ind),
             fmt_value(p.high, ind), fmt_target_value(ind, t)]
            for p, t in zip(found.forecast.points, found.targets, strict=True)
        ],
    )  # fmt: skip
    words = f"{found.words} {outlook.method_words(ind, found.forecast)}"
    return {"heading": words, "projection": table}
