"""The indicator page says whose neighbours its neighbour average is of: DfE's statistical-
neighbour model and its date, or council.yaml's own list (issue 32)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from charter import CHARTER_DIR, load_charter
from charter.ees_models import load_mapping
from metrics.ingest.published.ees import import_ees
from metrics.store.connection import Store
from tests.conftest import ROOT
from tests.unit.test_neighbours import RELEASE, RUTLAND, council_charter


def _page(tmp_path, monkeypatch) -> list[str]:
    if not RELEASE.exists():
        pytest.skip("../shared is absent (CI always has it)")
    charter = load_charter()
    store = Store(tmp_path / "rutland.duckdb")
    mapping = load_mapping(CHARTER_DIR / "ees" / "sen2-mi.yaml", charter)
    assert import_ees(store, charter, "sen2_mi.csv", RELEASE.read_bytes(), mapping, by="t").ok
    monkeypatch.setenv("OUTCOMES_DB", str(store.path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.query_params["indicator"] = "ehcp-issued-20-weeks"
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception, at.exception
    return [c.value.replace("\\", "") for c in at.caption]


def test_the_neighbour_average_names_dfes_model_and_its_date(tmp_path, monkeypatch):
    council_charter(tmp_path, monkeypatch, RUTLAND, "E12000004", name="Rutland (test)")
    captions = [p for c in _page(tmp_path, monkeypatch) for p in c.split("\n\n")]  # paragraphs
    said = [c for c in captions if c.startswith("Statistical neighbours")]
    assert "Neighbours: statistical neighbours (DfE model of May 2025)." in captions
    assert said == [
        "Statistical neighbours (DfE model of May 2025): 43.0% on average, the mean of the "
        "10 of 10 with a figure."
    ]


def test_a_chosen_group_says_it_is_council_yamls(tmp_path, monkeypatch):
    council_charter(
        tmp_path, monkeypatch, RUTLAND, "E12000004", comparators=["E06000001", "E06000002"]
    )
    captions = _page(tmp_path, monkeypatch)
    assert any(
        c.startswith("Comparators chosen in council.yaml: ") and "the mean of the 2 of 2" in c
        for c in captions
    ), captions
    assert not any("DfE model" in c for c in captions)
