"""Charter overview: the 12 statements and how much evidence each has."""

import streamlit as st

import ui

ui.page("Charter overview")

charter = ui.charter()
st.caption(
    f"{charter.council.name}: {len(charter.indicators)} indicators across "
    f"{len(charter.statements)} charter statements."
)
for statement in charter.statements:
    indicators = charter.indicators_for(statement.number)
    st.subheader(f"{statement.number}. {statement.short_title}")
    st.write(statement.title)
    st.caption("Indicators: " + "; ".join(i.title for i in indicators))
