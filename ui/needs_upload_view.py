"""The upload page's needs and finance returns (issue 33): the template, a check by the
same functions as `load-needs` / `load-finance`, the errors by row as a table, a preview of
what will be stored and the store button. Storing is all or nothing and audited with the
person signed in (metrics/ingest/needs.py does both in one transaction)."""

from __future__ import annotations

import hashlib
from collections import Counter

import streamlit as st

import ui
from charter import Charter
from metrics.ingest.needs import ReturnReport, load_finance_return, load_needs_return
from metrics.ingest.needs_template import finance_template, needs_template
from metrics.publish.escape import markdown
from metrics.store.connection import Store
from ui import upload_view

KIND = "upload_kind"
QUARTERLY, NEEDS, FINANCE = "quarterly", "needs", "finance"
KINDS = {
    QUARTERLY: "Quarterly return (the indicators)",
    NEEDS: "Needs return (children known, by locality and primary need)",
    FINANCE: "Finance return (spend per service)",
}
FILE = {NEEDS: "needs_return_file", FINANCE: "finance_return_file"}
STORE = "store_needs_return"
REASON = "needs_replacement_reason"
CHECKED, STORED = "needs_checked", "needs_stored"
LAYOUT = {
    NEEDS: "One row per quarter, source, locality and primary need: `quarter, source, month, "
    "locality, need, children` (the month the source's figures are as at; for moves into "
    "the area, `need` blank). Counts only: never a child's record.",
    FINANCE: "One row per financial year and service: `year, service, spend, children` "
    "(children reached; blank if not known).",
}


def choose(charter: Charter) -> str:
    """What is being uploaded; without charter/needs.yaml only the quarterly return."""
    kinds = list(KINDS) if charter.needs is not None else [QUARTERLY]
    return str(st.radio("What are you uploading?", kinds, key=KIND, format_func=KINDS.get))


def _load(kind: str, store: Store, charter: Charter, name: str, content: bytes,
          dry_run: bool, reason: str = "") -> ReturnReport:  # fmt: skip
    load = load_finance_return if kind == FINANCE else load_needs_return
    with ui.plain_failure():  # the load checks the role: a refusal is said plainly
        return load(store, charter, name, content, ui.user(), dry_run=dry_run, reason=reason)


def section(store: Store, charter: Charter, kind: str) -> None:
    st.header("1. Get the template")
    st.markdown(LAYOUT[kind])
    blank = finance_template(charter) if kind == FINANCE else needs_template(charter)
    st.download_button(f"Download the {kind} return template (CSV)", blank,
                       f"{kind}-return.csv", mime="text/csv", key=f"{kind}_template")  # fmt: skip
    st.header("2. Upload the filled-in return")
    upload = st.file_uploader(f"{KINDS[kind]} (.xlsx or .csv)", type=["xlsx", "csv"],
                              key=FILE[kind])  # fmt: skip
    if upload is None:
        return
    content = upload.getvalue()
    key = (kind, hashlib.sha256(content).hexdigest())
    checked = st.session_state.setdefault(CHECKED, {})
    stored = st.session_state.setdefault(STORED, {})
    if key in stored:  # stored: say so, nothing more to do with this file
        st.success(f"{markdown(upload.name)}: {stored[key].message}")
        return
    if key not in checked:  # check (and log a rejection) once per file, not every rerun
        checked[key] = _load(kind, store, charter, upload.name, content, dry_run=True)
    report = checked[key]
    if not report.ok:
        errors(report)
        return
    preview(report, kind)
    st.header("3. Store the figures")
    reason = replacing(report)
    if st.button("Store these figures", type="primary", key=STORE):
        result = _load(kind, store, charter, upload.name, content, dry_run=False, reason=reason)
        del checked[key]
        if result.ok:
            stored[key] = result
            st.rerun()  # from now on the page shows the stored outcome only
        errors(result)


def replacing(report: ReturnReport) -> str:
    """The stored figures the file replaces, before and after (a table: nothing rendered),
    and the reason asked for them; none replaced, nothing is asked."""
    if not report.replaced:
        return ""
    n = len(report.replaced)
    st.warning(f"This file replaces {n} stored figure{'s' if n != 1 else ''}: say why.")
    rows = [{"Figure": r.figure, "Stored now": r.before, "From this file": r.after}
            for r in report.replaced]  # fmt: skip
    st.dataframe(rows, hide_index=True, key="needs_replaced")
    return str(st.text_input("Why the figures change (required)", max_chars=500, key=REASON))


def errors(report: ReturnReport) -> None:
    st.error(f"{markdown(report.file_name)}: {report.message} It is logged in the upload history.")
    rows: list[dict[str, object]] = [
        {"Row": e.row if e.row is not None else "", "Column": e.column, "Value": e.value,
         "Problem": e.problem, "How to fix it": e.fix}
        for e in report.errors
    ]  # fmt: skip
    upload_view.error_table(rows, report.file_name, "needs_errors")


def preview(report: ReturnReport, kind: str) -> None:
    """What will be stored: the totals, then the rows (a table: nothing rendered)."""
    st.markdown(f"**Preview:** {report.message}")
    if kind == FINANCE:
        rows = [{"Year": y, "Service": s, "Spend (£)": f"{p:,.2f}",
                 "Children": "" if c is None else c} for y, s, p, c in report.figures]  # fmt: skip
        st.dataframe(rows, hide_index=True, key="needs_preview")
        return
    totals: Counter[tuple[object, object, object]] = Counter()
    for quarter, source, month, _, _, children in report.figures:
        totals[(quarter, source, month)] += int(str(children))
    rows = [
        {"Quarter": q, "Source": s, "As at": m, "Children": n} for (q, s, m), n in totals.items()
    ]
    st.dataframe(rows, hide_index=True, key="needs_preview")
    st.caption(f"{len(report.figures):,} rows by locality and need, totalled by source above.")
