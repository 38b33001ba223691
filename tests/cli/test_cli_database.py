"""The command line never touches the wrong database (issue 25): `--db` is honoured before or
after the command, every command names the database it used, the demo never replaces real
work and keeps a copy of what it replaces, and the audit trail prints no control characters."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import ROOT

GOOD = "indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"


def metrics(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def uploads_in(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT file_name, uploaded_by FROM uploads ORDER BY upload_id"
        ).fetchall()
    finally:
        con.close()


def test_db_before_the_command_is_the_one_written(tmp_path: Path):
    wanted, served = tmp_path / "other.duckdb", tmp_path / "served.duckdb"
    (tmp_path / "r.csv").write_text(GOOD)
    done = metrics(
        "--db", str(wanted), "load", str(tmp_path / "r.csv"), env={"OUTCOMES_DB": str(served)}
    )
    assert done.returncode == 0, done.stderr
    assert f"database: {wanted}" in done.stderr
    assert uploads_in(wanted)[0][0] == "r.csv" and not served.exists()


def test_db_after_the_command_and_the_environment_are_named_too(tmp_path: Path):
    db = tmp_path / "after.duckdb"
    (tmp_path / "r.csv").write_text(GOOD)
    assert f"database: {db}" in metrics("load", str(tmp_path / "r.csv"), "--db", str(db)).stderr
    env = {"OUTCOMES_DB": str(db)}
    for command in (["uploads"], ["audit"], ["actions"], ["status"], ["quality"]):
        done = metrics(*command, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith(f"database: {db}\n"), (command, done.stderr)


def test_two_different_dbs_are_a_usage_error_and_nothing_is_written(tmp_path: Path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    (tmp_path / "r.csv").write_text(GOOD)
    done = metrics("--db", str(a), "load", str(tmp_path / "r.csv"), "--db", str(b))
    assert done.returncode == 2 and "--db is given twice" in done.stderr
    assert not a.exists() and not b.exists()
    same = metrics("--db", str(a), "load", str(tmp_path / "r.csv"), "--db", str(a))
    assert same.returncode == 0, same.stderr


def test_the_demo_never_replaces_real_work_even_with_force(tmp_path: Path, demo_db: Path):
    live = tmp_path / "live.duckdb"
    shutil.copy(demo_db, live)
    (tmp_path / "r.csv").write_text(GOOD)
    assert (
        metrics("--db", str(live), "load", str(tmp_path / "r.csv"), "--user", "Sam").returncode == 0
    )
    before = uploads_in(live)
    done = metrics("--db", str(live), "demo", "--force")
    assert done.returncode == 2
    assert f"the demo will not replace {live}: it holds real work" in done.stderr
    assert uploads_in(live) == before and ("r.csv", "Sam") in before
    beside = ["live.duckdb", "live.duckdb.working", "r.csv"]  # no demo (the lock: on_disk.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == beside


def test_the_demo_never_replaces_another_applications_database(tmp_path: Path):
    other = tmp_path / "finance.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE invoices AS SELECT 1 AS id")
    con.close()
    done = metrics("demo", "--force", "--db", str(other))
    assert done.returncode == 2 and "another application's tables" in done.stderr
    con = duckdb.connect(str(other), read_only=True)
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    con.close()
    assert tables == {"invoices"}  # not even migrated


def test_replacing_a_demo_keeps_a_copy_and_says_where(tmp_path: Path, demo_db: Path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    done = metrics("demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    [kept] = tmp_path.glob("demo.before-demo-*.duckdb")
    assert f"The previous demo database is kept as {kept}" in done.stdout
    assert uploads_in(kept) == uploads_in(demo_db)


def test_audit_text_prints_control_characters_as_escapes(tmp_path: Path):
    db = tmp_path / "a.duckdb"
    (tmp_path / "r.csv").write_text(GOOD)
    forged = (
        "Eve\n#999 2026-01-01 00:00:00 Ada Admin (app) upload: forged\r"
        "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \u202eevil"
    )
    assert (
        metrics("--db", str(db), "load", str(tmp_path / "r.csv"), "--user", forged).returncode == 0
    )
    out = metrics("--db", str(db), "audit").stdout
    assert len(out.splitlines()) == 1  # one entry, one line: no forged second entry
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in out
    assert "Eve\\n#999" in out and "\\x1b]8;;https://evil.example\\x07click" in out
    assert "\\u202eevil" in out


def test_an_upload_limit_that_means_no_limit_is_refused(tmp_path: Path):
    (tmp_path / "r.csv").write_text(GOOD)
    for value in ("nan", "inf", "-1", "ten"):
        env = {"OUTCOMES_MAX_UPLOAD_MB": value}
        done = metrics("--db", str(tmp_path / "x.duckdb"), "load", str(tmp_path / "r.csv"), env=env)
        assert done.returncode == 2 and "is not a size in megabytes" in done.stderr, value
        flag = metrics(
            "load", str(tmp_path / "r.csv"), "--max-size", value, "--db", str(tmp_path / "x.duckdb")
        )
        assert flag.returncode == 2 and "--max-size" in flag.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_an_out_file_written_again_keeps_the_one_that_was_there(tmp_path: Path):
    out = tmp_path / "return.csv"
    out.write_text("indicator,period,value\nshort-breaks-receiving,2024-25 Q1,431\n")  # filled
    done = metrics("template", "--period", "2024-25 Q1", "--out", str(out))
    assert done.returncode == 0, done.stderr
    [copy] = tmp_path.glob("return.before-overwrite-*.csv")
    assert f"The file that was there is kept as {copy}" in done.stderr
    assert copy.read_text().endswith("2024-25 Q1,431\n") and out.read_text() != copy.read_text()
    again = metrics("template", "--period", "2024-25 Q1", "--out", str(out))  # the same bytes
    assert "kept as" not in again.stderr and len(list(tmp_path.glob("return.*.csv"))) == 1


def leave_a_write_ahead_log(db: Path) -> None:
    """Write to `db` so that the change stays in `db.wal` (no checkpoint), as a server
    stopped without closing leaves it."""
    con = duckdb.connect(str(db))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("CREATE TABLE only_in_the_log AS SELECT 42 AS answer")
    con.close()
    assert db.with_name(db.name + ".wal").exists()


def tables_in(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        return {row[0] for row in rows}
    finally:
        con.close()


def test_replacing_a_demo_moves_its_write_ahead_log_aside_with_the_copy(
    tmp_path: Path, demo_db: Path
):
    """The old database's .wal was copied but left beside the new file, which DuckDB then
    refused to open ("WAL does not match database file")."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    leave_a_write_ahead_log(db)
    done = metrics("demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert not db.with_name("demo.duckdb.wal").exists()
    assert "only_in_the_log" not in tables_in(db) and uploads_in(db) == uploads_in(demo_db)
    [kept] = tmp_path.glob("demo.before-demo-*.duckdb")
    assert f"The previous write-ahead log is kept as {kept}.wal" in done.stdout
    assert "only_in_the_log" in tables_in(kept)  # the copy, with its log, as it was


def test_a_write_ahead_log_without_its_database_is_set_aside_too(tmp_path: Path, demo_db: Path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    leave_a_write_ahead_log(db)
    db.unlink()  # the log of a database that was deleted by hand
    done = metrics("demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    [aside] = tmp_path.glob("demo.before-demo-*.duckdb.wal")
    assert f"The previous write-ahead log is kept as {aside}" in done.stdout
    assert not db.with_name("demo.duckdb.wal").exists() and "uploads" in tables_in(db)


def test_a_database_that_is_not_there_is_refused_unless_the_command_brings_data_in(tmp_path):
    """A mistyped --db made an empty database (and its folders), and `remind` then planned
    digests chasing every owner; reading commands refuse it, data-in commands say they make
    a new one."""
    typo = tmp_path / "typo" / "outcomes.duckdb"
    for command in (["uploads"], ["audit"], ["remind", "--dry-run"], ["status"]):
        done = metrics(*command, "--db", str(typo))
        assert done.returncode == 2, (command, done.stderr)
        assert f"there is no database at {typo}" in done.stderr, command
        assert not typo.parent.exists(), command
    csv = tmp_path / "r.csv"
    csv.write_text(GOOD)
    loaded = metrics("load", str(csv), "--db", str(typo))
    assert loaded.returncode == 0, loaded.stderr
    assert "a new one is made" in loaded.stderr and typo.exists()
    assert metrics("uploads", "--db", str(typo)).returncode == 0
    other = tmp_path / "elsewhere" / "outcomes.duckdb"  # a dry run, previewing against a new
    dry = metrics("load", str(csv), "--dry-run", "--db", str(other))  # one, says it is new
    assert dry.returncode == 0 and "a new one is made" in dry.stderr, dry.stderr
