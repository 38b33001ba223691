"""How the upload page shows a checked file: notes, errors, the preview and the outcome."""

from __future__ import annotations

import streamlit as st

from charter import Charter
from metrics.ingest import LoadReport
from metrics.narrative import fmt_value
from metrics.publish.escape import download_name, markdown
from ui import charts


def notes(report: LoadReport) -> None:
    for note in report.notes:  # notes quote sheet names and cells from the file
        st.info(markdown(note))


def errors(report: LoadReport) -> None:
    st.error(report.summary())
    rows = [
        {
            "Row": e.row if e.row is not None else "",
            "Column": e.column,
            "Value": e.value,
            "Problem": e.problem,
            "How to fix it": e.fix,
        }
        for e in report.errors
    ]
    st.dataframe(rows, hide_index=True, key="upload_errors")
    st.download_button(
        "Download the errors (CSV)",
        charts.to_csv(rows),
        f"errors-{download_name(report.file_name)}.csv",
        mime="text/csv",
        key="errors_csv",
    )


def preview(report: LoadReport, charter: Charter) -> None:
    if report.outcome == "no change":
        st.success(report.summary())
        return
    st.markdown(f"**Preview:** {report.summary()}")
    added, revised, unchanged = st.columns(3)
    added.metric("Figures to add", report.added)
    revised.metric("Figures to revise", report.revised)
    unchanged.metric("Unchanged", report.unchanged)
    if report.revisions:
        st.markdown("**Revisions (old → new)**")
        rows = []
        for r in report.revisions:
            ind = charter.indicators[r.indicator_id]
            rows.append(
                {
                    "Row": r.row,
                    "Indicator": ind.title,
                    "Period": r.period,
                    "Area": r.area_code,
                    "Group": f"{r.breakdown}: {r.group}" if r.breakdown else "Total",
                    "Old": fmt_value(r.old_value, ind, r.old_symbol),
                    "New": fmt_value(r.new_value, ind, r.new_symbol),
                    "Status": r.old_status
                    if r.old_status == r.new_status
                    else f"{r.old_status} → {r.new_status}",
                }
            )
        st.dataframe(rows, hide_index=True, key="revisions")


def outcome(report: LoadReport) -> None:
    if report.ok:
        st.success(f"{report.summary()} (upload #{report.upload_id})")
    else:
        st.error(report.summary())
        for error in report.errors:
            st.markdown(f"- {markdown(error.as_text())}")
