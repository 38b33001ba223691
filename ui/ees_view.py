"""The upload page's section for published statistics (EES files)."""

from __future__ import annotations

import streamlit as st

from charter import Charter, CharterError
from charter.ees_models import load_mapping, shipped_mappings
from metrics.ees import EesError, import_ees
from metrics.store import Store

MAPPING = "ees_mapping"
FILE = "ees_file"
IMPORT = "ees_import"


def ees_section(store: Store, charter: Charter, user: str) -> None:
    st.header("Published statistics (explore-education-statistics)")
    st.markdown(
        "Import a DfE release's CSV for England, regional and council benchmarks. "
        "Choose the mapping that matches the file's layout."
    )
    paths = {p.name: p for p in shipped_mappings()}
    chosen = st.selectbox("Mapping", list(paths), key=MAPPING)
    upload = st.file_uploader("EES CSV file", type=["csv"], key=FILE)
    if upload is None or chosen is None:
        return
    try:
        mapping = load_mapping(paths[chosen], charter)
        preview = import_ees(store, charter, upload.name, upload.getvalue(), mapping, dry_run=True)
    except (EesError, CharterError) as err:
        st.error(f"This file cannot be imported with {chosen}: {err}")
        return
    st.markdown(f"**{mapping.title}:** {preview.summary()}")
    levels = sorted({level for level, _ in preview.by_level_period})
    periods = sorted({period for _, period in preview.by_level_period})
    st.markdown(f"Areas: {', '.join(levels)}; periods: {', '.join(periods)}.")
    changes = preview.added or preview.revised
    if changes and st.button("Import these figures", key=IMPORT, type="primary"):
        with st.status("Importing…") as progress:
            report = import_ees(store, charter, upload.name, upload.getvalue(), mapping, user=user)
            progress.update(label=report.summary(), state="complete")
        st.success(report.summary())
