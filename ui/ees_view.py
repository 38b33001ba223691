"""The upload page's section for published statistics (EES files)."""

from __future__ import annotations

import hashlib

import streamlit as st

import ui
from charter import Charter, CharterError
from charter.ees_models import all_mappings, file_name_warning, load_mapping, mapping_labels
from metrics.ingest.published.ees import EesError, import_ees
from metrics.publish.escape import markdown
from metrics.store.connection import Store
from metrics.text_limits import REASON, help_text
from ui import working

MAPPING = "ees_mapping"
FILE = "ees_file"
IMPORT = "ees_import"
OLDER = "ees_older_reason"


def ees_section(store: Store, charter: Charter) -> None:
    st.header("Published statistics (explore-education-statistics)")
    st.markdown(
        "Import a DfE release's CSV for England, regional and council benchmarks. "
        "Choose the mapping that matches the file's layout."
    )
    paths = all_mappings()
    labels = mapping_labels(paths)
    chosen = st.selectbox("Mapping", list(paths), key=MAPPING, format_func=labels.__getitem__)
    upload = st.file_uploader("EES CSV file", type=["csv"], key=FILE)
    if upload is None or chosen is None:
        return
    try:
        mapping = load_mapping(paths[chosen], charter)
        checked = st.session_state.setdefault("ees_checked", {})
        reasons = st.session_state.setdefault("ees_older_reasons", {})
        file_key = (hashlib.sha256(upload.getvalue()).hexdigest(), chosen)
        reason = reasons.get(file_key)  # given for going back to an older release
        key = (*file_key, reason)
        if key not in checked:  # check (and log a rejection) once per file, not every rerun
            with ui.plain_failure():  # the import checks the role: a refusal is said plainly
                checked[key] = import_ees(
                    store, charter, upload.name, upload.getvalue(), mapping, dry_run=True,
                    by=ui.user(), older_release=reason,
                )  # fmt: skip
        preview = checked[key]
    except (EesError, CharterError) as err:
        st.error(f"This file cannot be imported with {markdown(chosen)}: {markdown(err)}")
        return
    if not preview.ok:
        st.error(
            f"{markdown(upload.name)}: {preview.summary()} It is logged in the upload history."
        )
        for e in preview.errors:
            if e.row is None:  # about the whole file: said in full
                st.error(markdown(f"{e.problem} {e.fix}".strip()))
        rows = [
            {"Row": e.row, "Column": e.column, "Value": e.value, "Problem": e.problem}
            for e in preview.errors
            if e.row is not None
        ]
        if rows:
            st.dataframe(rows, hide_index=True, key="ees_errors")
        if preview.older:
            _older_release_form(reasons, file_key)
        return
    if warning := file_name_warning(mapping, upload.name):
        st.warning(markdown(warning))
    st.markdown(f"**{markdown(mapping.title)}:** {preview.summary()}")
    if reason:
        st.warning(
            f"An older release: {preview.older:,} figures a newer release stored go back to "
            f"this release's values. Your reason: {markdown(reason)}"
        )
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
        with ui.plain_failure(), working.status("Importing…") as progress:
            content = upload.getvalue()
            report = import_ees(
                store, charter, upload.name, content, mapping, by=ui.user(),
                older_release=reason,
            )  # fmt: skip
            progress.update(label=report.summary(), state="complete" if report.ok else "error")
        (st.success if report.ok else st.error)(report.summary())
        checked.pop(key, None)


def _older_release_form(reasons: dict[object, str], file_key: tuple[str, str]) -> None:
    """Going back to an older release's figures is allowed, on purpose and with a reason."""
    with st.form("ees_older_release"):
        st.markdown(
            "If you mean to go back to this older release's figures (for example, the newer "
            "release was withdrawn), say why. The reason is kept with every figure it revises."
        )
        text = st.text_area("Why go back to the older release?", key=OLDER,
                            max_chars=REASON, help=help_text(REASON))  # fmt: skip
        if st.form_submit_button("Check it as an older release"):
            if not text.strip():
                st.error("Give the reason for going back to the older release.")
            else:
                reasons[file_key] = text.strip()
                st.rerun()
