"""The indicator page's breakdown: each group's figure for the period the quarter is
assessed on, as a bar chart with its table, by a dimension the reader picks."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

import ui
from charter import Charter, Indicator
from charter.models import UNIT_LABEL
from metrics.assess.target import Target, fmt_target_value
from metrics.assess.trend import GroupRow
from metrics.periods.text import parse_period
from metrics.words.narrative import fmt_value
from ui import keys, style
from ui.charts import chart_with_table, house_layout, publication_column
from ui.figspec import Spec


def section(ind: Indicator, charter: Charter, upto: str | None) -> None:
    if not ind.breakdowns:
        return
    st.subheader("Breakdown")
    dim = st.selectbox(
        "Break down by",
        ind.breakdowns,
        key=keys.DIMENSION,
        format_func=lambda d: charter.breakdowns[d].label,
    )
    label = charter.breakdowns[dim].label
    period, groups = ui.indicator_groups(ind.id, dim, upto)
    if not (period and groups):
        st.info(f"No figures by {label.lower()}{f' for {upto}' if upto else ' yet'}.")
        return
    fig, alt, table = ui.figure(
        "breakdown",
        ind.id,
        dim,
        period,
        build=lambda: (
            *breakdown_chart(groups, ind, label, period),
            group_table(groups, ind, label),
        ),
        data=ui.indicator_key(ind.id),
    )
    chart_with_table(fig, alt, table, f"{ind.id}-{dim}.csv", "breakdown", about="breakdown")


def breakdown_chart(
    rows: list[GroupRow], ind: Indicator, label: str, period: str
) -> tuple[go.Figure, str]:
    groups = [r.group for r in rows]
    values = [r.value if r.value is not None else 0 for r in rows]
    texts = [fmt_value(r.value, ind, r.symbol) for r in rows]
    fig = Spec(
        {
            "type": "bar",
            "y": groups,
            "x": values,
            "orientation": "h",
            "text": texts,
            "textposition": "outside",
            "marker": {"color": style.OURS},
            "cliponaxis": False,
        }
    )
    fig.yaxis(autorange="reversed", type="category")
    # The council's target is for the whole council: a count's groups are parts of it, so
    # the target applies to none of them; a rate or percentage applies to each group.
    target = Target.of(ind).for_period(parse_period(period))  # the year's own, if any
    if target is not None and ind.unit != "count":
        fig.vline(
            target,
            {"color": style.TARGET, "dash": "dashdot"},
            f"Target {fmt_target_value(ind, target)}",
            font={"color": "#00684A"},
        )
    house_layout(
        fig,
        f"{ind.title} by {label.lower()}",
        f"{UNIT_LABEL[ind.unit] or 'count'}, {period}. [c] = suppressed small number.",
        ind.source,
    )
    fig.xaxis(type="linear")
    alt = (
        f"Bar chart of {ind.title} by {label.lower()} in {period}: "
        + "; ".join(f"{g} {t}" for g, t in zip(groups, texts, strict=True))
        + "."
    )
    return fig.figure(), alt


def group_table(rows: list[GroupRow], ind: Indicator, label: str) -> list[dict[str, Any]]:
    return [
        {
            label: r.group,
            "Value": fmt_value(r.value, ind, r.symbol),
            "Numerator": r.numerator,
            "Denominator": r.denominator,
            "Status": r.status,
            **publication_column(rows, r.withheld, r.symbol),
        }
        for r in rows
    ]
