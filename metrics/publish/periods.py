"""Disclosure across publications: which of the app's publications could be differenced, and
what the app withholds so that its own cannot.

What could be differenced, and what is done:
- **A figure revised after it was published.** The earlier version was on the scrutiny page
  (and in any pack made meanwhile), so a reader may hold both; where they differ by a small
  number (a count from 1 to the threshold, in a count, a numerator or a denominator), the
  difference is a small number about children. The app withholds the current version for
  public readers, with the reason "revised by a small number after it was published", and
  the audit (metrics/publish/audit.py) makes sure it cannot be worked out from its table.
  The earlier version stays as published: it cannot be taken back.
- **A cumulative or year-to-date figure and its parts**, or a year and its quarters: no
  indicator in the charter is published both ways (each has one frequency and its own
  definition), so no such pair exists; an indicator added with the same definition at two
  frequencies would need the year's tables audited together with its quarters'.
- **Figures published by others** (DfE's own releases of our figures) are outside the app:
  the council's rule must match the publisher's, and the Help page says so.
"""

from __future__ import annotations

from collections import defaultdict

from charter import Charter
from metrics.publish.audit import count_fields
from metrics.publish.disclosure import REVISED, Figure, Rule
from metrics.store.connection import Store
from metrics.store.queries import earlier_figures

Key = tuple[str, str, str, str]  # indicator, period, breakdown, group


def revised_by_a_small_number(
    store: Store,
    charter: Charter,
    current: dict[tuple[str, str], list[Figure]],
    rule: Rule,
    indicator: str | None = None,
) -> dict[Key, str]:
    """The current figures that differ from an earlier version by a small number."""
    earlier: dict[Key, list[Figure]] = defaultdict(list)
    for ind_id, period, dim, grp, value, num, den in earlier_figures(
        store, charter.council.code, indicator
    ):
        key = (str(ind_id), str(period), str(dim), str(grp))
        earlier[key].append(Figure(str(dim), str(grp), value, num, den))  # type: ignore[arg-type]
    out: dict[Key, str] = {}
    if not earlier:
        return out
    for (ind_id, period), figures in current.items():
        ind = charter.indicators.get(ind_id)
        if ind is None:
            continue
        for f in figures:
            before = earlier.get((ind_id, period, f.breakdown, f.group), [])
            now = count_fields(f, ind.unit == "count", ind.multiplier)
            for old in before:
                then = count_fields(old, ind.unit == "count", ind.multiplier)
                shared = now.keys() & then.keys()
                if any(1 <= abs(now[k] - then[k]) <= rule.threshold for k in shared):
                    out[(ind_id, period, f.breakdown, f.group)] = REVISED
    return out
