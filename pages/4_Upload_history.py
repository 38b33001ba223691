"""Upload history: every upload, accepted or rejected, with its counts and who sent it."""

import streamlit as st

import ui
from metrics.store import queries
from ui import history_view

ui.page("Upload history", roles=ui.STAFF)

unreadable = queries.unreadable_figures(ui.store())
if unreadable:
    st.header("Figures that cannot be read")
    st.warning(
        "These stored figures have a period that cannot be read, so no page uses them. "
        "Load corrected figures, and ask your administrator to remove these."
    )
    st.dataframe(
        [
            {
                "Period as stored": u.period,
                "Figures": u.figures,
                "Indicators": u.indicators,
                "First upload": u.first_upload,
            }
            for u in unreadable
        ],
        hide_index=True,
        key="unreadable",
    )

log = queries.uploads(ui.store(), limit=500)
if not log:
    st.info("Nothing has been uploaded yet.")
else:
    history_view.log_table(log)
    history_view.one_upload(ui.store(), log, reader=ui.user())
