"""Statistical process control as in NHS England's "Making Data Count": XmR charts with the
four special-cause rules, the variation and assurance icons, and a p-chart for percentages.

XmR, over a baseline of the series (all of it unless fixed to the first n points):
centre = mean; MR_i = |x_i - x_(i-1)|; MRbar = mean of the MRs (optionally screened: moving
ranges >= 3.267 x MRbar dropped, MRbar recomputed); limits = mean +/- 2.66 x MRbar; the
"outer third" starts at mean +/- (2 x 2.66 / 3) x MRbar. Fewer than 12 points: "trial limits".

Rules, in precedence (a point gets the first that applies):
1. astronomical: beyond a process limit;
2. trend: 7 or more consecutive points each strictly higher (or lower) than the one before;
3. two_of_three: of 3 consecutive points all on one side of the mean, at least 2 in the
   outer third (only those are flagged);
4. shift: 7 or more consecutive points all above (or all below) the mean; a point on the mean
   breaks it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from metrics.assess.spc_result import (  # the result's shape, as spc.SpcResult too
    SpcPhase,
    SpcPoint as SpcPoint,
    SpcResult as SpcResult,
)
from metrics.assess.target import Polarity

LIMIT = 2.66
OUTER = 2 * LIMIT / 3  # two thirds of the way to the limits, exactly (not 1.773)
SCREEN = 3.267
MIN_POINTS = 12
RUN = 7


def moving_range_mean(values: Sequence[float], screen: bool = False) -> float:
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    if not ranges:
        return 0.0
    mr = exact_mean(ranges)
    if screen and mr > 0:
        kept = [r for r in ranges if r < SCREEN * mr]
        mr = exact_mean(kept) if kept else mr
    return mr


def exact_mean(values: Sequence[float]) -> float:
    """The mean of the values as written, in decimal arithmetic: a float sum makes a constant
    series of 99.7 average 99.70000000000003, and every point then sits off the mean."""
    return float(sum(Decimal(repr(v)) for v in values) / len(values))


def _cause(high: bool, polarity: Polarity | str) -> str:
    better = Polarity(polarity).improvement(1.0 if high else -1.0)
    return "neutral" if better is None else "improvement" if better else "concern"


def _runs(flags: list[int], length: int) -> list[tuple[int, int, int]]:
    """Runs of equal non-zero flags at least `length` long: (start, end exclusive, sign)."""
    out, start = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            if flags[start] != 0 and i - start >= length:
                out.append((start, i, flags[start]))
            start = i
    return out


def apply_rules(points: list[SpcPoint], polarity: Polarity | str, sigma: Sequence[float]) -> None:
    """Mark special causes in place. `sigma[i]` is the point's MRbar-equivalent spread, so
    the outer third starts at mean +/- OUTER * sigma[i] (for XmR, sigma = MRbar)."""
    n = len(points)
    rules: list[tuple[str, bool] | None] = [None] * n
    for i, p in enumerate(points):  # 1. astronomical
        if p.value > p.upper_limit or p.value < p.lower_limit:
            rules[i] = ("astronomical", p.value > p.upper_limit)
    # 2. trend: a point counts as up if strictly above the one before; ties break runs.
    steps = [0] + [(b.value > a.value) - (b.value < a.value) for a, b in itertools.pairwise(points)]
    for start, end, sign in _runs(steps, RUN - 1):
        for i in range(start - 1, end):  # the point before the first step starts the trend
            if rules[i] is None:
                rules[i] = ("trend", sign > 0)
    side = [(p.value > p.mean) - (p.value < p.mean) for p in points]
    outer = [
        1 if p.value > p.mean + OUTER * s else -1 if p.value < p.mean - OUTER * s else 0
        for p, s in zip(points, sigma, strict=True)
    ]
    for i in range(n - 2):  # 3. two of three
        window = range(i, i + 3)
        for sign in (1, -1):
            if all(side[j] == sign for j in window) and sum(outer[j] == sign for j in window) >= 2:
                for j in window:
                    if outer[j] == sign and rules[j] is None:
                        rules[j] = ("two_of_three", sign > 0)
    for start, end, sign in _runs(side, RUN):  # 4. shift
        for i in range(start, end):
            if rules[i] is None:
                rules[i] = ("shift", sign > 0)
    for p, rule in zip(points, rules, strict=True):
        if rule is not None:
            p.rule, p.special_cause = rule[0], _cause(rule[1], polarity)


def assurance(
    target: float | None, lower: float, upper: float, polarity: Polarity | str
) -> str | None:
    polarity = Polarity(polarity)  # the charter's words or the short ones ("higher")
    if target is None or not polarity.has_better_side:
        return None
    if polarity is Polarity.HIGHER:
        return "fail" if target > upper else "pass" if target < lower else "hit_or_miss"
    return "fail" if target < lower else "pass" if target > upper else "hit_or_miss"


def _segments(periods: Sequence[str], rebase: Sequence[str]) -> list[tuple[int, int]]:
    cuts = sorted({periods.index(r) for r in rebase if r in periods} - {0})
    bounds = [0, *cuts, len(periods)]
    return list(itertools.pairwise(bounds))


def xmr(
    periods: Sequence[str],
    values: Sequence[float],
    polarity: Polarity | str,
    target: float | None = None,
    baseline: int | None = None,
    rebase: Sequence[str] = (),
    screen_outliers: bool = False,
) -> SpcResult:
    """An XmR chart. Limits come from each segment's first `baseline` points (all if None)
    and apply to the whole segment; `rebase` names the periods where a new segment starts."""
    if not values:
        raise ValueError("an SPC chart needs at least one value")
    points: list[SpcPoint] = []
    sigmas: list[float] = []
    phases: list[SpcPhase] = []
    trial = False
    for start, end in _segments(periods, rebase):
        seg = list(values[start:end])
        calc = seg[:baseline] if baseline else seg
        mean = exact_mean(calc)
        mr = moving_range_mean(calc, screen_outliers)
        trial = len(calc) < MIN_POINTS  # the latest segment's limits are the ones shown
        low, high = mean - LIMIT * mr, mean + LIMIT * mr
        phases.append(SpcPhase(periods[start], periods[end - 1], mean, low, high, trial))
        for period, value in zip(periods[start:end], seg, strict=True):
            points.append(SpcPoint(period, value, mean, low, high))
            sigmas.append(mr)
        segment_points = points[start:end]
        apply_rules(segment_points, polarity, sigmas[start:end])
    result = _result(points, polarity, target, trial, "xmr")
    result.phases = phases
    segments = _segments(periods, rebase)
    if len(segments) > 1:
        result.since_restart = segments[-1][1] - segments[-1][0]
    return result


def _result(
    points: list[SpcPoint], polarity: Polarity | str, target: float | None, trial: bool, chart: str
) -> SpcResult:
    last = points[-1]
    variation = "common_cause" if last.special_cause == "none" else last.special_cause
    return SpcResult(
        last.mean,
        last.lower_limit,
        last.upper_limit,
        trial,
        variation,
        assurance(target, last.lower_limit, last.upper_limit, polarity),
        points,
        chart,
    )


def p_chart(
    periods: Sequence[str],
    numerators: Sequence[float],
    denominators: Sequence[float],
    polarity: Polarity | str,
    target: float | None = None,
) -> SpcResult:
    """A p-chart in percent: binomial limits p +/- 3 sqrt(p(1 - p)/n_i), fairer than XmR when
    denominators are small or vary."""
    total_n, total_d = sum(numerators), sum(denominators)
    if not periods or total_d <= 0:
        raise ValueError("a p-chart needs denominators above zero")
    p = total_n / total_d
    points, sigmas = [], []
    for period, num, den in zip(periods, numerators, denominators, strict=True):
        sd = math.sqrt(p * (1 - p) / den) * 100
        # 3 sd is the limit; express the spread as an MRbar-equivalent for the outer third.
        mr_equivalent = 3 * sd / LIMIT
        points.append(
            SpcPoint(
                period,
                num / den * 100,
                p * 100,
                max(p * 100 - 3 * sd, 0.0),
                min(p * 100 + 3 * sd, 100.0),
            )
        )
        sigmas.append(mr_equivalent)
    apply_rules(points, polarity, sigmas)
    return _result(points, polarity, target, len(points) < MIN_POINTS, "p")


@dataclass(frozen=True)
class Shift:
    """A run of points on one side of the mean that reaches the latest point: the process
    has changed, and limits computed over the old process no longer describe it."""

    start: str  # the period the run starts at: where the limits should restart
    points: int
    above: bool
    outside: int  # how many of the run lie beyond the process limits


def sustained_shift(result: SpcResult) -> Shift | None:
    """The shift the latest point belongs to, if it is RUN points or longer."""
    points = result.points

    def side(p: SpcPoint) -> int:
        return (p.value > p.mean) - (p.value < p.mean)

    last = side(points[-1])
    if last == 0:
        return None
    i = len(points) - 1
    # within the latest segment only (a rebased segment has its own mean)
    while i > 0 and side(points[i - 1]) == last and points[i - 1].mean == points[-1].mean:
        i -= 1
    run = points[i:]
    if len(run) < RUN or i == 0:
        return None
    outside = sum(p.value > p.upper_limit or p.value < p.lower_limit for p in run)
    return Shift(points[i].period, len(run), last > 0, outside)
