"""Upload a return (the quarterly, needs or finance return): get the template, check a file,
preview what changes, then store it."""

import hashlib

import streamlit as st

import ui
from metrics.ingest import check_file
from metrics.ingest.template import latest_complete_quarter, template_rows, to_csv, to_xlsx
from metrics.periods.text import parse_period
from metrics.publish.escape import markdown
from ui import ees_view, keys, needs_upload_view, upload_view, working

ui.page("Upload a return", roles=ui.ANALYSTS)
charter, store = ui.charter(), ui.store()

kind = needs_upload_view.choose(charter)
if kind != needs_upload_view.QUARTERLY:
    needs_upload_view.section(store, charter, kind)
else:
    st.header("1. Get the template")
    latest = latest_complete_quarter()
    quarters = [latest.shift(-k).label for k in range(5)]  # only quarters that have ended
    quarter = st.selectbox("Return for quarter", quarters, key=keys.TEMPLATE_QUARTER)
    rows = template_rows(charter, parse_period(quarter))
    name = f"return-{quarter.replace(' ', '-')}"
    left, right = st.columns(2)
    left.download_button(
        "Download the template (Excel)",
        to_xlsx(charter, rows),
        f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    right.download_button(
        "Download the template (CSV)", to_csv(rows), f"{name}.csv", mime="text/csv"
    )

    st.header("2. Upload the filled-in return")
    upload = st.file_uploader(
        "Quarterly return (.xlsx or .csv)", type=["xlsx", "csv"], key=keys.UPLOAD
    )
    if upload is not None:
        content = upload.getvalue()
        sha = hashlib.sha256(content).hexdigest()
        checked = st.session_state.setdefault("checked", {})
        stored = st.session_state.setdefault("stored", {})
        if sha in stored:  # stored: show what happened, nothing more to do with this file
            upload_view.outcome(stored[sha])
        else:
            if sha not in checked:  # check (and log a rejection) once per file, not every rerun
                with (
                    ui.plain_failure(),
                    working.status(f"Checking {markdown(upload.name)}…") as progress,
                ):
                    progress.write(f"Reading {len(content):,} bytes and checking every row…")
                    checked[sha] = check_file(
                        store, charter, upload.name, content, log_as=ui.user()
                    )
                    progress.update(
                        label=checked[sha].summary(),
                        state="complete" if checked[sha].ok else "error",
                    )
            report = checked[sha]
            upload_view.notes(report)
            if not report.ok:
                upload_view.errors(report)
            else:
                upload_view.preview(report, charter)
                result = upload_view.store_step(report, store, charter, upload.name, content)
                if result is not None and result.ok:
                    stored[sha] = result
                    del checked[sha]
                    st.rerun()  # from now on the page shows the stored outcome only
                elif result is not None:  # refused: checked again at the next run, so that
                    upload_view.outcome(result)  # what the store has now is what is shown
                    del checked[sha]
ui.link(ui.HISTORY_PAGE, "See the upload history")
ees_view.ees_section(store, charter)
