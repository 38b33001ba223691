"""Data quality: how far to trust each figure this quarter. Returns expected and received,
whom to chase, figures in doubt and where every figure came from; councillors see the
ratings and the returns summary."""

import streamlit as st

import ui
from metrics.dates import long_date
from ui import quality_view

ui.page("Data quality", roles=ui.READERS)  # councillors get the summary
charter = ui.charter()
quarter = ui.quarter_picker()
if quarter:
    q = ui.quality(quarter)
    st.caption(
        f"As at {long_date(q.today)}: a return not yet received is overdue after its due date."
    )
    quality_view.ratings(q, charter)
    quality_view.returns(q, charter)
    if not ui.public():  # operational detail for staff: contacts, doubts, provenance
        quality_view.chase(q, charter)
        quality_view.validity(q, charter)
        quality_view.provenance(q, charter)
