"""Indicator: one indicator's trend against target and comparators, its breakdowns, and where
its figures came from."""

import streamlit as st

import ui
from metrics.narrative import facts_markdown, fmt_value, indicator_facts
from metrics.periods import parse_period
from metrics.publish.escape import markdown
from metrics.review.common import indicator_subject
from metrics.trend import upto as upto_rows
from ui import charts, evidence_view, keys, review_view, sections, style

ui.page("Indicator")

charter = ui.charter()
ids = list(charter.indicators)
chosen = st.selectbox(
    "Indicator",
    ids,
    index=ui.query_choice("indicator", ids, "indicator"),
    format_func=lambda i: charter.indicators[i].title,
    key=keys.INDICATOR,
)
st.query_params["indicator"] = chosen
ind = charter.indicators[chosen]
quarter = ui.quarter_picker()

st.header(ind.title)
st.markdown(ind.description)
upto = None  # every section shows what was known at the chosen quarter
if quarter:
    status = next(i for s in ui.status(quarter) for i in s.indicators if i.id == chosen)
    upto = status.period or status.due
    st.markdown(
        f"{style.badge(status.status)} &nbsp; {style.direction(status.direction)}",
        unsafe_allow_html=True,
    )
    st.markdown(status.reason)
    st.markdown(markdown(ui.quality(quarter).ratings[chosen].sentence()))
    review_view.beside_figure(ui.review(quarter), indicator_subject(chosen), status.status)

rows = upto_rows(ui.indicator_trend(chosen), upto)
st.subheader("Trend")
if rows:
    title = f"{ind.title}: {fmt_value(rows[-1].value, ind, rows[-1].symbol)} in {rows[-1].period}"
    fig, alt = charts.trend_chart(rows, ind, charter.council.name, title, quarter)
    numbers = charts.trend_csv(rows, ind, charter.council.code, charter.council.name)
    table = charts.trend_table(rows, ind)
    charts.chart_with_table(fig, alt, table, f"{chosen}.csv", "trend", numbers)
else:
    st.info("No figures have been supplied for this indicator yet.")

if not ui.public():  # the process-limits chart is for staff; councillors read plain reasons
    sections.spc_section(ind, rows)
sections.benchmark_section(ind, rows, charter, ui.store())
if not ui.public():  # our figures beside DfE's, small numbers and all: for staff
    sections.reconciliation_section(ind, charter, ui.store())

if ind.breakdowns:
    st.subheader("Breakdown")
    dim = st.selectbox(
        "Break down by",
        ind.breakdowns,
        key=keys.DIMENSION,
        format_func=lambda d: charter.breakdowns[d].label,
    )
    period, groups = ui.indicator_groups(chosen, dim, upto)
    if period and groups:
        label = charter.breakdowns[dim].label
        fig, alt = charts.breakdown_chart(groups, ind, label, period)
        charts.chart_with_table(
            fig, alt, charts.group_table(groups, ind, label), f"{chosen}-{dim}.csv", "breakdown"
        )
    else:
        when = f" for {upto}" if upto else " yet"
        st.info(f"No figures by {charter.breakdowns[dim].label.lower()}{when}.")

evidence_view.beside(indicator=chosen, until=parse_period(quarter).end if quarter else None)

st.subheader("About this indicator")
st.markdown(facts_markdown(indicator_facts(ind, charter)))
latest = ui.latest_figure(chosen)
if latest is not None:
    st.markdown(
        f"Last updated {latest.recorded_at:%d %B %Y %H:%M} by {markdown(latest.recorded_by)}, "
        f"from {markdown(latest.source)} (upload #{latest.upload_id})."
    )
