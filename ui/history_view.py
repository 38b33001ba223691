"""The upload history page's sections: the log in words, one upload's errors and its file."""

from __future__ import annotations

from datetime import date

import streamlit as st

from metrics.access import ANALYST, Actor
from metrics.dates import COLUMN_DATETIME, short_date
from metrics.ingest.kept import upload_file
from metrics.publish.escape import download_name, markdown
from metrics.store import queries
from metrics.store.connection import Store
from ui import downloads, upload_view

CHOSEN = "history_upload"

# The log's columns as people read them.
COLUMNS = {
    "upload_id": "Upload",
    "uploaded_at": "When",
    "file_name": "File",
    "uploaded_by": "Who",
    "kind": "Kind",
    "outcome": "Outcome",
    "added": "Added",
    "revised": "Revised",
    "unchanged": "Unchanged",
    "rejected": "Rows with errors",
    "reason": "Why revised",
    "release_end": "Release covers to",
    "message": "Summary",
}


def _cell(value: object) -> object:
    if value is None:
        return ""
    return short_date(value) if type(value) is date else value  # text, like the column's ""


def log_table(log: list[dict[str, object]]) -> None:
    rows = [{label: _cell(u[name]) for name, label in COLUMNS.items()} for u in log]
    st.dataframe(
        rows,
        hide_index=True,
        key="upload_log",
        column_config={"When": st.column_config.DatetimeColumn(format=COLUMN_DATETIME)},
    )


def one_upload(store: Store, log: list[dict[str, object]], reader: Actor) -> None:
    """Choose an upload: a rejected one's errors, and (for analysts) the file as sent."""
    st.header("One upload in detail")
    ids = [int(str(u["upload_id"])) for u in log]
    by_id = {int(str(u["upload_id"])): u for u in log}
    chosen = st.selectbox(
        "Upload",
        ids,
        format_func=lambda i: f"#{i}: {by_id[i]['file_name']} ({by_id[i]['outcome']})",
        key=CHOSEN,
    )
    if chosen is None:
        return
    upload = by_id[chosen]
    st.markdown(markdown(f"#{chosen}: {upload['file_name']}, {upload['message']}"))
    errors = queries.upload_errors(store, chosen)
    if errors:
        rows = [
            {
                "Row": "" if r is None else r,
                "Column": c or "",
                "Value": v or "",
                "Problem": p,
                "How to fix it": f or "",
            }
            for r, c, v, p, f in errors
        ]
        upload_view.error_table(rows, str(upload["file_name"]), "history_errors")
    elif upload["outcome"] == "rejected":
        st.info("No row errors were kept for this upload.")
    if not reader.may(ANALYST):
        return
    kept = upload_file(store, chosen, reader)
    if kept is None:
        st.info("The file itself was not kept (a rejected file over 5 MB keeps only its hash).")
        return
    name, content = kept
    downloads.button(
        "Download the file as it was uploaded",
        lambda: content,
        download_name(name),
        mime="application/octet-stream",
        key="history_file",
        roles=frozenset({ANALYST}),
    )
