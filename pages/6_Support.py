"""Support: who to contact about the figures or the dashboard."""

import streamlit as st

import ui

ui.page("Support and contact", roles=ui.EVERYONE)

council = ui.charter().council
st.markdown(f"The dashboard is run by {council.name}.")
st.header("Questions about the figures or the dashboard")
st.markdown(
    council.contact
    or "Your council has not set a support contact yet (`contact` in `charter/council.yaml`)."
)
st.markdown(
    "Tell us which page you were on, the indicator and the quarter, and what you "
    "expected to see. If you need the information in another format, such as large "
    "print, easy read or an audio recording, say so and we will reply within 10 "
    "working days."
)
ui.link(ui.ACCESSIBILITY_PAGE, "Read the accessibility statement")
