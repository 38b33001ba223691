"""What families and staff tell us: evidence beyond the numbers, by statement and kind, with
repeated surveys as series; authors add and withdraw items."""

import streamlit as st

import ui
from metrics import evidence
from metrics.evidence.items import AUTHORS
from ui import evidence_view

ui.page("What families and staff tell us", roles=ui.READERS)
charter, store = ui.charter(), ui.store()
st.markdown(
    "What families, young people, front-line staff and partners tell us, beside the figures: "
    "surveys, visits, case studies, feedback and audit findings. Summaries hold no personal data."
)
ANY = 0
c1, c2 = st.columns(2)
number = c1.selectbox(
    "Statement", [ANY, *(s.number for s in charter.statements)], key="evidence_filter",
    format_func=lambda n: "(any)" if n == ANY else f"{n}. {charter.statement(n).short_title}",
)  # fmt: skip
kind = c2.selectbox("Kind", ["", *evidence.KINDS], key="evidence_filter_kind",
                    format_func=lambda k: evidence.KINDS.get(k, "(any)"))  # fmt: skip
with ui.plain_failure():
    everything = evidence.listed(store)
found = [
    x for x in everything
    if (number == ANY or number in x.statements) and (not kind or x.kind == kind)
]  # fmt: skip
st.markdown(f"{len(found)} evidence item{'s' if len(found) != 1 else ''}.")
for x in found:
    with st.container(border=True):
        evidence_view.item(x, "page")
evidence_view.surveys(charter, everything)
if ui.user().may(*AUTHORS):
    evidence_view.add_form(store, charter)
    evidence_view.withdraw_form(store, found)
