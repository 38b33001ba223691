"""`python -m deploy.demo URL` (make cluster's demo on its throwaway PostgreSQL) never builds
on top of a database that holds data: a server database is never replaced by the demo."""

from __future__ import annotations

from deploy import demo
from metrics.store.connection import Store, transaction


def test_the_demo_is_refused_on_a_database_that_holds_data(pg_url, capsys):
    store = Store(pg_url)
    with store.connect() as con, transaction(con):
        pass  # one committed write: the database is no longer empty
    before = store.version()
    assert demo.main([pg_url]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert store.version() == before


def test_the_demo_wants_a_postgresql_url(capsys):
    assert demo.main(["data/outcomes.duckdb"]) == 2
    assert "usage: python -m deploy.demo postgresql://" in capsys.readouterr().err
