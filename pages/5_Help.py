"""Help: how to read the dashboard, and every indicator's definition, from the charter."""

import streamlit as st

import ui
from metrics.assess.facts import indicator_facts
from metrics.publish import escape
from metrics.words.narrative import SPC_HELP, STATUS_WORDS, facts_markdown
from metrics.words.symbols import SYMBOL_MEANINGS
from ui import cards, style

ui.page("Help and definitions", roles=ui.EVERYONE)

charter = ui.charter()
st.header("Reading the dashboard")
st.markdown("Each status is shown with an icon and a word as well as a colour:")
for status in STATUS_WORDS:
    st.markdown(style.badge(status), unsafe_allow_html=True)
cards.rule_note(charter)
st.markdown(
    "Figures marked **P** are provisional and may change; **R** marks a figure revised "
    "since it was first reported. Where there is no figure, a symbol says why:"
)
st.markdown(
    "\n".join(
        f"- **{escape.markdown(f'[{s}]')}** {escape.markdown(meaning)}"
        for s, meaning in SYMBOL_MEANINGS.items()
    )
)
st.subheader("Small numbers")
st.markdown(ui.policy().words)
st.markdown(
    "Councillors, the Scrutiny page and every published (scrutiny) pack see such figures as "
    "**[c]**. Analysts and planning-group members see the real figures, marked **not for "
    "publication**; the planning group's own pack is internal for that reason. Every cell "
    "a public reader can see for a quarter can be listed before it goes out: `python -m "
    'metrics published --quarter "2026-27 Q2" --format csv`.'
)
st.subheader("Signal and assurance (statistical process control)")
st.markdown("\n".join(f"- **{label}**: {meaning}." for label, meaning in SPC_HELP))
st.header("Indicator definitions")
for statement in charter.statements:
    st.subheader(f"{statement.number}. {statement.short_title}")
    st.markdown(statement.title)
    for ind in charter.indicators_for(statement.number):
        with st.expander(ind.title):
            st.markdown(facts_markdown(indicator_facts(ind, charter)))
