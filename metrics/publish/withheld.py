"""The one disclosure policy, applied to the store's figures: which of our council's figures
are withheld (audited by integer programming, `metrics/publish/audit.py`) or how they are
rounded (the council's `disclosure_method`), and the rows, statuses and sentences a public
reader (a councillor, a published page, CSV or pack) gets instead of the real ones. Staff keep
the real figures, marked "not for publication". Outputs do not call this module: they ask
`metrics/publish/policy.py` (`DisclosurePolicy.publish`), which uses `rule_for` for the rule,
`withheld_figures` for what is withheld and `trend_rows`/`group_rows`/`statuses` for what a
public reader sees (and `withheld_review` for the planning group's agreed statuses and
commentary)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from typing import TypeVar

from charter import Charter, Council
from metrics.access.people import STAFF, sees_real_figures as sees_real_figures
from metrics.assess.rollup import StatementStatus, rollup
from metrics.assess.status import IndicatorStatus
from metrics.assess.trend import GroupRow, TrendRow
from metrics.periods.text import parse_period
from metrics.publish import audit_cache
from metrics.publish.audit import protect
from metrics.publish.disclosure import (
    NOT_FOR_PUBLICATION,
    PRIMARY,
    REVISED,
    SYMBOL,
    UNSAID,
    Figure,
    Rule,
)
from metrics.publish.periods import revised_by_a_small_number
from metrics.publish.withheld_rounding import (  # rounding to 5, its own module
    SHOWN as SHOWN,
    Rounding as Rounding,
    _rounded as _rounded,
    _rounded_status,
    _unroundable,
)
from metrics.store.connection import Store
from metrics.store.queries import area_figures
from metrics.words.narrative import STATUS_WORDS


class Withheld(dict[tuple[str, str, str], str]):
    """(period, breakdown, group) -> why, for one indicator; `rounding` set when the council
    publishes counts rounded to the nearest 5."""

    rounding: Rounding | None = None


WITHHELD_STATUS = "withheld"

SEES_REAL_FIGURES = STAFF  # who sees the real figures: one rule, in metrics/access
T = TypeVar("T", TrendRow, GroupRow)


def rule_for(council: Council) -> Rule:
    """The council's disclosure rule, from council.yaml (a method it does not know is
    refused when the charter loads, and again here)."""
    return Rule(council.suppression_threshold, council.suppress_zero, council.disclosure_method)


def figures_by_table(
    store: Store,
    charter: Charter,
    indicator: str | None = None,
    tables: Collection[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], list[Figure]]:
    """Our council's figures, one list per table: (indicator, period) -> the whole figure and
    every group of every breakdown."""
    by_period: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for ind_id, period, dim, grp, value, num, den, symbol in area_figures(
        store, charter.council.code, indicator
    ):
        if tables is None or (str(ind_id), str(period)) in tables:
            by_period[(str(ind_id), str(period))].append(
                Figure(str(dim), str(grp), value, num, den, symbol)  # type: ignore[arg-type]
            )
    return by_period


def withheld_figures(
    store: Store,
    charter: Charter,
    indicator: str | None = None,
    tables: Collection[tuple[str, str]] | None = None,
) -> dict[str, Withheld]:
    """Every indicator's withheld figures (or one indicator's, or those of the (indicator,
    period) `tables` only): indicator -> (period, breakdown, group) -> why."""
    rule = rule_for(charter.council)
    with store.connect():  # one opening of the file for both reads
        by_period = figures_by_table(store, charter, indicator, tables)
        revised = revised_by_a_small_number(store, charter, by_period, rule, indicator)
    out: dict[str, Withheld] = {}
    with audit_cache.one_look():
        _withhold_each(by_period, revised, rule, charter, out)
    return {k: v for k, v in out.items() if v or v.rounding}


def _withhold_each(
    by_period: dict[tuple[str, str], list[Figure]],
    revised: dict[tuple[str, str, str, str], str],
    rule: Rule,
    charter: Charter,
    out: dict[str, Withheld],
) -> None:
    for (ind_id, period), figures in by_period.items():
        ind = charter.indicators.get(ind_id)
        if ind is None:
            continue
        found = out.setdefault(ind_id, Withheld())
        if rule.rounds:
            found.rounding = found.rounding or Rounding(rule, ind)
            whole = next((f for f in figures if f.key == ("", "")), None)
            if whole is not None:
                found.rounding.totals[period] = whole
            chosen = _unroundable(figures, rule, ind)
        else:
            also = {
                (d, g): why for (i, p, d, g), why in revised.items() if (i, p) == (ind_id, period)
            }
            chosen = protect(figures, rule, ind.unit == "count", ind.multiplier, also)
        for (dim, grp), why in chosen.items():
            found[(period, dim, grp)] = why


def explain(why: str) -> str:
    """Why a figure is withheld, in words for a reader of a published paper."""
    if why == PRIMARY:
        return "a small number, withheld to protect children's privacy"
    if why == REVISED:
        return "revised by a small number after it was first published, so withheld now"
    if why == UNSAID:
        return (
            "withheld to protect children's privacy (a small number, or a figure one could "
            "be worked out from)"
        )
    return "withheld so that a small number elsewhere cannot be worked out"


def marked(why: str | None) -> str:
    """For staff: the note beside a real figure that would be withheld."""
    return f"{NOT_FOR_PUBLICATION}: {explain(why)}" if why else ""


def _protected(row: T, why: str | None, public: bool, rounding: Rounding | None = None) -> T:
    """A row as the reader may see it: a public reader gets [c] for a withheld figure (with
    nothing built on it) and rounded counts where the council rounds, staff get the real
    figure marked."""
    if why is None:
        return _rounded(row, rounding) if public and rounding else row
    if not public:
        return replace(row, withheld=why)
    return replace(row, withheld=why, value=None, symbol=SYMBOL, numerator=None, denominator=None)


def trend_rows(rows: list[TrendRow], withheld: Withheld, public: bool) -> list[TrendRow]:
    """Totals over time: public readers get [c] for a withheld figure; staff get it marked."""
    out = []
    for r in rows:
        why = withheld.get((r.period, "", ""))
        if why and public:  # a supplier's note may say the number in words, and the reason
            # for a revision the difference it made ("3 families were counted twice")
            r = replace(r, note=None, revision_reason=None)
        out.append(_protected(r, why, public, getattr(withheld, "rounding", None)))
    return out


def group_rows(
    rows: list[GroupRow], period: str, dim: str, withheld: Withheld, public: bool
) -> list[GroupRow]:
    rounding = getattr(withheld, "rounding", None)
    return [_protected(r, withheld.get((period, dim, r.group)), public, rounding) for r in rows]


def not_compared(withheld: Withheld) -> frozenset[str]:
    """The periods whose figure of ours a public reader may not see compared with other
    councils' (compare.without_ours): the withheld ones, and under rounding every one of ours
    (the comparison would give the real figure beside the rounded one)."""
    periods = {period for (period, dim, _) in withheld if dim == ""}
    rounding = getattr(withheld, "rounding", None)  # a plain mapping has none
    if rounding is not None:
        periods |= set(rounding.totals)
    return frozenset(periods)


def indicator_status(i: IndicatorStatus, withheld: Withheld) -> IndicatorStatus:
    """What a public reader sees of a status. A withheld figure takes everything worked out
    from it with it (its status, change, direction, SPC verdict, rank, quartile, comparison
    with England, place on a chart): each could narrow it down (on track beside an aim of
    100% is 100%), so the status reads "Withheld" and the reason says why. A change or
    direction from a withheld earlier figure is not given either (the figure less the change
    would give it back). Under rounding, the figure is rounded and its exact change dropped."""
    rounding = getattr(withheld, "rounding", None)
    if i.benchmark is not None and i.benchmark.period in not_compared(withheld):
        i = replace(i, benchmark=None)  # another year's comparison (the latest published)
    why = withheld.get((i.period or "", "", ""))
    if why is None and rounding is not None and i.value is not None:
        return _rounded_status(i, rounding)
    if not any(dim == "" for (_, dim, _) in withheld):
        return i
    if why is None:
        # an earlier total is withheld: no sparkline (it does not say its periods), and no
        # change or direction from a withheld previous figure
        period = parse_period(i.period) if i.period else None
        previous = period.previous().label if period else ""
        last_year = period.same_period_last_year().label if period else ""
        gone = (previous, "", "") in withheld
        return replace(
            i,
            history=[],
            change=None if gone else i.change,
            direction=None if gone else i.direction,
            direction_year=None if (last_year, "", "") in withheld else i.direction_year,
            variation=None,  # SPC is worked out over the series, withheld points and all
            assurance=None,
            spc_chart=None,
        )
    sentence = (
        f"{STATUS_WORDS[WITHHELD_STATUS]}: the {i.period} figure is {explain(why)}. Its "
        "status, change, comparisons and place on charts are not published either, because "
        "they could narrow it down."
    )
    return replace(
        i,
        value=None,
        symbol=SYMBOL,
        shown=SHOWN,
        status=WITHHELD_STATUS,
        change=None,
        direction=None,
        direction_year=None,
        reason=sentence,
        history=[],
        variation=None,
        assurance=None,
        trial_limits=False,
        spc_chart=None,
        benchmark=None,
    )


def statuses(
    statements: list[StatementStatus],
    withheld: dict[str, Withheld],
    charter: Charter | None = None,
) -> list[StatementStatus]:
    """Statement statuses as a public reader sees them. A statement is rolled up again
    without its withheld indicators, and from its rounded figures' statuses (with
    `charter`), as "3 of 4 on track" would otherwise give a withheld indicator's status away
    (or a rounded one's real status)."""
    out = []
    for s in statements:
        shown = [indicator_status(i, withheld.get(i.id, Withheld())) for i in s.indicators]
        same = all(a.status == b.status for a, b in zip(shown, s.indicators, strict=True))
        if charter is None or same:  # a status withheld, or worked out from a rounded figure
            out.append(replace(s, indicators=shown))
            continue
        again = rollup(charter.statement(s.number), shown, charter)
        if again.status == "not_evidenced" and s.evidence:
            again.reason += (
                f" What families and staff tell us: {s.evidence} evidence "
                f"item{'s' if s.evidence != 1 else ''} in the last year."
            )
        again.evidence = s.evidence
        out.append(again)
    return out
