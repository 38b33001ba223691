"""Where a measure is heading, as a reader may see it: the baseline forecast
(metrics/assess/forecast.py) made from the figures the reader may see, beside the target in
force for each projected period (the chair's trajectory where one is set), said in words.

A public reader's forecast is made only when none of the figures behind it is withheld: a
projection from a withheld small number would give it away, so there is none, and why is
said. Every projected value is marked a projection (`kind`), in tables, CSVs and packs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from charter import Charter, Indicator
from metrics.assess import forecast as fc, forecast_kept
from metrics.assess.target import Target
from metrics.assess.trajectory import with_trajectory
from metrics.assess.trend import TrendRow, trend, upto
from metrics.periods.due import due_period
from metrics.periods.model import Period
from metrics.periods.text import parse_period, read_label
from metrics.publish import withheld
from metrics.publish.policy import DisclosurePolicy, TrendCells, audience_for
from metrics.store.connection import Store
from metrics.words.narrative import fmt_value

WITHHELD = (
    "No forecast is published: it would be worked out from figures withheld to protect "
    "children's privacy."
)
COLUMNS = ["period", "kind", "central", "low", "high", "target", "method", "backtest_mae"]


@dataclass(frozen=True)
class Outlook:
    indicator: str
    title: str
    last: str | None  # the last figure's period
    forecast: fc.Forecast
    targets: tuple[float | None, ...]  # in force for each projected period
    words: str

    def as_json(self) -> dict[str, object]:
        f = self.forecast
        return {
            "indicator": self.indicator,
            "last_figure": self.last,
            "kind": fc.PROJECTION,
            "method": f.method.name if f.method else None,
            "backtest_mae": f.error,
            "naive_mae": f.naive_error,
            "backtest_origins": f.origins,
            "figures": f.figures,
            "coverage": fc.COVERAGE,
            "why_none": f.why_none,
            "words": self.words,
            "periods": [
                {
                    "period": p.period,
                    "kind": p.kind,
                    "central": p.central,
                    "low": p.low,
                    "high": p.high,
                    "target": t,
                }
                for p, t in zip(f.points, self.targets, strict=True)
            ],
        }

    def rows(self) -> list[dict[str, object]]:
        """One row per projected period, each marked a projection: the CSV."""
        f = self.forecast
        return [
            {"period": p.period, "kind": p.kind, "central": p.central, "low": p.low,
             "high": p.high, "target": t, "method": f.method.name if f.method else "",
             "backtest_mae": f.error}
            for p, t in zip(f.points, self.targets, strict=True)
        ]  # fmt: skip


def build(
    store: Store,
    charter: Charter,
    ind: Indicator,
    quarter: str | None = None,
    public: bool = True,
    periods: int = fc.PERIODS,
    hidden: withheld.Withheld | None = None,
) -> Outlook:
    """The measure's outlook as known at `quarter` (default: every figure)."""
    if not 1 <= periods <= fc.MOST_PERIODS:
        raise ValueError(f"A forecast looks 1 to {fc.MOST_PERIODS} periods ahead (not {periods}).")
    with store.connect():
        ind = with_trajectory(store, charter, ind)
        every = trend(store, charter, ind)
        if hidden is None:
            hidden = DisclosurePolicy.audited(store, charter, ind.id).withheld_of(ind.id)
    policy = DisclosurePolicy(charter, {ind.id: hidden})
    rows = policy.publish(TrendCells(ind.id, every), audience_for(public))
    if quarter:
        rows = upto(rows, due_period(ind, parse_period(quarter)).label, quarter)
    return outlook(ind, rows, public, periods, store)


def outlook(
    ind: Indicator, rows: list[TrendRow], public: bool, periods: int, store: Store | None = None
) -> Outlook:
    """The forecast from the published rows, of the kind of the latest figure; kept in
    `store` by what it was made from, when given (metrics/assess/forecast_kept.py)."""
    latest = next((r for r in reversed(rows) if read_label(r.period) is not None), None)
    if latest is None:
        return Outlook(ind.id, ind.title, None, fc.too_few(0), (), fc.too_few(0).why_none or "")
    kind = parse_period(latest.period).kind
    same = [r for r in rows if (p := read_label(r.period)) is not None and p.kind == kind]
    last = parse_period(same[-1].period)
    if public and any(r.withheld for r in same):
        found = fc.Forecast(len(same), why_none=WITHHELD)
        return Outlook(ind.id, ind.title, last.label, found, (), WITHHELD)
    ahead = [last.shift(k) for k in range(1, periods + 1)]
    bounds = (0.0, 100.0) if ind.unit == "percent" else (0.0, math.inf)
    values, labels = [r.value for r in same], [p.label for p in ahead]
    found = (
        forecast_kept.forecast(store, values, labels, bounds)
        if store is not None
        else fc.forecast(values, labels, bounds)
    )
    aim = Target.of(ind)
    targets = tuple(aim.in_force(p) for p in ahead) if found.made else ()
    return Outlook(ind.id, ind.title, last.label, found, targets, words(ind, found, ahead, targets))


def words(
    ind: Indicator, f: fc.Forecast, ahead: list[Period], targets: tuple[float | None, ...]
) -> str:
    """ "On the current course, about 64% by 2027-28 Q2 (likely between 58% and 70%); the
    target is 75%, so it would not be met." """
    if not f.made:
        return f.why_none or ""
    end, target = f.points[-1], targets[-1] if targets else None
    said = (
        f"On the current course, about {fmt_value(end.central, ind)} by {end.period} (likely "
        f"between {fmt_value(end.low, ind)} and {fmt_value(end.high, ind)})"
    )
    if target is None:
        return f"{said}. This is a projection, not a figure."
    aim = Target.of(ind)
    if aim.meets(end.low, target) and aim.meets(end.high, target):
        verdict = "which it would likely meet"
    elif not aim.meets(end.low, target) and not aim.meets(end.high, target):
        verdict = "which it would likely miss"
    else:
        verdict = "which it may or may not meet"
    shown = fmt_value(
        target, ind.model_copy(update={"decimals": 0}) if target.is_integer() else ind
    )
    return f"{said}; the target is {shown}, {verdict}. This is a projection, not a figure."


def error_words(ind: Indicator, error: float) -> str:
    """A back-tested error in the measure's unit: "1.2 percentage points", "2.1 weeks"."""
    if ind.unit == "percent":
        return f"{fmt_value(error, ind.model_copy(update={'unit': 'count'}))} percentage points"
    return fmt_value(error, ind)


def method_words(ind: Indicator, f: fc.Forecast) -> str:
    """How it was made and how good it has been, in words."""
    if not f.made or f.method is None or f.error is None:
        return f.why_none or ""
    naive = (
        " Carrying the last figure forward would have been out by "
        f"{error_words(ind, f.naive_error)} on average."
        if f.naive_error is not None
        else ""
    )
    return (
        f"Made with {f.method.name} from {f.figures} figures, chosen as the method with the "
        f"smallest error when tried on this measure's own earlier figures: over {f.origins} "
        f"back-test points (rolling origin) it was out by {error_words(ind, f.error)} on "
        f"average.{naive} The range is where about {fc.COVERAGE:.0%} of outcomes would fall."
    )
