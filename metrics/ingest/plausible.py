"""Figures that pass every rule but look wrong: they must be confirmed before storing.

"1,413" typed for 413, or 0.738 typed for 73.8%, is a valid number; only its history says it
is implausible. A figure of our council's (a total or a breakdown group, each against its own
history) is flagged when it lies far outside the process limits of the indicator's stored
figures (beyond twice their distance from the mean, on an XmR chart of at least 6 figures: a
figure just past a limit is a signal for the SPC chart, not a typing mistake), when it
changes by more than half on the period before (a group: more than doubles or halves, as
small groups move more), or when a percentage below 1 was typed as a bare number (a
fraction, where a percentage was meant). An exhaustive breakdown whose groups do not add up
to the total is flagged too (metrics/ingest/adding_up.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter
from metrics.assess.spc import xmr
from metrics.assess.target import Polarity
from metrics.ingest.adding_up import not_adding_up
from metrics.periods.text import read_label
from metrics.store import figures
from metrics.store.connection import Connection
from metrics.words.narrative import fmt_value

MAX_CHANGE = 0.5  # a change of more than half on the period before
MIN_POINTS = 6
FAR = 2.0  # "far outside": beyond twice the process limits' distance from the mean

GROUP_CHANGE = 1.0  # a group's figure more than doubling (or halving) on the period before

Series = tuple[str, str, str]  # indicator, breakdown, group ("", "" for the total)


@dataclass(frozen=True)
class Unusual:
    row: int
    indicator_id: str
    period: str
    value: float
    message: str


def implausible(con: Connection, charter: Charter) -> list[Unusual]:
    """Warnings for the staged figures, against the store's current figures: every total and
    breakdown group against its own history, and breakdowns that do not add up."""
    council = charter.council.code
    stored: dict[Series, dict[str, float]] = {}
    for ident, dim, grp, period, value in figures.stored_figures_of_staged(con, council):
        stored.setdefault((ident, dim, grp), {})[period] = value
    staged = figures.staged_figures(con, council)
    incoming = {((i, d, g), p): v for _, i, p, d, g, v, _ in staged}
    limits = {  # from the other periods' figures: a figure being revised is not its own yardstick
        key: _limits([v for p, v in series.items() if (key, p) not in incoming])
        for key, series in stored.items()
    }
    out = []
    for row, ident, period, dim, grp, value, numerator in staged:
        key = (ident, dim, grp)
        reasons = _reasons(charter, key, period, value, numerator, incoming, stored, limits)
        if reasons:
            where = f"{grp} ({charter.breakdowns[dim].label.lower()}): " if dim else ""
            out.append(Unusual(row, ident, period, value, where + "; ".join(reasons) + "."))
    by_row = {u.row: u for u in out}  # one warning per figure, with every reason
    for row, ident, period, value, message in not_adding_up(con, charter):
        if (known := by_row.get(row)) is not None:
            by_row[row] = Unusual(
                row, ident, period, known.value, f"{known.message} Also, {message}."
            )
        else:
            by_row[row] = Unusual(row, ident, period, value, message[0].upper() + message[1:] + ".")
    return sorted(by_row.values(), key=lambda u: u.row)


def _reasons(
    charter: Charter,
    key: Series,
    period: str,
    value: float,
    numerator: float | None,
    incoming: dict[tuple[Series, str], float],
    stored: dict[Series, dict[str, float]],
    limits: dict[Series, tuple[float, float] | None],
) -> list[str]:
    ind = charter.indicators[key[0]]
    shown = fmt_value(value, ind)
    reasons = []
    if ind.unit == "percent" and 0 < value < 1 and numerator is None:
        reasons.append(
            f"{shown} looks like a fraction: for {fmt_value(value * 100, ind)} enter "
            f"{value * 100:g}"
        )
    bounds = limits.get(key)
    if bounds and not bounds[0] <= value <= bounds[1]:
        low, high = (fmt_value(b, ind) for b in bounds)
        reasons.append(f"{shown} is far outside the usual range of its figures ({low} to {high})")
    p = read_label(period)
    before_label = p.previous().label if p else None
    before = incoming.get((key, before_label)) if before_label else None
    if before is None and before_label:
        before = stored.get(key, {}).get(before_label)
    if before and (
        abs(value - before) > MAX_CHANGE * abs(before)
        if not key[1]
        else value > before * (1 + GROUP_CHANGE) or value < before / (1 + GROUP_CHANGE)
    ):
        reasons.append(
            f"{shown} is {abs(value - before) / abs(before):.0%} "
            f"{'up' if value > before else 'down'} on {before_label} "
            f"({fmt_value(before, ind)})"
        )
    return reasons


def _limits(values: list[float]) -> tuple[float, float] | None:
    if len(values) < MIN_POINTS:
        return None
    chart = xmr([str(i) for i in range(len(values))], values, Polarity.NEUTRAL)
    if chart.upper_limit <= chart.lower_limit:  # a constant series: no spread to judge by
        return None
    reach = FAR * (chart.upper_limit - chart.mean)
    return chart.mean - reach, chart.mean + reach
