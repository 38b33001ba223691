"""Figures that pass every rule but look wrong: they must be confirmed before storing.

"1,413" typed for 413, or 0.738 typed for 73.8%, is a valid number; only its history says it
is implausible. A figure of our council's (totals) is flagged when it lies far outside the
process limits of the indicator's stored figures (beyond twice their distance from the mean,
on an XmR chart of at least 6 figures: a figure just past a limit is a signal for the SPC
chart, not a typing mistake), when it changes by more than half on the period before, or
when a percentage below 1 was typed as a bare number (a fraction, where a percentage was
meant).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from charter import Charter
from metrics.narrative import fmt_value
from metrics.period_text import read_label
from metrics.spc import xmr

MAX_CHANGE = 0.5  # a change of more than half on the period before
MIN_POINTS = 6
FAR = 2.0  # "far outside": beyond twice the process limits' distance from the mean

STAGED_TOTALS = """
SELECT row_no, indicator_id, period, value, numerator FROM staged
WHERE area_code = $council AND breakdown = '' AND value IS NOT NULL
ORDER BY row_no
"""

STORED_TOTALS = """
SELECT o.indicator_id, o.period, o.value FROM observations o
JOIN periods p ON p.label = o.period
WHERE o.area_code = $council AND o.breakdown = '' AND o.superseded_by IS NULL
  AND o.origin = 'local' AND o.value IS NOT NULL
  AND o.indicator_id IN (SELECT DISTINCT indicator_id FROM staged)
ORDER BY p.start_date
"""


@dataclass(frozen=True)
class Unusual:
    row: int
    indicator_id: str
    period: str
    value: float
    message: str


def implausible(con: duckdb.DuckDBPyConnection, charter: Charter) -> list[Unusual]:
    """Warnings for the staged figures, against the store's current figures."""
    council = {"council": charter.council.code}
    stored: dict[str, dict[str, float]] = {}
    for ident, period, value in con.execute(STORED_TOTALS, council).fetchall():
        stored.setdefault(ident, {})[period] = value
    staged = con.execute(STAGED_TOTALS, council).fetchall()
    incoming = {(ident, period): value for _, ident, period, value, _ in staged}
    limits = {  # from the other periods' figures: a figure being revised is not its own yardstick
        ident: _limits([v for p, v in series.items() if (ident, p) not in incoming])
        for ident, series in stored.items()
    }
    out = []
    for row, ident, period, value, numerator in staged:
        ind = charter.indicators[ident]
        shown = fmt_value(value, ind)
        reasons = []
        if ind.unit == "percent" and 0 < value < 1 and numerator is None:
            reasons.append(
                f"{shown} looks like a fraction: for {fmt_value(value * 100, ind)} enter "
                f"{value * 100:g}"
            )
        bounds = limits.get(ident)
        if bounds and not bounds[0] <= value <= bounds[1]:
            low, high = (fmt_value(b, ind) for b in bounds)
            reasons.append(
                f"{shown} is far outside the usual range of its figures ({low} to {high})"
            )
        p = read_label(period)
        before_label = p.previous().label if p else None
        before = incoming.get((ident, before_label)) if before_label else None
        if before is None and before_label:
            before = stored.get(ident, {}).get(before_label)
        if before and abs(value - before) > MAX_CHANGE * abs(before):
            reasons.append(
                f"{shown} is {abs(value - before) / abs(before):.0%} "
                f"{'up' if value > before else 'down'} on {before_label} "
                f"({fmt_value(before, ind)})"
            )
        if reasons:
            out.append(Unusual(row, ident, period, value, "; ".join(reasons) + "."))
    return out


def _limits(values: list[float]) -> tuple[float, float] | None:
    if len(values) < MIN_POINTS:
        return None
    chart = xmr([str(i) for i in range(len(values))], values, "neutral")
    if chart.upper_limit <= chart.lower_limit:  # a constant series: no spread to judge by
        return None
    reach = FAR * (chart.upper_limit - chart.mean)
    return chart.mean - reach, chart.mean + reach
