"""Upload history: every upload, accepted or rejected, with its counts and who sent it."""

import streamlit as st

import ui
from metrics import queries

ui.page("Upload history")

log = queries.uploads(ui.store(), limit=500)
if not log:
    st.info("Nothing has been uploaded yet.")
else:
    columns = (
        "upload_id",
        "uploaded_at",
        "file_name",
        "uploaded_by",
        "outcome",
        "added",
        "revised",
        "unchanged",
        "rejected",
        "reason",
        "message",
    )
    st.dataframe([{k: u[k] for k in columns} for u in log], hide_index=True)
