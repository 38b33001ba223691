"""Indicator: one indicator's trend against target and comparators, its breakdowns, and where
its figures came from."""

import streamlit as st

import ui
import ui.benchmark_view
from metrics.assess.facts import indicator_facts
from metrics.dates import date_time
from metrics.publish.escape import markdown
from metrics.review.common import indicator_subject
from metrics.words.narrative import facts_markdown
from ui import breakdown, charts, evidence_view, keys, outlook_view, review_view, sections, style

ui.page("Indicator", reads=("quality", "indicator"))

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
ui.tab_title(ind.title)
quarter = ui.quarter_picker()

st.header(ind.title)
st.markdown(ind.description)
view = ui.indicator_view(chosen, quarter)  # every section shows what was known then
upto = view.upto
if quarter:
    status = next(i for s in ui.status(quarter) for i in s.indicators if i.id == chosen)
    st.markdown(
        f"{style.badge(status.status)} &nbsp; {style.direction(status.direction)}",
        unsafe_allow_html=True,
    )
    st.markdown(f"{status.reason}\n\n{markdown(ui.quality(quarter).ratings[chosen].sentence())}")
    review_view.beside_figure(ui.review(quarter), indicator_subject(chosen), status.status)

st.subheader("Trend")
if view.rows:
    fig, alt, table, numbers = ui.figure(
        "trend",
        chosen,
        upto,
        quarter,
        build=lambda: charts.trend(view.rows, ind, charter, quarter),
        data=ui.indicator_key(chosen),
    )
    charts.chart_with_table(fig, alt, table, f"{chosen}.csv", "trend", numbers, about="trend")
else:
    st.info("No figures have been supplied for this indicator yet.")
outlook_view.section(ind, quarter)  # a projection if nothing changes, and the trajectory

if not ui.public():  # the process-limits chart is for staff; councillors read plain reasons
    sections.spc_section(ind, view.spc, view.rows)
compared = ui.benchmark_view.compared(chosen, quarter)  # published: whose, how old, over time
sections.benchmark_section(
    ind, view.comparison, charter, compared.source_words() if compared else None
)
ui.benchmark_view.section(ind, compared)
if not ui.public():  # our figures beside DfE's, small numbers and all: for staff
    sections.reconciliation_section(ind, view.reconciliation)

breakdown.section(ind, charter, upto)
evidence_view.items_beside(view.evidence)

st.subheader("About this indicator")
about = [facts_markdown(indicator_facts(ind, charter))]
if view.latest is not None:
    about.append(
        f"Last updated {date_time(view.latest.recorded_at)} by "
        f"{markdown(view.latest.recorded_by)}, from {markdown(view.latest.source)} "
        f"(upload #{view.latest.upload_id})."
    )
st.markdown("\n\n".join(about))  # one element
