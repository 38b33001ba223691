"""The app's reads keyed on some kinds of data only (ui/reads.py) read nothing else: each is
run on the demo (both backends) while the store reports every kind of data read on this
thread (metrics/store/changes.py, `watching`), remembered answers included. A read that
came to read another table without its key saying so would be served stale after a write of
it: this is the test that fails then."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from metrics.assess.rollup import quarters_with_data
from metrics.ingest import load_file
from metrics.store.changes import for_indicator
from metrics.store.connection import Store
from metrics.store.read_kinds import watching
from ui import benchmark_view, context, reads


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
    st.cache_resource.clear()  # worked out here, on this thread (the shared reads too)
    st.cache_data.clear()
    args = tuple(quarter if a == "quarter" else a for a in args)
    with watching() as seen:
        getattr(reads, name)(f"{demo_db}#1", -1, *args)
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


SHOWN, LOADED = "ehcp-issued-20-weeks", "short-breaks-receiving"  # the bench's page; its upload


def _indicator_reads(db: str, indicator: str, quarter: str) -> dict[str, object]:
    """Every read of one indicator's page (ui/reads.py, ui/benchmark_view.py), worked out
    afresh on this thread, as staff and as the public see it."""
    st.cache_resource.clear()  # the shared reads (ui/shared_cache.py) too
    st.cache_data.clear()
    dim = next(iter(context.charter().indicators[indicator].breakdowns))
    out: dict[str, object] = {
        "comparisons": benchmark_view._compared(db, -1, indicator, quarter, frozenset())
    }
    out["withheld"] = reads._withheld_one(db, -1, indicator)
    out["groups"] = reads._groups(db, -1, indicator, dim, None)
    for public in (False, True):
        out[f"view {public}"] = reads._indicator_view(db, -1, indicator, quarter, public)
        out[f"outlook {public}"] = reads._outlook(db, -1, indicator, quarter, public)
    return out


def test_an_indicators_reads_read_only_its_kinds(demo_db, quarter):
    """Their tables only (that of the figures, only the indicator's is read, is checked by
    what an upload of others leaves, below)."""
    with watching() as seen:
        _indicator_reads(f"{demo_db}#1", SHOWN, quarter)
    assert seen, "nothing was read: the store no longer reports what it reads"
    assert seen <= set(reads.INDICATOR), seen - set(reads.INDICATOR)


def test_an_upload_of_other_indicators_leaves_an_indicators_reads_and_key(
    demo_store, charter, tmp_path, quarter
):
    """A figure of an old quarter of another indicator: the shown indicator's key stays, and
    every read of its page, worked out again, is what it was; the loaded indicator's key
    moves, and its reads show the new figure (seen at once)."""
    db, kinds = f"{demo_store.path}#1", reads.INDICATOR
    shown_key = demo_store.versions().of(for_indicator(kinds, SHOWN))
    loaded_key = demo_store.versions().of(for_indicator(kinds, LOADED))
    before = _indicator_reads(db, SHOWN, quarter)
    path = tmp_path / "r.csv"
    path.write_text(f"indicator,period,value\n{LOADED},2001-02 Q3,411\n")
    assert load_file(demo_store, charter, path.name, path.read_bytes(), by="t").outcome == "loaded"
    assert demo_store.versions().of(for_indicator(kinds, SHOWN)) == shown_key
    assert demo_store.versions().of(for_indicator(kinds, LOADED)) > loaded_key
    assert _indicator_reads(db, SHOWN, quarter) == before
    view = reads._indicator_view(db, -2, LOADED, None, False)
    assert "2001-02 Q3" in {r.period for r in view.rows}


def test_reads_open_the_database_their_key_names_even_with_a_hash_in_its_path(demo_store, tmp_path):
    """`data_key` names a database as its path, `#` and when it was made: the path may hold a
    `#` of its own. A bare path is refused rather than opened as some other file."""
    st.cache_resource.clear()
    st.cache_data.clear()
    expected = reads._quarters(f"{demo_store.path}#1", -1)
    if isinstance(demo_store.path, Path):  # a file (a PostgreSQL URL is a str)
        odd = tmp_path / "a#b" / "demo#copy.duckdb"
        odd.parent.mkdir()
        shutil.copy(demo_store.path, odd)
        assert reads._quarters(f"{odd}#1", -1) == expected
    with pytest.raises(ValueError, match="as data_key names it"):
        reads._quarters(str(demo_store.path), -2)
