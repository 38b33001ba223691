"""Every migration runs on both backends, and leaves the same tables, views and columns
(names, order, types and nullability, as each database's information_schema states them)."""

from __future__ import annotations

import pytest

from metrics.store.connection import Connection, Store
from metrics.store.migrating import schema_version
from metrics.store.postgres_words import postgres_ddl
from metrics.store.schema import SCHEMA_VERSION

# Each database's name for the same type.
SAME_TYPE = {
    "character varying": "VARCHAR",
    "text": "VARCHAR",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "double precision": "DOUBLE",
    "bytea": "BLOB",
    "timestamp without time zone": "TIMESTAMP",
    "date": "DATE",
    "boolean": "BOOLEAN",
}

COLUMNS = """
SELECT c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_name = c.table_name AND t.table_schema = c.table_schema
WHERE c.table_schema = current_schema()
ORDER BY c.table_name, c.ordinal_position
"""


def _schema(con: Connection) -> list[tuple[str, ...]]:
    return [
        (table, kind, column, SAME_TYPE.get(str(data_type).lower(), str(data_type)), nullable)
        for table, kind, column, data_type, nullable in con.execute(COLUMNS).fetchall()
    ]


def test_both_backends_have_the_same_tables_and_columns_after_migrating(tmp_path, pg_url):
    with Store(tmp_path / "s.duckdb").connect() as duck, Store(pg_url).connect() as pg:
        assert schema_version(duck) == schema_version(pg) == SCHEMA_VERSION
        on_duckdb, on_postgres = _schema(duck), _schema(pg)
    assert {row[0] for row in on_duckdb} >= {"observations", "audit", "data_changes"}
    assert on_postgres == on_duckdb


def test_a_store_opened_again_migrates_nothing_on_postgres(pg_url):
    with Store(pg_url).connect() as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    with Store(pg_url).connect() as con:  # a second app server starting
        assert con.execute("SELECT count(*) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


@pytest.mark.parametrize(
    ("duckdb", "postgres"),
    [
        ("CREATE TABLE f (c BLOB NOT NULL)", ["CREATE TABLE f (c BYTEA NOT NULL)"]),
        (
            "CREATE TABLE v (x DOUBLE, y DOUBLE PRECISION)",
            ["CREATE TABLE v (x DOUBLE PRECISION, y DOUBLE PRECISION)"],
        ),
        (
            "CREATE OR REPLACE VIEW h AS SELECT o.* FROM o",
            ["DROP VIEW IF EXISTS h", "CREATE VIEW h AS SELECT o.* FROM o"],
        ),
        ("CREATE SEQUENCE s START 1", ["CREATE SEQUENCE s START 1"]),
    ],
)
def test_a_migration_statement_in_postgresql_words(duckdb, postgres):
    assert postgres_ddl(duckdb) == postgres


def test_the_setting_chooses_the_backend(tmp_path, monkeypatch, pg_url):
    from metrics.config import database
    from metrics.deployment import SettingError
    from metrics.store.postgres import PgStore

    monkeypatch.delenv("OUTCOMES_DB", raising=False)
    monkeypatch.setenv("OUTCOMES_DATABASE_URL", pg_url)
    assert isinstance(Store(), PgStore) and Store().path == pg_url
    assert type(Store(tmp_path / "f.duckdb")) is Store  # --db PATH wins over the variable
    assert isinstance(Store("postgresql://u:secret@h/db"), PgStore)
    assert "secret" not in repr(Store("postgresql://u:secret@h/db"))
    monkeypatch.setenv("OUTCOMES_DB", str(tmp_path / "f.duckdb"))
    with pytest.raises(SettingError, match="both set"):
        database()
    monkeypatch.delenv("OUTCOMES_DB")
    monkeypatch.setenv("OUTCOMES_DATABASE_URL", str(tmp_path / "f.duckdb"))
    with pytest.raises(SettingError, match="must be a postgresql:// URL"):
        Store()


def test_the_command_line_works_on_a_postgresql_url(pg_url, capsys):
    from metrics.cli.parser import main

    assert main(["--db", pg_url, "uploads"]) == 0
    said = capsys.readouterr()
    assert f"database: {pg_url}" in said.err
    with Store(pg_url).connect() as con:
        assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(0,)]


# The indexes migration 12 makes for assessing a council among many (PostgreSQL only).
CURRENT_INDEXES = {
    "observations_current_by_area",
    "observations_current_by_figure",
    "observations_published",
}


def test_the_planning_indexes_are_postgresqls_only(tmp_path, pg_url):
    with Store(tmp_path / "s.duckdb").connect() as duck, Store(pg_url).connect() as pg:
        on_postgres = {
            name
            for (name,) in pg.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'observations'"
            ).fetchall()
        }
        on_duckdb = duck.execute("SELECT index_name FROM duckdb_indexes()").fetchall()
    assert on_postgres >= CURRENT_INDEXES
    assert on_duckdb == []  # appends of a large return stay cheap (migration 1)


def test_a_statement_marked_for_postgresql_is_said_only_there(tmp_path, pg_url):
    from metrics.store.schema import POSTGRES_ONLY

    marked = f"{POSTGRES_ONLY}\nCREATE INDEX i ON observations (period)"
    with Store(tmp_path / "s.duckdb").connect() as duck, Store(pg_url).connect() as pg:
        assert duck.schema_statements(marked) == []
        assert pg.schema_statements(marked) == [marked]
        assert duck.schema_statements("CREATE TABLE t (c INTEGER)") == [
            "CREATE TABLE t (c INTEGER)"
        ]


def _analysed(con: Connection) -> bool:
    con.execute("SELECT pg_stat_clear_snapshot()")
    ((at,),) = con.execute(
        "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'observations'"
    ).fetchall()
    return at is not None


def test_a_large_upload_brings_postgresqls_statistics_up_to_date(tmp_path, pg_url, charter):
    """Just after a big load the planner still believes the table empty (a national charter
    status read every current total to find a few thousand); the upload's commit ANALYZEs
    `observations` once it has changed STATISTICS_STALE_AFTER versions or more."""
    from metrics.demo.national import build_national
    from metrics.store.figures import STATISTICS_STALE_AFTER, refresh_statistics

    store = Store(pg_url)
    with store.connect() as con:
        refresh_statistics(con, STATISTICS_STALE_AFTER - 1)
        assert not _analysed(con)  # a small upload leaves it to autovacuum
    report = build_national(store, charter, tmp_path, councils=2)
    assert report.added >= STATISTICS_STALE_AFTER
    with store.connect() as con:
        assert _analysed(con)
