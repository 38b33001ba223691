"""The upload page's section for published statistics (EES files)."""

from __future__ import annotations

import hashlib

import streamlit as st

import ui
from charter import Charter, CharterError
from charter.ees_models import all_mappings, file_name_warning, load_mapping
from metrics.ees import EesError, import_ees
from metrics.publish.escape import markdown
from metrics.store import Store

MAPPING = "ees_mapping"
FILE = "ees_file"
IMPORT = "ees_import"


def ees_section(store: Store, charter: Charter) -> None:
    st.header("Published statistics (explore-education-statistics)")
    st.markdown(
        "Import a DfE release's CSV for England, regional and council benchmarks. "
        "Choose the mapping that matches the file's layout."
    )
    paths = all_mappings()
    chosen = st.selectbox("Mapping", list(paths), key=MAPPING)
    upload = st.file_uploader("EES CSV file", type=["csv"], key=FILE)
    if upload is None or chosen is None:
        return
    try:
        mapping = load_mapping(paths[chosen], charter)
        checked = st.session_state.setdefault("ees_checked", {})
        key = (hashlib.sha256(upload.getvalue()).hexdigest(), chosen)
        if key not in checked:  # check (and log a rejection) once per file, not every rerun
            with ui.plain_failure():  # the import checks the role: a refusal is said plainly
                checked[key] = import_ees(
                    store, charter, upload.name, upload.getvalue(), mapping, dry_run=True,
                    by=ui.user(),
                )  # fmt: skip
        preview = checked[key]
    except (EesError, CharterError) as err:
        st.error(f"This file cannot be imported with {chosen}: {markdown(err)}")
        return
    if not preview.ok:
        st.error(
            f"{markdown(upload.name)}: {preview.summary()} It is logged in the upload history."
        )
        rows = [
            {"Row": e.row or "", "Column": e.column, "Value": e.value, "Problem": e.problem}
            for e in preview.errors
        ]
        st.dataframe(rows, hide_index=True, key="ees_errors")
        return
    if warning := file_name_warning(mapping, upload.name):
        st.warning(markdown(warning))
    st.markdown(f"**{markdown(mapping.title)}:** {preview.summary()}")
    for text in preview.warnings[:20]:
        st.warning(markdown(text))
    if len(preview.warnings) > 20:
        st.caption(f"... and {len(preview.warnings) - 20:,} more warnings.")
    levels = sorted({level for level, _ in preview.by_level_period})
    periods = sorted({period for _, period in preview.by_level_period})
    st.markdown(markdown(f"Areas: {', '.join(levels)}; periods: {', '.join(periods)}."))
    for what, n in sorted(preview.skipped.items()):
        st.caption(markdown(f"Skipped {n:,} {what}."))
    changes = preview.added or preview.revised
    if changes and st.button("Import these figures", key=IMPORT, type="primary"):
        with ui.plain_failure(), st.status("Importing…") as progress:
            content = upload.getvalue()
            report = import_ees(store, charter, upload.name, content, mapping, by=ui.user())
            progress.update(label=report.summary(), state="complete" if report.ok else "error")
        (st.success if report.ok else st.error)(report.summary())
        checked.pop(key, None)
