"""The app's reads keyed on some kinds of data only (ui/reads.py) read nothing else: each is
run on the demo (both backends) while the store reports every kind of data read on this
thread (metrics/store/changes.py, `watching`), remembered answers included. A read that
came to read another table without its key saying so would be served stale after a write of
it: this is the test that fails then."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from metrics.assess.rollup import quarters_with_data
from metrics.ingest import load_file
from metrics.store.changes import watching
from metrics.store.connection import Store
from ui import reads


@pytest.fixture
def quarter(demo_db, charter) -> str:
    return quarters_with_data(Store(demo_db), charter)[0]


@pytest.mark.parametrize(
    ("name", "kinds", "args"),
    [
        ("_trajectories", reads.TRAJECTORIES, ()),
        ("_evidence", reads.EVIDENCE, (1, date(2026, 3, 31))),
        ("_evidence", reads.EVIDENCE, (None, None)),
        ("_review_extras", reads.REVIEW_EXTRAS, ("quarter",)),
        ("_quarters", reads.QUARTERS, ()),
    ],
)
def test_a_read_keyed_on_some_kinds_reads_only_those(name, kinds, args, demo_db, quarter):
    st.cache_data.clear()  # worked out here, on this thread
    args = tuple(quarter if a == "quarter" else a for a in args)
    with watching() as seen:
        getattr(reads, name)(str(demo_db), -1, *args)
    assert seen, "nothing was read: the store no longer reports what it reads"
    assert seen <= set(kinds), seen - set(kinds)


def test_a_return_moves_the_quarters_key_only(demo_store, charter, tmp_path):
    before = demo_store.versions()
    path = tmp_path / "r.csv"
    path.write_text("indicator,period,value\nshort-breaks-receiving,2001-02 Q3,411\n")
    assert load_file(demo_store, charter, path.name, path.read_bytes(), by="t").outcome == "loaded"
    after = demo_store.versions()
    assert after.of(reads.QUARTERS) > before.of(reads.QUARTERS)
    for kept in (reads.TRAJECTORIES, reads.EVIDENCE, reads.REVIEW_EXTRAS):
        assert after.of(kept) == before.of(kept), kept
