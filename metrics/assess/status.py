"""Status of one indicator: RAG against target, freshness, direction of travel, SPC and
benchmarks, with a plain-English reason. Statements roll up in metrics/assess/rollup.py.

Rules (also in the README):
- An indicator is assessed on the figure for the period due at the chosen quarter (the
  quarter itself for quarterly indicators; the latest year or term ended by then for annual
  and termly ones, which may lag one period because they are published later).
- No figure for that period (or only a symbol such as c): "no recent data", never green.
- No target (context indicators): "no target", never green.
- Otherwise on track when the target is met, at risk when within the tolerance, else off track,
  read through polarity (lower is better for waits).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from charter import Charter, Indicator
from metrics.assess.benchmark import Benchmark, benchmark, comparator
from metrics.assess.reasons import indicator_reason
from metrics.assess.spc import RUN, SpcResult, p_chart, sustained_shift, xmr
from metrics.assess.target import Target
from metrics.periods.due import due_period
from metrics.periods.model import Period
from metrics.periods.text import parse_period, read_label
from metrics.words.narrative import fmt_value

LAG_ALLOWED = {"quarterly": 0, "monthly": 0, "termly": 1, "annual": 1}
MIN_SPC_POINTS = 6  # fewer points than this: no SPC icons at all; fewer than 12: trial limits


@dataclass(frozen=True)
class Point:
    period: str
    value: float | None
    symbol: str | None
    status: str
    revised: bool
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class IndicatorStatus:
    id: str
    title: str
    period: str | None  # the period of the figure assessed
    due: str  # the period due at the chosen quarter
    value: float | None
    symbol: str | None
    shown: str  # the value as words, e.g. 52.0%
    target: float | None
    status: str
    direction: str | None  # against the previous period
    direction_year: str | None  # against the same period last year
    change: float | None  # value - previous value
    provisional: bool
    revised: bool
    reason: str
    history: list[float | None] = field(default_factory=list)  # for sparklines, oldest first
    variation: str | None = None  # SPC: common_cause | improvement | concern | neutral
    assurance: str | None = None  # SPC: pass | fail | hit_or_miss
    trial_limits: bool = False
    spc_chart: str | None = None  # xmr | p
    benchmark: Benchmark | None = None
    rounded: bool = False  # published rounded (disclosure control): what is built on it too


def target_for(ind: Indicator, period: Period) -> float | None:
    """The target in force for a period: the year's own, else the standing one."""
    return Target.of(ind).for_period(period)


def spc_for(
    ind: Indicator, points: list[Point], upto: Period, target: float | None
) -> SpcResult | None:
    """SPC over the figures of the assessed kind up to `upto`, when there are enough."""
    usable = [
        p
        for p in points
        if p.value is not None
        and parse_period(p.period).kind == upto.kind
        and parse_period(p.period).start <= upto.start
    ]
    if len(usable) < MIN_SPC_POINTS:
        return None
    polarity = Target.of(ind).polarity
    periods = [p.period for p in usable]
    if ind.spc_chart == "p" and all(p.numerator is not None and p.denominator for p in usable):
        return p_chart(
            periods,
            [p.numerator or 0 for p in usable],
            [p.denominator or 0 for p in usable],
            polarity,
            target,
        )
    values = [p.value or 0 for p in usable]
    return xmr(
        periods, values, polarity, target, ind.spc_baseline, ind.rebase, ind.spc_screen_outliers
    )


# Recent answers of indicator_status, by everything they depend on. After an upload every
# page's status is worked out again, but an upload changes few indicators: the others' (and
# the SPC behind them) come from here. The key holds the indicator and charter objects' ids
# (the entry holds the objects, so an id cannot be reused while its entry lives) and hashes
# of the figures (read forwards and backwards: two different 64-bit mixes of them) and of the
# comparators, not the figures themselves: Streamlit collects garbage in full after every
# page, and a key of Point objects made every page pay to walk them all.
_KNOWN: OrderedDict[tuple[object, ...], tuple[Indicator, Charter | None, IndicatorStatus]] = (
    OrderedDict()
)
_KNOWN_LOCK = threading.Lock()
KNOWN_MAX = 2_000  # some nine versions of the whole charter at eight quarters


def indicator_status(
    ind: Indicator,
    points: list[Point],
    quarter: Period,
    charter: Charter | None = None,
    areas: dict[str, dict[str, float]] | None = None,
) -> IndicatorStatus:
    """The status of one indicator at `quarter`, from its current figures (oldest first) and,
    for benchmarks, every area's figure by period (`areas[period][area]`)."""
    figures, compared = tuple(points), hash(_compared(ind, quarter, areas))
    key = (id(ind), id(charter), quarter.label, hash(figures), hash(figures[::-1]), compared)
    with _KNOWN_LOCK:
        known = _KNOWN.get(key)
        if known is not None:
            _KNOWN.move_to_end(key)
            return replace(known[2])
    found = _work_out(ind, points, quarter, charter, areas)
    with _KNOWN_LOCK:
        _KNOWN[key] = (ind, charter, found)
        while len(_KNOWN) > KNOWN_MAX:
            _KNOWN.popitem(last=False)
    return replace(found)


def assessed_period(ind: Indicator, periods: Collection[str], quarter: Period) -> str | None:
    """The period whose figure the indicator is assessed on at `quarter`, of those with a
    figure (`periods`): the period due, else the one before where the indicator may lag."""
    return next((c for c in _candidates(ind, quarter) if c in periods), None)


def _candidates(ind: Indicator, quarter: Period) -> list[str]:
    """The periods an indicator may be assessed on at `quarter`, the one due first."""
    due = due_period(ind, quarter)
    return [due.shift(-k).label for k in range(LAG_ALLOWED[ind.frequency] + 1)]


def _compared(
    ind: Indicator, quarter: Period, areas: dict[str, dict[str, float]] | None
) -> tuple[object, ...] | None:
    """Every area's figures for the periods the status may be assessed on (and the latest
    published year beside them, `published_beside`)."""
    if areas is None:
        return None
    periods = [*_candidates(ind, quarter), published_beside(ind, quarter, areas)]
    return tuple((c, tuple(sorted(areas.get(c or "", {}).items()))) for c in periods)


def published_beside(ind: Indicator, quarter: Period, areas: Collection[str]) -> str | None:
    """For an indicator tracked more often than it is published (EHC plans within 20 weeks:
    quarterly here, yearly from DfE): the latest period of another kind among `areas` (the
    periods with other areas' figures) that has ended by the quarter, to compare with. For
    one whose latest year is not published yet (DfE's figures lag ours by a year or more):
    the latest earlier year that is. Used only when the period assessed has no other area's
    figures."""
    due = due_period(ind, quarter)
    ended = [
        (p, label)
        for label in areas
        if (p := read_label(label)) is not None
        and p.end <= quarter.end
        and (p.kind != due.kind or p.end < due.start)
    ]
    return max(ended, key=lambda e: e[0].end)[1] if ended else None


def _work_out(
    ind: Indicator,
    points: list[Point],
    quarter: Period,
    charter: Charter | None,
    areas: dict[str, dict[str, float]] | None,
) -> IndicatorStatus:
    due = due_period(ind, quarter)
    by_period = {p.period: p for p in points}
    assessed = assessed_period(ind, by_period, quarter)
    point = by_period[assessed] if assessed else None
    history = [  # nothing for a period that ends after the quarter (a year not yet over)
        p.value
        for p in points
        if (when := parse_period(p.period)).start <= due.start and when.end <= quarter.end
    ][-8:]
    base = IndicatorStatus(
        ind.id,
        ind.title,
        None,
        due.label,
        None,
        None,
        "–",
        target_for(ind, due),
        "no_recent_data",
        None,
        None,
        None,
        False,
        False,
        "",
        history,
    )
    if point is None:
        older = [p for p in points if parse_period(p.period).start < due.start]
        base.reason = (
            f"No recent data: the latest figure is for {older[-1].period}, but {due.label} is due."
            if older
            else "No recent data: no figures have been supplied yet."
        )
        return base
    period = parse_period(point.period)
    base.period, base.value, base.symbol = point.period, point.value, point.symbol
    base.provisional, base.revised = point.status == "provisional", point.revised
    base.shown = fmt_value(point.value, ind, point.symbol)
    if point.value is None:
        base.reason = (
            f"No recent data: the {point.period} figure is not available as a number "
            f"({base.shown})."
        )
        return base
    prev = by_period.get(period.previous().label)
    last_year = by_period.get(period.same_period_last_year().label)
    aim = Target.of(ind)
    base.direction = aim.direction(point.value, prev.value if prev else None, ind.decimals)
    base.direction_year = aim.direction(
        point.value, last_year.value if last_year else None, ind.decimals
    )
    if prev and prev.value is not None:
        base.change = point.value - prev.value
    target = base.target = aim.for_period(period)
    spc = spc_for(ind, points, period, aim.in_force(period))
    rule, shift = None, None
    no_verdict = spc.no_verdict() if spc is not None else None
    if spc is not None and no_verdict is None:
        base.variation, base.assurance, base.trial_limits = (
            spc.variation,
            spc.assurance,
            spc.trial_limits,
        )
        base.spc_chart, rule = spc.chart, spc.points[-1].rule
        shift = sustained_shift(spc) if len(spc.points) > RUN else None
    same = (areas or {}).get(point.period, {})
    others = charter is not None and any(a != charter.council.code for a in same)
    year = published_beside(ind, quarter, areas) if areas and not others else None
    if charter is not None and areas is not None and point.period in areas and not year:
        base.benchmark = benchmark(
            ind, charter, point.value, point.numerator, point.denominator, areas[point.period]
        )
    elif charter is not None and areas and year:
        # published yearly, tracked quarterly: the latest published year's comparison beside
        # our figure, labelled with its year; ranked on our own published figure for it
        published = areas[year]
        ours = comparator(charter.council.code, published)  # an older code of ours too
        base.benchmark = benchmark(ind, charter, ours, None, None, published)
        base.benchmark.period = year
    base.status = aim.assess(point.value, period)
    base.reason = indicator_reason(
        ind,
        base.status,
        base.shown,
        point.period,
        base.provisional,
        base.direction,
        base.direction_year,
        base.assurance,
        base.trial_limits,
        base.variation,
        rule,
        base.benchmark,
        target,
        shift,
        value=point.value,  # a verdict against England where there is no statistical test
    )
    if no_verdict:  # e.g. one figure since a rebase: zero-wide limits say nothing yet
        base.reason += f" No SPC verdict: {no_verdict}."
    return base
