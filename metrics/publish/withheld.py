"""Disclosure control applied to the store's figures: which of our council's figures are
withheld, and the rows, statuses and sentences a public reader (a councillor, a published
pack) gets instead of the real ones. Staff keep the real figures, marked "not for
publication"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TypeVar

from charter import Charter, Council
from metrics.access.people import ADMIN, ANALYST, CHAIR, MEMBER, Actor
from metrics.narrative import STATUS_WORDS
from metrics.period_text import parse_period
from metrics.publish.disclosure import (
    NOT_FOR_PUBLICATION,
    PRIMARY,
    SYMBOL,
    Figure,
    Rule,
    withhold,
)
from metrics.queries import area_figures
from metrics.rollup import StatementStatus
from metrics.status import IndicatorStatus
from metrics.store import Store
from metrics.trend import GroupRow, TrendRow

# (period, breakdown, group) -> why, for one indicator
Withheld = dict[tuple[str, str, str], str]

# Roles that see the real figures in the app: the people who work with them.
SEES_REAL_FIGURES = frozenset({ANALYST, MEMBER, CHAIR, ADMIN})
SHOWN = f"[{SYMBOL}]"
T = TypeVar("T", TrendRow, GroupRow)


def rule_for(council: Council) -> Rule:
    return Rule(council.suppression_threshold, council.suppress_zero)


def sees_real_figures(actor: Actor) -> bool:
    """Councillors (and anyone without a staff role) see what would be published."""
    return bool(actor.roles & SEES_REAL_FIGURES)


def withheld_figures(
    store: Store, charter: Charter, indicator: str | None = None
) -> dict[str, Withheld]:
    """Every indicator's withheld figures (or one indicator's): indicator -> (period,
    breakdown, group) -> why."""
    by_period: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for ind_id, period, dim, grp, value, num, den, symbol in area_figures(
        store, charter.council.code, indicator
    ):
        by_period[(str(ind_id), str(period))].append(
            Figure(str(dim), str(grp), value, num, den, symbol)  # type: ignore[arg-type]
        )
    rule = rule_for(charter.council)
    out: dict[str, Withheld] = defaultdict(dict)
    for (ind_id, period), figures in by_period.items():
        ind = charter.indicators.get(ind_id)
        if ind is None:
            continue
        for (dim, grp), why in withhold(figures, rule, ind.unit == "count", ind.multiplier).items():
            out[ind_id][(period, dim, grp)] = why
    return dict(out)


def explain(why: str) -> str:
    """Why a figure is withheld, in words for a reader of a published paper."""
    if why == PRIMARY:
        return "a small number, withheld to protect children's privacy"
    return "withheld so that a small number elsewhere cannot be worked out"


def marked(why: str | None) -> str:
    """For staff: the note beside a real figure that would be withheld."""
    return f"{NOT_FOR_PUBLICATION}: {explain(why)}" if why else ""


def _protected(row: T, why: str | None, public: bool) -> T:
    """A row as the reader may see it: a public reader gets [c] for a withheld figure (with
    nothing built on it), staff get the real figure marked."""
    if why is None:
        return row
    if not public:
        return replace(row, withheld=why)
    return replace(row, withheld=why, value=None, symbol=SYMBOL, numerator=None, denominator=None)


def trend_rows(rows: list[TrendRow], withheld: Withheld, public: bool) -> list[TrendRow]:
    """Totals over time: public readers get [c] for a withheld figure; staff get it marked."""
    out = []
    for r in rows:
        why = withheld.get((r.period, "", ""))
        if why and public:
            r = replace(r, note=None)  # a supplier's note may say the number in words
        out.append(_protected(r, why, public))
    return out


def group_rows(
    rows: list[GroupRow], period: str, dim: str, withheld: Withheld, public: bool
) -> list[GroupRow]:
    return [_protected(r, withheld.get((period, dim, r.group)), public) for r in rows]


def indicator_status(i: IndicatorStatus, withheld: Withheld) -> IndicatorStatus:
    """What a public reader sees of a status: the status stands (it was worked out on the
    real figure), but a withheld figure, its change and its sentence are not given."""
    why = withheld.get((i.period or "", "", ""))
    if not any(dim == "" for (_, dim, _) in withheld):
        return i
    if why is None:
        # an earlier total is withheld: no sparkline (it does not say its periods), and no
        # change from a withheld previous figure (the figure less the change would give it)
        previous = parse_period(i.period).previous().label if i.period else ""
        change = None if (previous, "", "") in withheld else i.change
        return replace(i, history=[], change=change)
    sentence = f"{STATUS_WORDS[i.status]}. The {i.period} figure is {explain(why)}."
    return replace(
        i,
        value=None,
        symbol=SYMBOL,
        shown=SHOWN,
        change=None,
        direction=None,
        direction_year=None,
        reason=sentence,
        history=[],
        benchmark=None,
    )


def statuses(
    statements: list[StatementStatus], withheld: dict[str, Withheld]
) -> list[StatementStatus]:
    """Statement statuses as a public reader sees them."""
    return [
        replace(s, indicators=[indicator_status(i, withheld.get(i.id, {})) for i in s.indicators])
        for s in statements
    ]
