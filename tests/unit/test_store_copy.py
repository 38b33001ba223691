"""Moving a whole store between backends, and backing it up and restoring it: every table
arrives whole and verified, a store holding data is never written over, and a copy or restore
that fails leaves its target empty (metrics/store/copying.py, metrics/store/backup.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg
import pyarrow.parquet as pq
import pytest

from metrics.access import audit
from metrics.access.people import command_line
from metrics.store import copying
from metrics.store.backup import backup, restore
from metrics.store.checksums import canonical_rows
from metrics.store.connection import Connection, Store, transaction
from metrics.store.copying import (
    SEQUENCES,
    CopyError,
    copy_store,
    tables,
    unmapped_sequences,
)
from metrics.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
# The copy's own audit row and commit (its number, and its kind: everything).
ADDED_BY_EACH_WRITE = ("audit", "data_changes", "data_change_kinds")


def _no_audit(con: Connection, summary: str) -> None:
    return None


def _audited(con: Connection, summary: str) -> None:
    audit.record(con, command_line("Tester"), "store copied", "here", summary)


def dump(store: Store) -> dict[str, list[str]]:
    """Every table's rows, each in the canonical form the checksum uses, sorted."""
    with store.connect() as con:
        return {
            name: sorted(canonical_rows(con.arrow(f"SELECT * FROM {name}"))) for name in tables(con)
        }


def _first_rows(store: Store, table: str, key: str, n: int) -> list[str]:
    with store.connect() as con:
        return canonical_rows(con.arrow(f"SELECT * FROM {table} ORDER BY {key} LIMIT {n}"))


@pytest.fixture(scope="session")
def demo_file(charter, tmp_path_factory) -> Path:
    """The demo as a DuckDB file, whichever backend the rest of the suite is running on:
    these tests copy it across to PostgreSQL and back themselves."""
    from tests.conftest import DemoCopies

    made = DemoCopies("duckdb", tmp_path_factory.mktemp("copy-demo"), charter).original
    assert isinstance(made, Path)
    return made


def _demo(demo_file: Path, tmp_path: Path) -> Store:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, copy)
    return Store(copy)


def _assert_same_but_own_rows(original: Store, final: Store, writes: int) -> None:
    before, after = dump(original), dump(final)
    assert set(before) == set(after)
    for name in before:
        if name in ADDED_BY_EACH_WRITE:
            assert len(after[name]) == len(before[name]) + writes, name
            key = {"audit": "audit_id", "data_change_kinds": "version, kind"}.get(name, "version")
            assert _first_rows(final, name, key, len(before[name])) == _first_rows(
                original, name, key, len(before[name])
            ), name
        else:
            assert after[name] == before[name], name
    assert sum(len(v) for v in before.values()) > 1000  # the demo: something to compare


def _sequences_past_ids(store: Store) -> None:
    with store.connect() as con:
        for sequence, (table, column) in SEQUENCES.items():
            highest = con.execute(f"SELECT coalesce(max({column}), 0) FROM {table}").fetchall()
            following = con.execute(f"SELECT nextval('{sequence}')").fetchall()
            assert following[0][0] > highest[0][0], sequence


def test_every_sequence_of_the_migrations_says_which_column_it_numbers(tmp_path):
    assert unmapped_sequences() == []
    with Store(tmp_path / "s.duckdb").connect() as con:
        for table, column in SEQUENCES.values():
            con.execute(f"SELECT max({column}) FROM {table}").fetchall()


def test_the_demo_goes_to_postgresql_and_back_whole(demo_file, tmp_path, pg_url, monkeypatch):
    monkeypatch.setattr(copying, "BATCH_ROWS", 500)  # many batches, as a big store has
    monkeypatch.setattr(copying, "BATCH_ROWS_WITH_FILES", 2)
    original = _demo(demo_file, tmp_path)
    on_server = Store(pg_url)
    report = copy_store(original, on_server, _audited, "to the server")
    assert report.verified and report.rows > 1000
    assert "observations" in report.source and report.source["observations"].rows > 100
    back = Store(tmp_path / "back.duckdb")
    copy_store(on_server, back, _audited, "back")
    _assert_same_but_own_rows(original, back, writes=2)
    _assert_same_but_own_rows(original, on_server, writes=1)
    _sequences_past_ids(on_server)
    _sequences_past_ids(back)


def test_a_store_holding_data_is_never_copied_over(demo_file, tmp_path):
    original = _demo(demo_file, tmp_path)
    target = Store(tmp_path / "target.duckdb")
    copy_store(original, target, _no_audit, "first")
    version, rows = target.version(), dump(target)
    with pytest.raises(CopyError, match="already holds data"):
        copy_store(original, target, _no_audit, "again")
    assert target.version() == version and dump(target) == rows


def test_a_copy_failing_midway_leaves_the_target_empty(demo_file, tmp_path, pg_url):
    original = _demo(demo_file, tmp_path)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'this table refuses rows'; END $$"
        )
        admin.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON review_quarters "
            "FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    target = Store(pg_url)
    with pytest.raises(CopyError, match="still empty") as failed:
        copy_store(original, target, _no_audit, "to the server")
    assert "refuses rows" in str(failed.value)
    assert all(rows == [] for rows in dump(target).values())  # observations came before it
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("DROP TRIGGER refuse ON review_quarters")
    assert copy_store(original, target, _no_audit, "again").verified  # still counts as empty


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_a_backup_restores_whole_into_an_empty_store(backend, demo_file, tmp_path, pg_cluster):
    original = _demo(demo_file, tmp_path)
    made: list[str] = []
    try:
        if backend == "duckdb":
            source, target = original, Store(tmp_path / "restored.duckdb")
            writes = 1
        else:
            made = [pg_cluster.new_database(), pg_cluster.new_database()]
            source, target = Store(made[0]), Store(made[1])
            copy_store(original, source, _audited, "to the server")
            writes = 2
        file = tmp_path / "store.zip"
        backup(source, file)
        manifest = json.loads(zipfile.ZipFile(file).read("manifest.json"))
        assert manifest["schema_version"] == SCHEMA_VERSION
        assert manifest["tables"]["observations"]["rows"] > 100
        assert restore(file, target, _audited, "restored").verified
        _assert_same_but_own_rows(original, target, writes=writes)
        _sequences_past_ids(target)
        with pytest.raises(CopyError, match="already holds data"):
            restore(file, target, _audited, "again")
    finally:
        for url in made:
            pg_cluster.drop(url)


def _rewritten(file: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(file) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, change(item.filename, old.read(item.filename)))
    return out


def test_a_backup_from_a_newer_schema_is_refused(demo_file, tmp_path):
    file = tmp_path / "store.zip"
    backup(_demo(demo_file, tmp_path), file)

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "schema_version": SCHEMA_VERSION + 1}).encode()

    target = Store(tmp_path / "restored.duckdb")
    with pytest.raises(CopyError, match="newer than this program"):
        restore(_rewritten(file, tmp_path / "newer.zip", newer), target, _no_audit, "r")
    assert all(rows == [] for rows in dump(target).values())


def test_a_changed_parquet_file_fails_its_checksum_and_nothing_is_kept(demo_file, tmp_path):
    file = tmp_path / "store.zip"
    backup(_demo(demo_file, tmp_path), file)

    def changed(name: str, data: bytes) -> bytes:
        if name != "tables/periods.parquet":
            return data
        (tmp_path / "p.parquet").write_bytes(data)
        table = pq.read_table(tmp_path / "p.parquet")
        labels = table.column("label").to_pylist()
        labels[0] = labels[0] + " (changed)"
        table = table.set_column(0, "label", [labels])
        pq.write_table(table, tmp_path / "p2.parquet")
        return (tmp_path / "p2.parquet").read_bytes()

    target = Store(tmp_path / "restored.duckdb")
    with pytest.raises(CopyError, match=r"table periods does not match its manifest"):
        restore(_rewritten(file, tmp_path / "changed.zip", changed), target, _no_audit, "r")
    assert all(rows == [] for rows in dump(target).values())


def test_the_command_copies_verifies_and_audits_without_the_password(demo_file, tmp_path, pg_url):
    original = _demo(demo_file, tmp_path)
    with_password = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    run = subprocess.run(
        [sys.executable, "-m", "metrics", "store", "copy", "--from", str(original.path),
         "--to", with_password, "--user", "Ana Analyst"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "observations" in run.stdout and "verified" in run.stdout
    assert "s3cret" not in run.stdout + run.stderr
    with Store(pg_url).connect() as con:
        row = con.execute(
            "SELECT name, via, object, summary FROM audit WHERE kind = 'store copied'"
        ).fetchall()
    assert len(row) == 1 and row[0][:2] == ("Ana Analyst", "cli")
    assert str(original.path) in row[0][3] and "s3cret" not in " ".join(row[0])
    again = subprocess.run(
        [sys.executable, "-m", "metrics", "store", "copy", "--from", str(original.path),
         "--to", pg_url],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 2 and "already holds data" in again.stderr


def test_the_commands_back_up_and_restore_on_the_server(demo_file, tmp_path, pg_url):
    original = _demo(demo_file, tmp_path)
    file = tmp_path / "store.zip"

    def metrics(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "metrics", "store", *args],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    made = metrics("backup", "--db", str(original.path), "--out", str(file))
    assert made.returncode == 0, made.stderr
    assert "observations" in made.stdout and file.is_file()
    assert metrics("backup", "--db", str(original.path), "--out", str(file)).returncode == 2
    restored = metrics("restore", "--from", str(file), "--db", pg_url, "--user", "Ana")
    assert restored.returncode == 0, restored.stderr
    _assert_same_but_own_rows(original, Store(pg_url), writes=1)
    with Store(pg_url).connect() as con:
        rows = con.execute("SELECT name FROM audit WHERE kind = 'store restored'").fetchall()
    assert rows == [("Ana",)]
    again = metrics("restore", "--from", str(file), "--db", pg_url)
    assert again.returncode == 2 and "already holds data" in again.stderr


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_rows_sharing_a_leading_key_across_batches_are_read_once(
    backend, tmp_path, monkeypatch, request
):
    """`observations` has no primary key: it is read in the order of all its columns, by
    ranges of the first; rows with one obs_id on both sides of a batch's end are neither lost
    nor read twice."""
    monkeypatch.setattr(copying, "BATCH_ROWS", 3)
    where = tmp_path / "s.duckdb" if backend == "duckdb" else request.getfixturevalue("pg_url")
    store = Store(where)
    with store.connect() as con, transaction(con):
        for obs_id, grp in [(1, "a"), (2, "a"), (3, "a"), (3, "b"), (3, "c"), (4, "a"),
                            (5, "a"), (5, "b"), (6, "")]:  # fmt: skip
            con.execute(
                "INSERT INTO observations VALUES ($id, 'i', 'p', 'E1', '', $grp, 1.5, NULL, "
                "NULL, NULL, 'final', NULL, 1, false, NULL, 'local')",
                {"id": obs_id, "grp": grp},
            )
    with store.connect() as con:
        read = [
            row for batch in copying.batches(con, "observations") for row in canonical_rows(batch)
        ]
        everything = canonical_rows(con.arrow("SELECT * FROM observations"))
    assert len(read) == 9 and sorted(read) == sorted(everything)
