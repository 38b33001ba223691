"""Breakdowns that do not add up to their total, for the unusual-figure check.

Groups are disjoint, so they never add up to more than the total; an exhaustive breakdown
(every child in exactly one group, `exhaustive` in charter/breakdowns.yaml) given in full adds
up to it exactly. Counts are added up; percentages and rates by their numerators and
denominators (their values are not additive). A group sent as a symbol (such as c) says
nothing. A figure of a file is checked together with the stored figures of the same period
that the file leaves as they are.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from charter import Charter, Indicator
from metrics.store import figures as stored
from metrics.store.connection import Connection
from metrics.words.narrative import fmt_number


class Figure(NamedTuple):
    row: int | None  # None: stored, not in the file
    value: float | None
    numerator: float | None
    denominator: float | None
    symbol: str | None


Found = tuple[int, str, str, float, str]  # row, indicator, period, value, message


def not_adding_up(con: Connection, charter: Charter) -> list[Found]:
    """(row, indicator, period, total, message) for each breakdown of the file's periods
    whose groups add up to more than the total, or (exhaustive and complete) not to it."""
    figures: dict[tuple[str, str], dict[tuple[str, str], Figure]] = defaultdict(dict)
    for row, ident, period, dim, grp, value, num, den, symbol in stored.figures_of_touched_periods(
        con, charter.council.code
    ):
        figures[(ident, period)][(dim, grp)] = Figure(row, value, num, den, symbol)
    out = []
    for (ident, period), cells in figures.items():
        ind = charter.indicators[ident]
        total = cells.get(("", ""))
        if total is None or total.symbol is not None:
            continue
        rows = [f.row for f in cells.values() if f.row is not None]
        row = total.row if total.row is not None else min(rows, default=0)
        for dim in ind.breakdowns:
            groups = {g: f for (d, g), f in cells.items() if d == dim}
            if not groups or any(f.symbol is not None for f in groups.values()):
                continue
            breakdown = charter.breakdowns[dim]
            complete = breakdown.exhaustive and set(groups) >= set(breakdown.groups)
            for noun in _measures(ind):
                parts: list[float | None] = [getattr(f, noun or "value") for f in groups.values()]
                whole: float | None = getattr(total, noun or "value")
                if whole is None or any(p is None for p in parts):
                    continue
                added = sum(p for p in parts if p is not None)
                if added > whole + 1e-9 or (complete and abs(added - whole) > 1e-9):
                    label = breakdown.label.lower()
                    sums = _number(added, ind), _number(whole, ind)
                    message = (
                        f"the {label} groups' {noun}s add up to {sums[0]} but the total's "
                        f"{noun} is {sums[1]}"
                        if noun
                        else f"the {label} groups add up to {sums[0]} but the total is {sums[1]}"
                    )
                    out.append((row, ident, period, total.value or 0.0, message))
    return out


def _number(value: float, ind: Indicator) -> str:
    return fmt_number(value, 0 if float(value).is_integer() else ind.decimals)


def _measures(ind: Indicator) -> list[str]:
    """What adds up across groups: a count's values (""), a ratio's numerators and
    denominators."""
    if ind.multiplier is not None:
        return ["numerator", "denominator"]
    if ind.unit == "count":
        return [""]
    return []  # a median or an average: not additive
