"""The demo council's figures, made up deterministically: its own (each indicator's story,
stories.py) with their breakdowns adding up, and England's and the region's where DfE's real
ones are not used (metrics/demo/published.py)."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from charter import Charter, Indicator
from metrics.assess.target import Polarity, Target
from metrics.demo.published import lait_indicators
from metrics.demo.stories import (
    AWKWARD,
    DEMO_LATEST,
    MISSING_LATEST,
    PROVISIONAL,
    QUARTERS,
    SEED,
    STALE,
    STORIES,
    SUPPRESSED,
    TERMS,
    YEARS,
)
from metrics.periods.model import Period, PeriodKind, kind_for, latest_ended
from metrics.rounding import fmt_half_up, ratio


@dataclass
class DemoRow:
    indicator: str
    period: str
    value: str
    area: str = ""
    breakdown: str = ""
    group: str = ""
    numerator: str = ""
    denominator: str = ""
    status: str = ""
    note: str = ""


def periods_for(indicator: Indicator) -> list[Period]:
    kind = kind_for(indicator.frequency, indicator.year_basis)
    if kind == PeriodKind.FY_QUARTER:
        return [DEMO_LATEST.shift(-i) for i in reversed(range(QUARTERS))]
    last = latest_ended(kind, DEMO_LATEST.end)
    count = TERMS if kind == PeriodKind.ACADEMIC_TERM else YEARS
    return [last.shift(-i) for i in reversed(range(count))]


def _scale(ind: Indicator) -> tuple[float, float, float]:
    """(poor, good, typical denominator) for an indicator, anchored on its target."""
    aim = Target.of(ind)
    target, lower = aim.value, aim.polarity is Polarity.LOWER
    if ind.unit == "percent":
        good = target if target is not None else 70.0
        return max(good - 30, 5), min(good + 5, 99), 60
    if ind.unit in ("weeks", "days"):
        good = target if target is not None else 12.0
        return good * 2.2, good * 0.8, 0
    if ind.unit.startswith("rate"):
        good = target if target is not None else 450.0
        if lower:
            return good * 1.6, good * 0.8, 4000
        return good * 0.8, good * 1.2, 48_000
    good = target if target is not None else 1500.0
    if lower:
        return good * 1.8, good * 0.8, 0
    return good * 0.75, good * 1.05, 0


def _level(ind: Indicator, i: int, n: int, rng: random.Random) -> float:
    poor, good, _ = _scale(ind)
    aim = Target.of(ind)
    if ind.id in STORIES and STORIES[ind.id] is None and aim.value is not None:
        return aim.value + rng.uniform(-1.3, 1.3) * (aim.tolerance or aim.value * 0.05)
    story = STORIES.get(ind.id)
    if story is None:  # the rest: a deterministic mix, from well short of target to past it
        mix = random.Random(SEED ^ zlib.crc32(ind.id.encode()))
        story = (mix.uniform(0.35, 0.7), mix.uniform(0.6, 1.1))
    start, end = story
    share = start + (end - start) * (i / max(n - 1, 1)) + rng.gauss(0, 0.05)
    return poor + (good - poor) * share


def _fmt(value: float, decimals: int) -> str:
    return fmt_half_up(value, decimals, thousands=False)


def _figure(ind: Indicator, level: float, size: float, rng: random.Random) -> tuple[str, str, str]:
    """(value, numerator, denominator) as text for a figure around `level`."""
    multiplier = ind.multiplier
    if multiplier is not None:
        level = min(max(level, 0.0), multiplier * 0.99)
        den = max(int(size * rng.uniform(0.85, 1.15)), 4)
        num = min(round(den * level / multiplier), den)
        return _fmt(ratio(num, den, multiplier, ind.decimals), ind.decimals), str(num), str(den)
    value = max(level, 0.0)
    if ind.unit == "count":
        return str(round(value)), "", ""
    return _fmt(value, ind.decimals), "", ""


def _shares(whole: int, weights: list[float]) -> list[int]:
    """`whole` split in proportion to `weights`, in whole numbers that add up to it exactly
    (largest remainders get the units left over)."""
    total = sum(weights) or 1.0
    exact = [whole * w / total if sum(weights) else whole / len(weights) for w in weights]
    parts = [int(e) for e in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: whole - sum(parts)]:
        parts[i] += 1
    return parts


def _adding_up(
    ind: Indicator, total: tuple[str, str, str], groups: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The groups of an (exhaustive) breakdown made to add up to the total, keeping their
    shape: a count's values; a percentage's or rate's numerators and denominators (each
    numerator within its denominator). Medians and averages do not add up: left as drawn."""
    if ind.multiplier is not None and total[2]:
        dens = _shares(int(total[2]), [float(g[2]) for g in groups])
        for i, d in enumerate(dens):  # every group out of at least one
            if d == 0:
                dens[dens.index(max(dens))] -= 1
                dens[i] = 1
        nums = _shares(int(total[1]), [float(g[1]) for g in groups])
        for i in range(len(nums)):  # a numerator over its denominator: move the excess on
            excess = nums[i] - dens[i]
            if excess > 0:
                nums[i] = dens[i]
                for j in sorted(range(len(nums)), key=lambda j: nums[j] - dens[j]):
                    room = min(excess, dens[j] - nums[j])
                    nums[j], excess = nums[j] + room, excess - room
        return [
            (_fmt(ratio(n, d, ind.multiplier, ind.decimals), ind.decimals), str(n), str(d))
            for n, d in zip(nums, dens, strict=True)
        ]
    if ind.unit == "count":
        counts = _shares(int(total[0]), [float(g[0]) for g in groups])
        return [(str(c), "", "") for c in counts]
    return groups


def demo_rows(charter: Charter) -> list[DemoRow]:
    """Every figure of the demo council and its comparators, deterministic. England's and the
    region's for the indicators LAIT publishes are DfE's real ones (metrics/demo/published.py),
    never made up here."""
    council = charter.council
    real = lait_indicators(charter)
    rows: list[DemoRow] = []
    for ind in charter.indicators.values():
        rng = random.Random(SEED + zlib.crc32(ind.id.encode()))
        periods = periods_for(ind)
        if ind.id == STALE[0]:
            periods = periods[: -STALE[1]]
        if ind.id == MISSING_LATEST:
            periods = periods[:-1]
        _, _, size = _scale(ind)
        for i, period in enumerate(periods):
            level = _level(ind, i, len(periods), rng)
            value, num, den = _figure(ind, level, size, rng)
            rows.append(DemoRow(ind.id, period.label, value, numerator=num, denominator=den))
            for dim in ind.breakdowns:
                groups = charter.breakdowns[dim].groups
                drawn = []
                for _group in groups:
                    share = 1 / len(groups)
                    g_level = (
                        level * rng.uniform(0.85, 1.15)
                        if ind.multiplier or ind.unit != "count"
                        else level * share * rng.uniform(0.7, 1.3)
                    )
                    drawn.append(_figure(ind, g_level, max(size * share, 8), rng))
                for group, (g_value, g_num, g_den) in zip(
                    groups, _adding_up(ind, (value, num, den), drawn), strict=True
                ):
                    if (ind.id, dim, group) == SUPPRESSED and period == periods[-1]:
                        g_value, g_num, g_den = "c", "", ""
                    rows.append(
                        DemoRow(
                            ind.id,
                            period.label,
                            g_value,
                            breakdown=dim,
                            group=group,
                            numerator=g_num,
                            denominator=g_den,
                        )
                    )
            if ind.benchmark and ind.id not in real:
                for area, shift in ((council.england.code, 0.08), (council.region.code, 0.03)):
                    c_value, c_num, c_den = _figure(
                        ind, level * (1 + shift * rng.uniform(-1, 1)), size * 40, rng
                    )
                    rows.append(
                        DemoRow(
                            ind.id,
                            period.label,
                            c_value,
                            area=area,
                            numerator=c_num,
                            denominator=c_den,
                        )
                    )
    for row in rows:
        if row.indicator == PROVISIONAL and row.period == DEMO_LATEST.label:
            row.status = "provisional"
            row.note = "Provisional: two providers have not yet confirmed their figures."
        awkward = AWKWARD.get((row.indicator, row.breakdown), {})
        if row.period == DEMO_LATEST.label and not row.area and row.group in awkward:
            row.value, row.numerator, row.denominator = awkward[row.group]
    return rows
