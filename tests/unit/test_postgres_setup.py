"""Setting up on PostgreSQL fails closed with a plain message, never a driver's traceback
(found by a review on PostgreSQL): a role that may not create tables in an empty database,
another server's migration that outlasts a row lock's wait, and a table named
schema_version in another schema (older Flyway releases use the name)."""

from __future__ import annotations

import itertools
import os

import psycopg
import pytest

from metrics.store import postgres
from metrics.store.connection import Store, StoreError
from metrics.store.postgres import MIGRATING_LOCK

_names = itertools.count()


def empty_database(pg_cluster) -> str:
    """A database with nothing of the app's in it: its name."""
    name = f"empty_{os.getpid()}_{next(_names)}"
    pg_cluster.admin(f"CREATE DATABASE {name}")
    return name


def test_a_role_that_may_not_create_tables_is_told_so(pg_cluster):
    name = empty_database(pg_cluster)
    pg_cluster.admin("DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object "
                     "THEN NULL; END $$")  # fmt: skip
    url = pg_cluster.url(name).replace("postgres@", "reader@", 1)
    try:
        refused = pytest.raises(StoreError, match="may not create or change the app's tables")
        with refused, Store(url).connect():
            pass
        with psycopg.connect(pg_cluster.url(name)) as con:  # nothing was created
            tables = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        assert tables == (0,)
    finally:
        postgres.close_pool(url)
        pg_cluster.drop(pg_cluster.url(name))


def test_a_schema_version_table_elsewhere_is_not_the_apps(pg_cluster):
    name = empty_database(pg_cluster)
    url = pg_cluster.url(name)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE SCHEMA flyway; CREATE TABLE flyway.schema_version (version int)")
    try:
        with Store(url).connect() as con:  # migrated from nothing, not misled by the other
            assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(0,)]
    finally:
        pg_cluster.drop(url)


def test_another_servers_long_migration_is_waited_for_then_said_plainly(
    pg_cluster, pg_url, monkeypatch
):
    monkeypatch.setattr(postgres, "MIGRATION_WAIT_MS", 1500)  # ten minutes, in the app
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [MIGRATING_LOCK])
        try:
            said = pytest.raises(StoreError, match="bringing the database's schema up to date")
            with said, Store(pg_url).connect():
                pass
        finally:
            other.execute("SELECT pg_advisory_unlock(%s)", [MIGRATING_LOCK])
    with Store(pg_url).connect():  # once it has finished, the next opening goes ahead
        pass
