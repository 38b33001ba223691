"""The disclosure audit's time (issue 26): every table published for the demo quarter, and
for a quarter with every breakdown of every indicator filled (groups that add up to the
total, small groups common), against the first, unaudited pattern of the same tables
(`disclosure.withhold`) in the same run. Target: under 1 s for the demo quarter."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from charter import Charter
from metrics.assess.rollup import charter_status
from metrics.demo.council import build_demo
from metrics.demo.stories import DEMO_LATEST
from metrics.publish import audit, withheld
from metrics.publish.disclosure import Figure, withhold
from metrics.store.connection import Store


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.choice((0.02, 0.05, 0.2, 1.0, 1.0)) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def filled(charter: Charter, seed: int = 26) -> list[tuple[list[Figure], bool, float | None]]:
    """One table per indicator with breakdowns: a total and every group of every breakdown,
    adding up, many groups small."""
    rng = random.Random(seed)
    out = []
    for ind in charter.indicators.values():
        if not ind.breakdowns or (ind.unit != "count" and ind.multiplier is None):
            continue
        den = rng.randint(40, 400)
        num = rng.randint(0, den) if ind.multiplier else den
        if ind.multiplier:
            figs = [Figure("", "", num * ind.multiplier / den, num, den)]
        else:
            figs = [Figure("", "", float(num))]
        for dim in ind.breakdowns:
            groups = charter.breakdowns[dim].groups
            dens = _split(den, len(groups), rng)
            nums = [min(d, round(num * d / den)) for d in dens]
            for i in range(len(nums)):  # share what is left within each denominator
                step = max(-nums[i], min(dens[i] - nums[i], num - sum(nums)))
                nums[i] += step
            for g, n, d in zip(groups, nums, dens, strict=True):
                if ind.multiplier:
                    figs.append(Figure(dim, g, n * ind.multiplier / d if d else None, n, d))
                else:
                    figs.append(Figure(dim, g, float(d)))
        out.append((figs, ind.unit == "count", ind.multiplier))
    return out


def _best(run: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def run(charter: Charter, work: Path) -> list[dict[str, object]]:
    db = work / "disclosure-demo.duckdb"
    db.unlink(missing_ok=True)
    build_demo(Store(db), charter)
    store = Store(db)
    statuses = charter_status(store, charter, DEMO_LATEST)
    tables = {(i.id, i.period or i.due) for s in statuses for i in s.indicators}

    def demo() -> None:
        audit._remembered.cache_clear()  # measure the audit, not its memory of the last run
        withheld.withheld_figures(store, charter, tables=tables)

    demo_s = _best(demo)

    def unaudited() -> None:
        rule = withheld.rule_for(charter.council)
        for ind_id, found in withheld.figures_by_table(store, charter, tables=tables).items():
            ind = charter.indicators[ind_id[0]]
            withhold(found, rule, ind.unit == "count", ind.multiplier)

    demo_base = _best(unaudited)
    every = filled(charter)
    rule = withheld.rule_for(charter.council)
    full_s = _best(lambda: [audit.audited(f, rule, c, m) for f, c, m in every], repeats=1)
    full_base = _best(lambda: [withhold(f, rule, c, m) for f, c, m in every])
    return [
        {
            "name": f"disclosure audit, demo quarter {DEMO_LATEST.label} ({len(tables)} tables)",
            "value": round(demo_s * 1000, 1),
            "unit": "ms",
            "baseline": round(demo_base * 1000, 1),
            "ratio": round(demo_s / demo_base, 1),
            "target": "under 1000 ms (baseline: the same tables, unaudited pattern only)",
        },
        {
            "name": f"disclosure audit, every breakdown filled ({len(every)} tables)",
            "value": round(full_s * 1000, 1),
            "unit": "ms",
            "baseline": round(full_base * 1000, 1),
            "ratio": round(full_s / full_base, 1),
            "target": "reported (baseline: the same tables, unaudited pattern only)",
        },
    ]
