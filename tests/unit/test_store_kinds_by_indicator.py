"""Figures told apart by indicator (metrics/store/changes.py, `for_indicator`): a return moves
the versions of its own indicators' figures, uploads and periods, and leaves every other
indicator's as they were (even a figure of an old quarter, which moves that indicator's SPC
limits and sparkline but no other's), in this process and from another, on both backends
(the demo store runs on each); a write of figures whose indicators are not known moves
every indicator's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metrics.ingest import load_file
from metrics.store import changes
from metrics.store.changes import FIGURES, MAX_INDICATORS, OWN_FIGURES, for_indicator
from metrics.store.connection import Store, transaction

ROOT = Path(__file__).resolve().parents[2]
INDICATOR, QUARTER = "short-breaks-receiving", "2001-02 Q3"  # a quarter the demo has not
OTHER = "ehcp-issued-20-weeks"  # the bench's indicator page: figures in every quarter
BROUGHT = (*FIGURES, "uploads", "periods")  # what a return of figures writes


def _return(tmp_path: Path, value: int = 411) -> Path:
    path = tmp_path / f"return-{value}.csv"
    path.write_text(f"indicator,period,value\n{INDICATOR},{QUARTER},{value}\n", encoding="utf-8")
    return path


def _load(store: Store, charter, path: Path) -> None:
    report = load_file(
        store,
        charter,
        path.name,
        path.read_bytes(),
        by="tester",
        reason="corrected",
        confirmed=True,
    )
    assert report.outcome == "loaded", report


def _of(store: Store, indicator: str) -> int:
    return store.versions().of(for_indicator(BROUGHT, indicator))


def test_a_return_moves_its_own_indicators_versions_only(demo_store, charter, tmp_path):
    before = demo_store.versions()
    mine, other = _of(demo_store, INDICATOR), _of(demo_store, OTHER)
    _load(demo_store, charter, _return(tmp_path))
    after = demo_store.versions()
    assert _of(demo_store, INDICATOR) == after.latest > mine
    assert _of(demo_store, OTHER) == other
    # Every read of the plain kinds (all indicators' figures, every upload) sees it.
    for kinds in (FIGURES, [OWN_FIGURES], ["uploads"], ["periods"]):
        assert after.of(kinds) == after.latest > before.of(kinds), kinds
    # A revision of the old quarter's figure: the same.
    mine = _of(demo_store, INDICATOR)
    _load(demo_store, charter, _return(tmp_path, 412))
    assert _of(demo_store, INDICATOR) > mine and _of(demo_store, OTHER) == other


def test_figures_written_without_their_indicators_move_every_indicator(demo_store):
    other = _of(demo_store, OTHER)
    with demo_store.connect() as con, transaction(con):
        con.execute("UPDATE observations SET note = note WHERE obs_id < 0")
    assert _of(demo_store, OTHER) == demo_store.versions().latest > other


def test_a_return_loaded_by_another_process_moves_its_indicator_only(demo_store, charter, tmp_path):
    mine, other = _of(demo_store, INDICATOR), _of(demo_store, OTHER)
    path = _return(tmp_path)
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(demo_store.path)]
    done = subprocess.run([*command, "--user", "t"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert _of(demo_store, INDICATOR) > mine
    assert _of(demo_store, OTHER) == other


def test_the_rows_a_write_of_figures_adds():
    wrote = {OWN_FIGURES, "uploads", "audit_log"}
    assert changes.rows_for(wrote, {"a", "b"}) == sorted(  # the plain kinds too (for a
        # process of the release before rows per indicator)
        {*wrote, *(f"{k}@{i}" for k in (OWN_FIGURES, "uploads") for i in "ab")}
    )
    assert changes.rows_for(wrote) == sorted(wrote)  # indicators unknown: the plain kinds
    many = {f"i{n}" for n in range(MAX_INDICATORS + 1)}
    assert changes.rows_for(wrote, many) == sorted(wrote)  # a whole release: the plain kinds
    assert changes.rows_for({"*"}, {"a"}) == ["*"]
