"""The audit page's sections: the filtered trail with its CSV, and reloading the charter."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

import ui
from charter import CharterError
from metrics.access import audit
from metrics.access.reload import reload_charter
from metrics.dates import COLUMN_DATETIME, FORM_FORMAT
from metrics.publish.escape import markdown
from metrics.publish.tables import csv_bytes
from metrics.store.connection import Store
from metrics.text_limits import SEARCH, help_text
from ui import context, downloads, shared_cache

KIND = "audit_kind"
WHO = "audit_who"
DATES = "audit_dates"
TEXT = "audit_text"
RELOAD = "audit_reload"
ANY = "(any)"


def _day_range(chosen: object) -> tuple[datetime | None, datetime | None]:
    days = list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]
    picked = [d for d in days if isinstance(d, date)]
    if not picked:
        return None, None
    first, last = picked[0], picked[-1]
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


def trail(store: Store) -> None:
    """Filters, the matching entries newest first, and the same entries as CSV."""
    reader = ui.require(ui.ADMINS, "read the audit trail")
    with ui.plain_failure():
        kinds, people, total = audit.choices(store, reader)
    st.markdown(f"{total:,} entries. Nothing in the app can change or remove an entry.")
    left, right = st.columns(2)
    kind = left.selectbox("What was done", [ANY, *kinds], key=KIND)
    who = right.selectbox("Who", [ANY, *people], key=WHO)
    left, right = st.columns(2)
    today = date.today()
    dates = left.date_input(
        "Between", (today - timedelta(days=90), today), key=DATES, format=FORM_FORMAT
    )
    text = right.text_input(
        "Containing", key=TEXT, max_chars=SEARCH,
        help=f"Words in the object or summary. {help_text(SEARCH)}",
    )  # fmt: skip
    since, until = _day_range(dates)
    with ui.plain_failure():
        rows = audit.entries(
            store,
            reader,
            kind=None if kind == ANY else kind,
            who=None if who == ANY else who,
            since=since,
            until=until,
            text=text,
        )
    if not rows:
        st.info("No entries match these filters.")
        return
    st.caption(f"{len(rows):,} matching entries, newest first (at most 5,000).")
    table = [r.as_row() for r in rows]
    st.dataframe(
        table,
        hide_index=True,
        key="audit_rows",
        column_config={"When": st.column_config.DatetimeColumn(format=COLUMN_DATETIME + ":ss")},
    )
    downloads.button(
        "Download these entries (CSV)",
        lambda: csv_bytes(table, fieldnames=audit.HEADINGS),
        f"audit-{today.isoformat()}.csv",
        mime="text/csv",
        key="audit_csv",
        roles=ui.ADMINS,
    )


def charter_reload(store: Store) -> None:
    """Read the charter files and access list again after someone edited them on the server."""
    st.header("Charter files and access list")
    st.markdown(
        "After the charter's YAML files or `access.yaml` are edited on the server, reload them "
        "here. Problems are listed and nothing changes until they are fixed."
    )
    if not st.button("Reload the charter files", key=RELOAD):
        return
    person = ui.require(ui.ADMINS, "reload the charter files")
    try:
        with ui.plain_failure():
            _, _, summary = reload_charter(
                store, person, ui.charter(), ui.access.access_list_or_empty()
            )
    except CharterError as err:
        st.error("The charter files have problems; nothing was reloaded.")
        for problem in err.problems:
            st.markdown(f"- {markdown(problem)}")
        return
    context.forget_charter()
    ui.access.forget_access_list()
    st.cache_data.clear()
    shared_cache.forget()  # memory only: the shared reads' keys name the charter's loading
    st.success(f"Reloaded: {markdown(summary)}.")
