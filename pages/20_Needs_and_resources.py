"""Needs and resources: where disabled children are (known against expected by locality),
who serves them (provision and gaps) and what it costs beside the outcomes."""

import streamlit as st

import ui
from ui import needs_view as view

ui.page("Needs and resources", roles=ui.READERS)
with ui.plain_failure():
    found = view.read()
if found is None:
    st.info("No needs return has been loaded yet (python -m metrics load-needs FILE).")
else:
    st.header("Known against expected, by locality")
    view.summary(found)
    view.locality_map(found)
    st.subheader("By need")
    view.by_need(found)
    st.subheader("Over time")
    view.trend(found)
    st.header("Provision and gaps")
    view.provision_and_gaps(found)
    st.header("Costs beside outcomes")
    view.costs_beside_outcomes(found)
