"""The versions' rows pruned (metrics/store/pruning.py): the versions query answers exactly
the same before and after, and after any further writes the same as a copy never pruned;
the tables stay small however many writes; a prune is no data change (no version moves,
remembered reads are still served); and a prune beside writers never makes one fail. On
both backends (the `store` fixture runs on each)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.store import changes, pruning, published, queries
from metrics.store.changes import BY_INDICATOR, EVERYTHING, FIGURES, for_indicator, rows_for
from metrics.store.connection import Connection, Store, transaction
from tests.conftest import empty_store

BROUGHT = (*FIGURES, "uploads", "periods")
TABLES = ("actions", "commentary", "audit_log", "uploads", "periods", "observations")
INDICATORS = [f"i{n}" for n in range(12)]
ASKED = [*INDICATORS[:6], "never-written"]  # the indicators whose versions are compared
ADD_CHANGE = "INSERT INTO data_changes (version, changed_at) VALUES ($version, current_timestamp)"
ADD_KIND = "INSERT INTO data_change_kinds (version, kind) VALUES ($version, $kind)"


@pytest.fixture
def twin(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A second empty store on the test's backend: the copy never pruned."""
    with empty_store(backend, tmp_path / "twin.duckdb", request) as made:
        yield made


def _rows(rng: random.Random) -> list[str]:
    """One write's kinds rows, as some release writes them."""
    kinds = set(rng.sample(TABLES, rng.randint(1, 3)))
    if "observations" in kinds:
        kinds.discard("observations")
        kinds |= set(rng.sample(FIGURES, rng.randint(1, 2)))
    many = rng.random() < 0.1
    named = (
        {f"x{n}" for n in range(101)} if many else set(rng.sample(INDICATORS, rng.randint(0, 4)))
    )
    made = rng.random()
    if made < 0.06:
        return [EVERYTHING]  # a write of something unrecognised
    if made < 0.14:
        return []  # a release before migration 18: its `data_changes` row only
    if made < 0.24:
        return sorted(kinds)  # a release before rows per indicator: plain kinds only
    if made < 0.36 and named and not many:  # release 4096a30: per indicator, no plain rows
        by = kinds & BY_INDICATOR
        return sorted((kinds - by) | {f"{k}@{i}" for k in by for i in named})
    return rows_for(kinds, named)  # this release


def _write(con: Connection, version: int, rows: list[str]) -> None:
    """A committed write's rows, stored as its writer does (the rows only: no data)."""
    with con._atomic(bump=False):
        con.execute(ADD_CHANGE, {"version": version})
        if rows:
            con.executemany(ADD_KIND, [{"version": version, "kind": kind} for kind in rows])


def _empty(con: Connection) -> None:
    with con._atomic(bump=False):
        con.execute("DELETE FROM data_change_kinds")
        con.execute("DELETE FROM data_changes")


def _answer(con: Connection) -> tuple[dict[str, int], list[int]]:
    """Every kind's version, and each asked indicator's figures' version."""
    found = changes.versions(con)
    return dict(found.by_kind), [found.of(for_indicator(BROUGHT, i)) for i in ASKED]


def _count(con: Connection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def test_pruning_leaves_the_versions_as_they_were_through_any_history(store, twin):
    rng = random.Random(20261203)
    with store.connect() as con, twin.connect() as copy:
        for _history in range(25):
            _empty(con)
            _empty(copy)
            version = 0
            for _ in range(rng.randint(1, 40)):
                version += rng.randint(1, 3)  # numbers a rolled-back write took are missing
                rows = _rows(rng)
                _write(con, version, rows)
                _write(copy, version, rows)
            before = changes.versions(con)
            assert pruning.prune(con)
            after = changes.versions(con)
            assert after == before
            assert after.born == before.born
            assert _answer(con) == _answer(copy)
            # Writing on: the same answers as the copy never pruned, at every step.
            for step in range(12):
                version += rng.randint(1, 3)
                rows = _rows(rng)
                _write(con, version, rows)
                _write(copy, version, rows)
                if step % 4 == 3:
                    assert pruning.prune(con)
                assert _answer(con) == _answer(copy), (version, rows)
            assert _count(con, "data_changes") <= _count(copy, "data_changes")


def _write_figures(con: Connection, indicators: set[str]) -> int:
    """A write of figures of `indicators`, through the write path (its own connection, which
    knows the indicators it stores for its life), with its upload and periods."""
    one = con.cursor()
    try:
        with transaction(one):
            one.storing_indicators(indicators)
            for table in ("observations", "uploads", "periods"):
                one.execute(f"DELETE FROM {table} WHERE 1 = 0")  # written, though nothing
        assert one.committed is not None
        return one.committed
    finally:
        one.close()


def test_the_versions_rows_stay_few_however_many_writes(store):
    written = 8 * pruning.EVERY
    with store.connect() as con:
        for n in range(written):
            _write_figures(con, {f"ind{(n * 7 + j) % 200}" for j in range(30)})
        found = changes.versions(con)
        assert found.latest == written
        # Each kind's latest row (4 plain kinds, 4 per indicator, 200 indicators), and
        # at most one further per plain kind: not the 124 rows of each of 512 writes.
        assert _count(con, "data_change_kinds") <= 4 + 4 * 200 + 4
        # The writes those rows are of (the latest of some indicator's): a few dozen.
        kept = con.execute("SELECT count(DISTINCT version) FROM data_change_kinds").fetchall()
        assert _count(con, "data_changes") == kept[0][0] < 40
        _write_figures(con, {"ind0"})
        assert changes.versions(con).of(for_indicator(BROUGHT, "ind0")) == written + 1
        assert changes.versions(con).of(for_indicator(BROUGHT, "ind1")) < written + 1


def test_a_prune_is_no_data_change(store):
    with store.connect() as con:
        for n in range(10):
            with transaction(con):
                published.keep_area(con, f"A{n}", f"Area {n}", "la", None)
        time.sleep(0.06)  # past the file look's settling time (metrics/store/on_disk.py)
        names = queries._area_names(con)
        before = changes.versions(con)
        assert pruning.prune(con)
        assert _count(con, "data_changes") == 1
        time.sleep(0.06)
        assert changes.versions(con) == before
        assert queries._area_names(con) is names  # remembered: not read again


def test_a_prune_beside_writers_never_makes_one_fail(store, twin):
    """A writer committing all the while a pruner prunes again and again: no write fails
    (no WriteConflict), and every write's version is there, as in a copy never pruned."""
    done = threading.Event()
    pruned: list[bool] = []
    wrote: list[tuple[int, list[str]]] = []
    failed: list[BaseException] = []

    def prune_on() -> None:
        with store.connect() as con:
            while not done.is_set():
                pruned.append(pruning.prune(con))

    with store.connect() as con:
        pruner = threading.Thread(target=prune_on)
        pruner.start()
        try:
            rng = random.Random(7)
            for _ in range(150):
                named = set(rng.sample(INDICATORS, rng.randint(0, 5)))
                try:
                    version = _write_figures(con, named)
                except BaseException as err:  # a failure of any kind is what is looked for
                    failed.append(err)
                    continue
                kinds = {*FIGURES, "uploads", "periods"}
                wrote.append((version, rows_for(kinds, named)))
        finally:
            done.set()
            pruner.join()
        assert not failed
        assert any(pruned)
        with twin.connect() as copy:
            _empty(copy)
            for version, rows in wrote:
                _write(copy, version, rows)
            assert _answer(con) == _answer(copy)


def test_a_duckdb_store_writing_and_pruning_imports_no_postgresql_driver(tmp_path):
    """psycopg costs every command a tenth of a second to import: a DuckDB file's writes,
    prunes included, never need it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "ADD_AREA = \"INSERT INTO areas VALUES ('E1', 'x', 'National', NULL) \"\n"
        "ADD_AREA += 'ON CONFLICT DO NOTHING'\n"
        "from metrics.store import pruning\n"
        "from metrics.store.connection import Store, transaction\n"
        f"store = Store({str(tmp_path / 'p.duckdb')!r})\n"
        "with store.connect() as con:\n"
        "    for _ in range(pruning.EVERY + 1):\n"
        "        with transaction(con):\n"
        "            con.execute(ADD_AREA)\n"
        "    assert pruning.prune(con)\n"
        "print('psycopg' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"
