"""What only the PostgreSQL backend has to get right: a server that restarts or drops a
connection mid-write, and its own words for what the store's queries say."""

from __future__ import annotations

import psycopg
import pytest

from metrics.store.connection import Store, StoreError, transaction
from metrics.store.postgres_words import translate


def test_the_store_recovers_by_itself_after_the_server_restarts(pg_cluster, pg_url):
    store = Store(pg_url)
    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE r (k INTEGER)")
    before = store.version()
    folder = pg_cluster.folder
    pg_cluster.run(
        "pg_ctl", "restart", "-w", "-m", "fast", "-D", f"{folder}/data", "-l", f"{folder}/log"
    )
    with store.connect() as con, transaction(con):  # the pool's old connections are dead
        con.execute("INSERT INTO r VALUES (1)")
    assert store.version() == before + 1


def test_a_connection_lost_mid_write_stores_nothing_and_says_try_again(pg_cluster, pg_url):
    store = Store(pg_url)
    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE r (k INTEGER)")
    before = store.version()
    with pytest.raises(StoreError) as refused, store.connect() as con, transaction(con):
        con.execute("INSERT INTO r VALUES (1)")
        pid = con.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        con.execute("INSERT INTO r VALUES (2)")
    assert "try again" in refused.value.public.lower()
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM r").fetchall() == [(0,)]
    assert store.version() == before


@pytest.mark.parametrize(
    ("ours", "psycopgs"),
    [
        ("SELECT * FROM t WHERE a = $a AND b = $b_2",
         "SELECT * FROM t WHERE a = %(a)s AND b = %(b_2)s"),
        ("SELECT '$a', \"$b\" FROM t WHERE c LIKE 'x%' -- $c 100%\n AND d = $d",
         "SELECT '$a', \"$b\" FROM t WHERE c LIKE 'x%%' -- $c 100%%\n AND d = %(d)s"),
        ("SELECT 'it''s $a' /* $b */ , ?", "SELECT 'it''s $a' /* $b */ , %s"),
    ],
)  # fmt: skip
def test_parameters_in_psycopgs_words_and_literals_left_alone(ours, psycopgs):
    assert translate(ours) == psycopgs


def test_a_numbered_parameter_is_refused_rather_than_guessed():
    with pytest.raises(StoreError, match="name them"):
        translate("SELECT $1")


def test_app_servers_starting_together_migrate_an_empty_database_once(pg_cluster):
    """Each server's Store migrates on first use; the advisory lock lets one do it and the
    others find nothing left to do (without it they fail on tables that already exist)."""
    import threading

    from metrics.store.schema import SCHEMA_VERSION

    pg_cluster.admin("CREATE DATABASE empty_for_servers")
    url = pg_cluster.url("empty_for_servers")
    ready = threading.Barrier(4)
    errors: list[BaseException] = []

    def start_server() -> None:
        try:
            store = Store(url)
            ready.wait(timeout=10)
            with store.connect() as con:
                con.execute("SELECT count(*) FROM data_changes").fetchall()
        except BaseException as err:  # reported below
            errors.append(err)

    try:
        threads = [threading.Thread(target=start_server) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        with Store(url).connect() as con:
            versions = con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    finally:
        pg_cluster.drop(url)


def test_a_crowd_of_threads_each_reading_inside_a_read_never_starves_the_pool(pg_url):
    """Every pooled connection held by a thread that then opens another `connect()` inside
    (as a page's status does): the inner one shares the thread's connection, so nobody waits
    for the pool. Before, each inner `connect()` asked the pool for a second connection and
    all of them timed out together."""
    import threading

    from metrics.store.postgres import POOL_SIZE

    store = Store(pg_url)
    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE crowd_t (k INTEGER)")
        con.execute("INSERT INTO crowd_t VALUES (1)")
    all_in = threading.Barrier(POOL_SIZE, timeout=30)
    found: list[object] = []
    failed: list[BaseException] = []

    def page() -> None:
        try:
            with store.connect() as outer:
                all_in.wait()  # every connection of the pool is now held
                with store.connect() as inner:
                    found.append(inner.execute("SELECT k FROM crowd_t").fetchall())
                    with transaction(inner):  # part of the thread's one transaction
                        inner.execute("INSERT INTO crowd_t VALUES (2)")
                found.append(outer.execute("SELECT count(*) FROM crowd_t").fetchall())
        except BaseException as err:  # reported below
            failed.append(err)

    threads = [threading.Thread(target=page) for _ in range(POOL_SIZE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failed == []
    assert len(found) == 2 * POOL_SIZE
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM crowd_t").fetchall() == [(1 + POOL_SIZE,)]


def test_a_database_that_is_not_there_is_said_at_once_naming_it(pg_cluster):
    """A DSN naming a database the server does not have (a typo, one not made yet) waited
    the pool's whole timeout and said it 'could not connect ... within 10 s', as if the
    server were down. The server says at once that the database does not exist: so do we."""
    import time

    from metrics.store.postgres import close_pool
    from metrics.store.postgres_connection import CONNECT_SECONDS

    url = pg_cluster.url("outcomes_typo")
    started = time.monotonic()
    try:
        with pytest.raises(StoreError) as refused, Store(url).connect():
            pass
    finally:
        close_pool(url)
    assert time.monotonic() - started < CONNECT_SECONDS / 2
    said = str(refused.value)
    assert "database 'outcomes_typo' does not exist" in said and "within" not in said


def test_a_password_given_as_a_parameter_is_not_said(pg_cluster):
    """A URL may carry its password as a parameter (`?password=...`): the message naming the
    missing database printed it (on the command line, in logs)."""
    from metrics.config import redacted
    from metrics.store.postgres import close_pool

    assert redacted("postgresql://u@h/db?sslmode=require&password=s3cret&x=1") == (
        "postgresql://u@h/db?sslmode=require&password=***&x=1"
    )
    assert "s3cret" not in redacted("host=h dbname=db password='s3cret' user=u")
    url = pg_cluster.url("outcomes_typo")
    url += ("&" if "?" in url else "?") + "password=s3cret"
    try:
        with pytest.raises(StoreError) as refused, Store(url).connect():
            pass
    finally:
        close_pool(url)
    assert "does not exist" in str(refused.value) and "s3cret" not in str(refused.value)


def test_the_command_line_says_a_database_is_not_there_as_a_setting_error(pg_cluster, capsys):
    from metrics.cli.parser import main
    from metrics.store.postgres import close_pool

    url = pg_cluster.url("outcomes_typo")
    try:
        assert main(["status", "--db", url]) == 2
    finally:
        close_pool(url)
    assert "error: the database 'outcomes_typo' does not exist" in capsys.readouterr().err
