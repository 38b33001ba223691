"""How figures are published when the council rounds counts to the nearest 5 instead of
withholding small ones (`disclosure_method: round to 5`): a row's counts and the ratio worked
out from them, the figures that cannot be rounded, and a status built on a rounded figure.
metrics/publish/withheld.py applies it as the rest of the one disclosure policy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from charter import Indicator
from metrics.assess.status import IndicatorStatus
from metrics.assess.target import Target
from metrics.assess.trend import GroupRow, TrendRow
from metrics.publish.audit import count_fields
from metrics.publish.disclosure import PRIMARY, SYMBOL, Figure, Rule
from metrics.rounding import ratio
from metrics.words.narrative import fmt_value

SHOWN = f"[{SYMBOL}]"
T = TypeVar("T", TrendRow, GroupRow)


@dataclass(frozen=True)
class Rounding:
    """How one indicator's counts are published when the council rounds instead."""

    rule: Rule
    indicator: Indicator
    totals: dict[str, Figure] = field(default_factory=dict)  # period -> the whole figure


def _unroundable(figures: list[Figure], rule: Rule, ind: Indicator) -> dict[tuple[str, str], str]:
    """Under rounding, the figures still withheld: those the supplier withheld, and ratios
    whose denominator rounds to 0 (nothing to work a percentage out from)."""
    out = {}
    for f in figures:
        counts = count_fields(f, ind.unit == "count", ind.multiplier)
        if f.symbol == SYMBOL or (
            "denominator" in counts and rule.rounded(counts["denominator"]) == 0
        ):
            out[f.key] = PRIMARY
    return out


def _rounded(row: T, rounding: Rounding) -> T:
    """A row as published under rounding: counts to the nearest 5, a ratio from them."""
    rule, ind = rounding.rule, rounding.indicator
    if row.value is None and row.numerator is None:
        return row
    counts = count_fields(
        Figure("", "", row.value, row.numerator, row.denominator), ind.unit == "count",
        ind.multiplier,
    )  # fmt: skip
    if ind.unit == "count" and "value" in counts:
        return replace(row, value=float(rule.rounded(counts["value"])))
    if ind.multiplier is None or "denominator" not in counts:
        return row
    den = rule.rounded(counts["denominator"])
    num = rule.rounded(counts.get("numerator", 0))
    value = ratio(num, den, ind.multiplier, ind.decimals) if den else None  # halves up
    return replace(row, value=value, numerator=float(num), denominator=float(den))


ASSESSED = ("on_track", "at_risk", "off_track")


def _rounded_status(i: IndicatorStatus, rounding: Rounding) -> IndicatorStatus:
    """The status's figure as published under rounding: a count rounded, a ratio worked out
    from its rounded counts (the real ratio beside rounded counts would narrow them), and
    what is built on it worked out from the published figure or not given: the status is
    the rounded figure's against the aim (the real one's would narrow it: "on track" with an
    aim of 6 beside a rounded 5 says 6 or 7); no change, direction, SPC verdict, rank,
    quartile, comparison with England or sparkline (each compares the real figure)."""
    ind = rounding.indicator
    whole = rounding.totals.get(i.period or "")
    unsaid: dict[str, Any] = dict(
        change=None, direction=None, direction_year=None, history=[], variation=None,
        assurance=None, trial_limits=False, spc_chart=None, benchmark=None, rounded=True,
    )  # fmt: skip
    if i.value is None or whole is None:
        return replace(i, change=None, history=[])
    real = GroupRow("", whole.value, whole.symbol, "", whole.numerator, whole.denominator)
    row = _rounded(real, rounding)
    if row is real:  # nothing to round (a median wait, say): nothing to narrow
        return replace(i, change=None, history=[])
    if row.value is None:
        return replace(i, value=None, symbol=SYMBOL, shown=SHOWN, **unsaid)
    value = float(row.value)
    status = i.status
    aim = Target.of(ind)
    if i.status in ASSESSED and i.target is not None and aim.has_better_side:
        status = aim.status(value, i.target)
    return replace(i, value=value, shown=fmt_value(value, ind), status=status, **unsaid)
