"""Indicator page sections that take more than a line or two: SPC and benchmarks."""

from __future__ import annotations

import streamlit as st

from charter import Charter, Indicator
from metrics.narrative import assurance_label, variation_label
from metrics.queries import area_names, published_periods
from metrics.rollup import StatementStatus
from metrics.status import target_for
from metrics.store import Store
from metrics.trend import AreaValue, TrendRow, councils, reconcile, spc
from ui import charts, spc_charts


def spc_section(ind: Indicator, rows: list[TrendRow]) -> None:
    st.subheader("Signal or noise? (statistical process control)")
    result = spc(ind, rows)
    if result is None:
        st.info("At least 6 figures are needed before process limits mean anything.")
        return
    st.markdown(
        f"**Variation:** {variation_label(result.variation)}  \n"
        f"**Assurance:** {assurance_label(result.assurance, ind.target is not None)}"
    )
    if result.trial_limits:
        st.warning(
            "These are trial limits: with fewer than 12 points they may move as more "
            "figures arrive."
        )
    from metrics.periods import parse_period

    target = target_for(ind, parse_period(rows[-1].period)) if ind.polarity != "neutral" else None
    fig, alt = spc_charts.spc_chart(result, ind, target)
    charts.chart_with_table(fig, alt, spc_charts.spc_table(result, ind), f"{ind.id}-spc.csv", "spc")


def benchmark_section(
    ind: Indicator, trend_rows: list[TrendRow], charter: Charter, store: Store
) -> None:
    st.subheader("How we compare")
    if ind.unit == "count":
        st.info(
            "Counts are not compared with England, the region or other councils: they measure "
            "places of different sizes. Rates and percentages are compared."
        )
        return
    latest = next((r for r in reversed(trend_rows) if r.value is not None), None)
    if latest is None or latest.value is None:
        st.info("No figures to compare yet.")
        return
    rows = councils(store, charter, ind, latest.period)
    ranked = len(rows) >= 2
    if not ranked:  # no other councils loaded: compare with England, region and group
        st.markdown(no_ranking_advice(ind, latest.period, published_periods(store, ind.id)))
        c = charter.council
        pairs = (
            (c.name, latest.value),
            (c.region.name, latest.region),
            (c.england.name, latest.england),
        )
        rows = [
            AreaValue(name, value, name == c.name) for name, value in pairs if value is not None
        ]
        rows.sort(key=lambda r: r.value, reverse=ind.polarity != "lower_is_better")
    if len(rows) < 2:
        st.info("No comparator figures for this indicator and period.")
        return
    names = area_names(store)
    fig, alt = spc_charts.benchmark_chart(
        rows, ind, latest.period, charter.council.name, latest.england, names, ranked
    )
    charts.chart_with_table(
        fig,
        alt,
        spc_charts.benchmark_table(rows, ind, charter.council.name, names),
        f"{ind.id}-councils.csv",
        "councils",
    )


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


def reconciliation_section(ind: Indicator, charter: Charter, store: Store) -> None:
    rows = reconcile(store, charter, ind)
    if not rows:
        return
    st.subheader("Our figures beside the published statistics")
    st.dataframe(
        [
            {
                "Period": r.period,
                "Published": r.published,
                "Ours": r.ours,
                "Difference": "–" if r.difference is None else f"{r.difference:+.{ind.decimals}f}",
                "How ours were combined": r.how,
                "Provisional or revised": r.markers or "–",
                "Published in": r.source,
            }
            for r in rows
        ],
        hide_index=True,
        key="reconcile",
    )


def icon_summary(statements: list[StatementStatus], charter: Charter) -> None:
    """Every indicator's SPC variation and assurance in one compact table (icons + words)."""
    st.header("Signal and assurance at a glance")
    rows = [
        {
            "Statement": s.number,
            "Indicator": i.title,
            "Variation": variation_label(i.variation),
            "Assurance": assurance_label(i.assurance, i.target is not None),
        }
        for s in statements
        for i in s.indicators
    ]
    st.dataframe(
        rows,
        hide_index=True,
        key="icon_summary",
        column_config={
            "Statement": st.column_config.NumberColumn("No.", width="small"),
            "Indicator": st.column_config.TextColumn(width="large"),
            "Variation": st.column_config.TextColumn(width="medium"),
            "Assurance": st.column_config.TextColumn(width="medium"),
        },
    )
