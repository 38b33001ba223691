"""How the upload page shows a checked file: notes, errors, the preview and the outcome."""

from __future__ import annotations

import streamlit as st

import ui
from charter import Charter
from metrics.ingest import LoadReport, load_file
from metrics.ingest.load_report import also_changes
from metrics.publish.escape import download_name, markdown
from metrics.store.connection import Store
from metrics.text_limits import REASON, help_text
from metrics.words.narrative import fmt_value
from ui import charts, downloads, keys, working


def notes(report: LoadReport) -> None:
    for note in report.notes:  # notes quote sheet names and cells from the file
        st.info(markdown(note))


def errors(report: LoadReport) -> None:
    st.error(report.summary())
    rows: list[dict[str, object]] = [
        {
            "Row": e.row if e.row is not None else "",
            "Column": e.column,
            "Value": e.value,
            "Problem": e.problem,
            "How to fix it": e.fix,
        }
        for e in report.errors
    ]
    error_table(rows, report.file_name, "upload_errors")


def error_table(rows: list[dict[str, object]], file_name: str, key: str) -> None:
    """A file's errors as a table, and as a CSV to work through in a spreadsheet."""
    st.dataframe(rows, hide_index=True, key=key)
    downloads.button(
        "Download the errors (CSV)",
        lambda: charts.to_csv(rows),
        f"errors-{download_name(file_name)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )


def preview(report: LoadReport, charter: Charter) -> None:
    if report.outcome == "no change":
        st.success(report.summary())
        return
    st.markdown(f"**Preview:** {report.summary()}")
    added, revised, unchanged = st.columns(3)
    added.metric("Figures to add", report.added)
    revised.metric("Figures to revise", report.figures_changed)
    unchanged.metric("Unchanged", report.unchanged)
    if status_only := report.revised - report.figures_changed:
        keep = "s keep their values" if status_only != 1 else " keeps its value"
        st.caption(
            f"{status_only:,} more figure{keep} and change only in status (such as "
            "provisional to final), note, or the numerator and denominator it lacked: stored "
            "as a new version, with no reason needed."
        )
    rows = changes(report, charter)
    if rows:
        st.markdown("**What will change**")
        st.dataframe(rows, hide_index=True, key="changes")
        if report.added > len(report.additions):
            st.caption(f"The first {len(report.additions):,} of {report.added:,} additions.")


def changes(report: LoadReport, charter: Charter) -> list[dict[str, object]]:
    """Every figure the file adds or revises: old -> new and the change."""
    rows: list[dict[str, object]] = []
    for r in report.revisions:
        ind = charter.indicators[r.indicator_id]
        also = also_changes(r, "to")
        if (r.old_value, r.old_symbol) == (r.new_value, r.new_symbol):
            change = f"none: {'; '.join(also)}"  # the counts, note or status alone
        else:
            change = (
                fmt_value(r.new_value - r.old_value, ind, signed=True)
                if r.new_value is not None and r.old_value is not None
                else ""
            ) + (f" ({'; '.join(also)})" if also else "")
        rows.append(
            _change_row(r.row, ind.title, r.period, r.area_code, r.breakdown, r.group)
            | {
                "Old": fmt_value(r.old_value, ind, r.old_symbol),
                "New": fmt_value(r.new_value, ind, r.new_symbol),
                "Change": change,
            }
        )
    for a in report.additions:
        ind = charter.indicators[a.indicator_id]
        rows.append(
            _change_row(a.row, ind.title, a.period, a.area_code, a.breakdown, a.group)
            | {"Old": "", "New": fmt_value(a.value, ind, a.symbol), "Change": "new"}
        )
    return sorted(rows, key=lambda r: int(str(r["Row"])))


def _change_row(
    row: int, title: str, period: str, area: str, breakdown: str, group: str
) -> dict[str, object]:
    return {
        "Row": row,
        "Indicator": title,
        "Period": period,
        "Area": area,
        "Group": f"{breakdown}: {group}" if breakdown else "Total",
    }


def confirm(report: LoadReport) -> bool:
    """Implausible figures are listed and must be confirmed; True when there are none."""
    if not report.warnings:
        return True
    st.warning(
        f"{len(report.warnings)} figure{'s look' if len(report.warnings) != 1 else ' looks'} "
        "unusual. Check each against the source before storing:"
    )
    for w in report.warnings:
        st.markdown(f"- Row {w.row}: {markdown(w.message)}")
    return st.checkbox("I have checked these figures and they are right", key=keys.CONFIRM)


def outcome(report: LoadReport) -> None:
    if report.ok:
        st.success(f"{report.summary()} (upload #{report.upload_id})")
    else:
        st.error(report.summary())
        for error in report.errors:
            st.markdown(f"- {markdown(error.as_text())}")


def store_step(
    report: LoadReport, store: Store, charter: Charter, file_name: str, content: bytes
) -> LoadReport | None:
    """Step 3: confirm unusual figures, give a reason for revisions, store. The stored
    outcome when the button was pressed, else None."""
    if report.outcome == "no change":
        return None
    st.header("3. Store the figures")
    confirmed = confirm(report)
    reason = ""
    if report.figures_changed:  # the reason is asked for only when figures are revised
        reason = st.text_input("Why are figures being revised?", key=keys.REASON,
                               max_chars=REASON, help=help_text(REASON))  # fmt: skip
        if not reason.strip():
            st.warning("This file changes stored figures: say why before storing it.")
    ready = confirmed and (not report.figures_changed or bool(reason.strip()))
    if not st.button("Store these figures", type="primary", key=keys.COMMIT, disabled=not ready):
        return None
    with ui.plain_failure(), working.status("Storing the figures…") as progress:
        result = load_file(
            store, charter, file_name, content, by=ui.user(), reason=reason,
            # confirmed: only figures it showed (none shown: nothing confirmed, and any
            # found at storing are refused for checking), what step 2 checked not read again
            confirmed=confirmed and bool(report.warnings), checked=report,
        )  # fmt: skip
        progress.update(label=result.summary(), state="complete" if result.ok else "error")
    return result
