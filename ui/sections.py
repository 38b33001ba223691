"""Indicator page sections that take more than a line or two: SPC, benchmarks, our figures
beside the published ones, and the overview's signal summary. Each draws from the page's
cached data (metrics/publish/indicator_page.py) and its charts come from `ui.figure`'s cache."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charter import Charter, Indicator
from metrics.assess.rollup import StatementStatus
from metrics.assess.spc import SpcResult
from metrics.assess.target import Target
from metrics.assess.trend import Reconciliation, TrendRow
from metrics.periods.text import parse_period
from metrics.publish import escape
from metrics.publish.indicator_page import Comparison
from metrics.words.narrative import assurance_label, signed_number, variation_label
from ui import charts, reads, spc_charts
from ui.arrow_tables import arrow_of


def spc_section(ind: Indicator, result: SpcResult | None, rows: list[TrendRow]) -> None:
    st.subheader("Signal or noise? (statistical process control)")
    if result is None:
        st.info("At least 6 figures are needed before process limits mean anything.")
        return
    if (why := result.no_verdict()) is not None:
        st.info(f"No verdict on variation or assurance yet: {why}.")
    else:
        has_target = Target.of(ind).value is not None
        st.markdown(
            f"**Variation:** {variation_label(result.variation)}  \n"
            f"**Assurance:** {assurance_label(result.assurance, has_target)}"
        )
    if result.trial_limits:
        st.warning(
            "These are trial limits: with fewer than 12 points they may move as more "
            "figures arrive."
        )

    def build() -> tuple[go.Figure, str, list[dict[str, Any]]]:
        last = parse_period(rows[-1].period)
        target = Target.of(ind).in_force(last)
        return (*spc_charts.spc_chart(result, ind, target), spc_charts.spc_table(result, ind))

    fig, alt, table = reads.figure(
        "spc", ind.id, rows[-1].period, build=build, data=reads.indicator_key(ind.id)
    )
    charts.chart_with_table(fig, alt, table, f"{ind.id}-spc.csv", "spc", about="signal or noise")


def benchmark_section(
    ind: Indicator, found: Comparison, charter: Charter, said: str | None = None
) -> None:
    """Every council (or our region and England) in one period; `said`: whose neighbours
    and how old the published figures are (metrics/publish/compare.py)."""
    st.subheader("How we compare")
    if found.advice:
        st.markdown(found.advice)
    if found.message:
        st.info(found.message)
        return
    notes = [escape.markdown(x) for x in (found.neighbours, said) if x]
    if notes:  # one element (Streamlit's cost is per element)
        st.caption("\n\n".join(notes))
    period, council = found.period or "", charter.council.name

    def build() -> tuple[go.Figure, str, list[dict[str, Any]]]:
        fig, alt = spc_charts.benchmark_chart(
            found.rows, ind, period, council, found.england, found.names, found.ranked,
            found.when(),
        )  # fmt: skip
        return (
            fig,
            alt,
            spc_charts.benchmark_table(found.rows, ind, council, found.names, found.ranked),
        )

    fig, alt, table = reads.figure(
        "benchmark", ind.id, found.when(), build=build, data=reads.indicator_key(ind.id)
    )
    charts.chart_with_table(
        fig, alt, table, f"{ind.id}-councils.csv", "councils", about="how we compare"
    )


def reconciliation_section(ind: Indicator, rows: list[Reconciliation]) -> None:
    if not rows:
        return
    st.subheader("Our figures beside the published statistics")
    st.dataframe(
        arrow_of(
            [
                {
                    "Period": r.period,
                    "Published": r.published,
                    "Ours": r.ours,
                    "Difference": "–"
                    if r.difference is None
                    else signed_number(r.difference, ind.decimals),
                    "How ours were combined": r.how,
                    "Provisional or revised": r.markers or "–",
                    "Published in": r.source,
                }
                for r in rows
            ]
        ),
        hide_index=True,
        key="reconcile",
    )


def icon_summary(statements: list[StatementStatus], quarter: str) -> None:
    """Every indicator's SPC variation and assurance in one compact table (icons + words),
    made once per data version and quarter (`statements` are the quarter's)."""
    st.header("Signal and assurance at a glance")
    table = reads.figure(
        "signal and assurance",
        quarter,
        build=lambda: arrow_of(
            [
                {
                    "Statement": s.number,
                    "Indicator": i.title,
                    "Variation": variation_label(i.variation),
                    "Assurance": assurance_label(i.assurance, i.target is not None),
                }
                for s in statements
                for i in s.indicators
            ]
        ),
    )
    st.dataframe(
        table,
        hide_index=True,
        key="icon_summary",
        column_config={
            "Statement": st.column_config.NumberColumn("No.", width="small"),
            "Indicator": st.column_config.TextColumn(width="large"),
            "Variation": st.column_config.TextColumn(width="medium"),
            "Assurance": st.column_config.TextColumn(width="medium"),
        },
    )
