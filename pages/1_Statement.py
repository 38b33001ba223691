"""Statement: one charter statement in full, with the status of each of its indicators."""

import streamlit as st

import ui
from metrics.periods.text import parse_period
from metrics.review.common import statement_subject
from ui import cards, evidence_view, keys, review_view, style
from ui.arrow_tables import arrow_of

ui.page("Statement", reads=("quality", "statement"))

charter = ui.charter()
numbers = [str(s.number) for s in charter.statements]
chosen = st.selectbox(
    "Statement",
    numbers,
    index=ui.query_choice("statement", numbers, "statement"),
    format_func=lambda n: f"{n}. {charter.statement(int(n)).short_title}",
    key=keys.STATEMENT,
)
st.query_params["statement"] = chosen
ui.tab_title(f"Statement {chosen}: {charter.statement(int(chosen)).short_title}")
quarter = ui.quarter_picker()
if quarter:
    statement = next(s for s in ui.status(quarter) if str(s.number) == chosen)
    st.header(f"{statement.number}. {statement.short_title}")
    st.markdown(f"*{statement.title}*")
    st.markdown(style.badge(statement.status), unsafe_allow_html=True)
    st.markdown(statement.reason)
    built = ui.review(quarter)
    review_view.beside_figure(built, statement_subject(statement.number), statement.status)
    cards.rule_note(charter)
    st.subheader("Indicators")
    st.dataframe(
        arrow_of(cards.indicator_rows(statement.indicators, charter, ui.quality(quarter).ratings)),
        hide_index=True,
        column_config={
            "Trend": st.column_config.LineChartColumn("Trend (last 8 periods)", color="#0072B2")
        },
    )
    for item in statement.indicators:
        ui.link(
            ui.INDICATOR_PAGE,
            f"Open indicator: {item.title}",
            {"indicator": item.id, **ui.carried()},
        )
    evidence_view.beside(statement.number, until=parse_period(quarter).end)
