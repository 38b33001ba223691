"""The indicator page's data: the trend up to the chosen quarter (with disclosure control),
its SPC chart, how we compare, our figures beside the published ones, where the latest figure
came from and what families and staff say about it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from charter import Charter, Indicator
from metrics import evidence
from metrics.assess.benchmark import area_values, benchmark
from metrics.assess.spc import SpcResult
from metrics.assess.status import assessed_period, published_beside
from metrics.assess.target import Target
from metrics.assess.trend import (
    AreaValue,
    Reconciliation,
    TrendRow,
    councils,
    reconcile,
    spc,
    trend_and_provenance,
    upto,
)
from metrics.evidence.items import EvidenceItem
from metrics.periods.due import due_period
from metrics.periods.text import parse_period, read_label
from metrics.publish import withheld as disclosure
from metrics.publish.policy import DisclosurePolicy, TrendCells, audience_for
from metrics.store.connection import Store
from metrics.store.queries import SeriesRow, area_names, published_periods
from metrics.words.narrative import fmt_value

COUNTS_NOT_COMPARED = (
    "Counts are not compared with England, the region or other councils: they measure "
    "places of different sizes. Rates and percentages are compared."
)


@dataclass(frozen=True)
class Comparison:
    """How we compare at the latest figure shown: every council, best first, or (when no
    other council's figure is loaded) us beside England and the region."""

    period: str | None = None
    rows: list[AreaValue] = field(default_factory=list)
    ranked: bool = False
    england: float | None = None
    names: dict[str, str] = field(default_factory=dict)  # the rows' areas only
    advice: str | None = None  # why councils are not ranked, and what would help
    message: str | None = None  # why there is no chart
    neighbours: str | None = None  # the neighbour average, saying which model names them
    at: str | None = None  # the chosen quarter a published year is read at ("2025-26 Q3")

    def when(self) -> str:
        """The period, or "published figures for 2024, the latest at 2025-26 Q3"."""
        period = self.period or ""
        if self.at is None or self.at == period:
            return period
        return f"published figures for {period}, the latest at {self.at}"


@dataclass(frozen=True)
class IndicatorView:
    upto: str | None  # the period the chosen quarter is assessed on (or due)
    rows: list[TrendRow]  # up to `upto`, withheld figures as the reader may see them
    spc: SpcResult | None  # staff only
    comparison: Comparison
    reconciliation: list[Reconciliation]  # staff only
    latest: SeriesRow | None
    evidence: list[EvidenceItem]


def build(
    store: Store,
    charter: Charter,
    ind: Indicator,
    quarter: str | None,
    hidden: disclosure.Withheld,
    public: bool,
) -> IndicatorView:
    """Everything the page shows of `ind` as known at `quarter` (every figure up to the one
    the quarter is assessed on, as in its status; the evidence of the year to its end), in
    one opening of the store. `public`: the reader sees what would be published (no SPC,
    no reconciliation). Without a quarter: every figure and all the evidence."""
    with store.connect():
        every, latest = trend_and_provenance(store, charter, ind)
        found = evidence.listed(store, indicator=ind.id)
        assessed = None
        if quarter:
            q = parse_period(quarter)
            due = due_period(ind, q).label
            assessed = assessed_period(ind, {r.period for r in every}, q) or due
            found = evidence.recent(found, q.end)
        policy = DisclosurePolicy(charter, {ind.id: hidden})
        unseen = disclosure.not_compared(hidden) if public else frozenset()
        rows = upto(
            policy.publish(TrendCells(ind.id, every), audience_for(public)), assessed, quarter
        )
        return IndicatorView(
            assessed,
            rows,
            None if public else spc(ind, rows),
            comparison(store, charter, ind, rows, quarter, unseen),
            [] if public else reconcile(store, charter, ind),
            latest,
            found,
        )


def comparison(
    store: Store,
    charter: Charter,
    ind: Indicator,
    rows: list[TrendRow],
    quarter: str | None = None,
    unseen: Collection[str] = (),
) -> Comparison:
    """Our latest figure among the councils' (`unseen`: the periods in which the reader may
    not see our figure compared, withheld.not_compared: the councils are listed without it)."""
    if ind.unit == "count":
        return Comparison(message=COUNTS_NOT_COMPARED)
    latest = next((r for r in reversed(rows) if r.value is not None), None)
    if latest is None or latest.value is None:
        return Comparison(message="No figures to compare yet.")
    found = _seen(councils(store, charter, ind, latest.period), latest.period, unseen)
    if len(found) < 2 and (beside := published_year(store, charter, ind, latest, quarter, unseen)):
        return beside
    ranked, advice = len(found) >= 2, None
    if not ranked:  # no other councils loaded: compare with England, region and group
        advice = no_ranking_advice(ind, latest.period, published_periods(store, ind.id))
        c = charter.council
        pairs = (
            (c.name, latest.value),
            (c.region.name, latest.region),
            (latest.sub_region_name or "", latest.sub_region),  # Inner/Outer London
            (c.england.name, latest.england),
        )
        found = [
            AreaValue(name, value, name == c.name) for name, value in pairs if value is not None
        ]
        found = Target.of(ind).best_first(found, key=lambda r: r.value)
    if len(found) < 2:
        return Comparison(
            latest.period, advice=advice, message="No comparator figures for this indicator "
            "and period."
        )  # fmt: skip
    wanted = {r.area for r in found}
    names = {code: name for code, name in area_names(store).items() if code in wanted}
    areas = area_values(store, [(ind.id, latest.period)]).get((ind.id, latest.period), {})
    return Comparison(
        latest.period, found, ranked, latest.england, names, advice,
        neighbours=neighbour_average(charter, ind, areas),
    )  # fmt: skip


def neighbour_average(charter: Charter, ind: Indicator, areas: dict[str, float]) -> str | None:
    """ "Statistical neighbours (DfE model of May 2025): 58.1% on average, the mean of the 10
    of 10 with a figure." Figures under a neighbour's older code count (benchmark)."""
    b = benchmark(ind, charter, None, None, None, areas)
    if b.group is None or b.group_source is None:
        return None
    words = b.group_source.replace(": ", " (", 1) + ")" if ": " in b.group_source else ""
    name = words[0].upper() + words[1:] if words else b.group_source.capitalize()
    return (
        f"{name}: {fmt_value(b.group, ind)} on average, the {b.statistic} of the "
        f"{b.group_size} of {len(charter.neighbours().codes)} with a figure."
    )


def _seen(found: list[AreaValue], period: str, unseen: Collection[str]) -> list[AreaValue]:
    return [r for r in found if not r.ours] if period in unseen else found


def published_year(
    store: Store,
    charter: Charter,
    ind: Indicator,
    latest: TrendRow,
    quarter: str | None,
    unseen: Collection[str] = (),
) -> Comparison | None:
    """Published yearly, tracked quarterly (EHC plans within 20 weeks): every council in the
    latest published year ended by the quarter, labelled with its year, beside our figure."""
    end = read_label(quarter) if quarter else read_label(latest.period)
    if end is None:
        return None
    year = published_beside(ind, end, published_periods(store, ind.id))
    found = _seen(councils(store, charter, ind, year), year, unseen) if year else []
    if year is None or len(found) < 2:
        return None
    areas = area_values(store, [(ind.id, year)]).get((ind.id, year), {})
    wanted = {r.area for r in found}
    names = {code: name for code, name in area_names(store).items() if code in wanted}
    advice = (
        f"DfE publishes this indicator yearly; our latest figure is for {latest.period}. "
        f"Councils are compared on {year}, the latest published year"
        + (
            "."
            if any(r.ours for r in found)
            else f", in which {charter.council.name} has no published figure."
        )
    )
    return Comparison(
        year, found, True, areas.get(charter.council.england.code), names, advice,
        neighbours=neighbour_average(charter, ind, areas), at=quarter,
    )  # fmt: skip


def no_ranking_advice(ind: Indicator, period: str, published: list[str]) -> str:
    """Why councils cannot be ranked for `period`, and what (if anything) would help."""
    if not published:
        return (
            "No published statistics are loaded for this indicator; importing a DfE release "
            "that covers it would rank every council."
        )
    span = published[0] if len(published) == 1 else f"{published[0]} to {published[-1]}"
    return (
        f"Published statistics for this indicator are for {span}; our latest figure is for "
        f"{period}, a different kind of period, so no published figure matches it and no "
        "import would rank councils for it. Where our figures cover a published year, they "
        "are compared below."
        if ind.frequency != "annual"
        else f"Published statistics for this indicator are for {span}, not yet for {period}; "
        "councils are ranked once a release for it is imported."
    )
