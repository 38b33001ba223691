"""Meeting packs: the quarter's papers to circulate, as a web page, an accessible PDF and a
spreadsheet; the scrutiny pack withholds small numbers and is ready to publish."""

import streamlit as st

import ui
from ui import pack_view, shape_view

ui.page("Meeting packs", roles=ui.READERS)
st.markdown(
    "Papers for the planning group (internal) or for overview and scrutiny (published). "
    "Each pack has the statements, the measures needing attention with their commentary and "
    "charts, actions, every measure, data-quality notes, a glossary and how statuses are "
    "worked out. Staff can also make the self-evaluation draft for the area SEND inspection, "
    "organised by the inspection's themes."
)
quarter = ui.quarter_picker()
if quarter:
    chosen = pack_view.audience()
    shape_view.chair(quarter, chosen)  # key messages and sections: the chair's
    pack_view.text_warnings(quarter, chosen)
    if st.button("Make the pack", key=pack_view.MAKE, type="primary"):
        pack_view.make(quarter, chosen)
    pack_view.downloads()
