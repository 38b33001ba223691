"""The databases the benchmarks share, each built once per run, and the timing of a whole
charter's status (the `status` benchmark's, and the PostgreSQL comparison's)."""

from __future__ import annotations

import time
from pathlib import Path

from charter import Charter
from metrics.assess.rollup import charter_status
from metrics.demo.council import build_demo
from metrics.demo.national import build_national
from metrics.periods.text import parse_period
from metrics.store.connection import Store

BUILT: set[Path] = set()  # the databases built in this run, shared by the benchmarks


def demo_database(charter: Charter, work: Path) -> Path:
    """The demo council's DuckDB file, built once per run."""
    db = work / "demo.duckdb"
    if db not in BUILT:
        db.unlink(missing_ok=True)
        build_demo(Store(db), charter)
        BUILT.add(db)
    return db


def national_database(charter: Charter, work: Path) -> Path:
    """The 153-council national demo in a DuckDB file, built once per run."""
    db = work / "national.duckdb"
    if db not in BUILT:
        db.unlink(missing_ok=True)
        build_national(Store(db), charter, work)
        BUILT.add(db)
    return db


NATIONAL_QUARTER = "2026-27 Q2"


def status_time(store: Store, charter: Charter, repeats: int = 5) -> float:
    """The fastest of `repeats` workings-out of the whole charter's status for one council
    (after one that loads the libraries), in seconds."""
    quarter = parse_period(NATIONAL_QUARTER)
    charter_status(store, charter, quarter)  # warm: first use loads libraries

    def ours() -> float:
        start = time.perf_counter()
        charter_status(store, charter, quarter)
        return time.perf_counter() - start

    return min(ours() for _ in range(repeats))
