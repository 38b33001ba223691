"""The demo council builds on PostgreSQL and gives the same figures as on DuckDB: the whole
domain (loading returns, partners' submissions, the review, evidence, the self-review, the
charter's status) runs on both backends through the same store functions (issue 29)."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter import Charter
from metrics.assess.rollup import charter_status
from metrics.demo.council import build_demo
from metrics.demo.stories import DEMO_LATEST
from metrics.store.connection import Store
from metrics.store.queries import series
from tests.pg import Cluster

# Indicators of each kind the demo tells a story with (quarterly, yearly, revised, a survey).
INDICATORS = [
    "ehcp-issued-20-weeks",
    "short-breaks-receiving",
    "short-breaks-satisfaction",
    "active-ehc-plans",
]


def _tables(store: Store) -> list[str]:
    with store.connect() as con:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    return [r[0] for r in rows]


def _counts(store: Store, tables: list[str]) -> dict[str, int]:
    with store.connect() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def _figures(store: Store, indicator: str, area: str, breakdown: str = "") -> list[tuple]:
    return [
        (r.period, r.group, r.value, r.symbol, r.numerator, r.denominator, r.status, r.note,
         r.upload_id, r.earlier_versions)
        for r in series(store, indicator, area, breakdown)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, charter: Charter, pg_cluster: Cluster
) -> tuple[Store, Store]:
    duck = Store(Path(tmp_path_factory.mktemp("demo")) / "demo.duckdb")
    build_demo(duck, charter)
    pg = Store(pg_cluster.new_database())
    build_demo(pg, charter)
    return duck, pg


def test_every_table_has_the_same_rows_on_both(both):
    duck, pg = both
    tables = _tables(duck)
    assert "observations" in tables and "audit" in tables
    duck_counts = _counts(duck, tables)
    assert duck_counts["observations"] > 1000
    assert _counts(pg, tables) == duck_counts


def test_the_charter_status_of_the_demo_quarter_is_the_same_on_both(both, charter):
    duck, pg = both
    quarter = DEMO_LATEST
    on_duckdb = charter_status(duck, charter, quarter)
    assert {s.status for s in on_duckdb} != {""}
    assert charter_status(pg, charter, quarter) == on_duckdb


@pytest.mark.parametrize("indicator", INDICATORS)
def test_an_indicators_series_is_the_same_on_both(both, charter, indicator):
    duck, pg = both
    council = charter.council
    for area in (council.code, council.england.code):
        assert _figures(pg, indicator, area) == _figures(duck, indicator, area), area
    assert _figures(duck, indicator, council.code)
    locality = _figures(duck, "ehcp-issued-20-weeks", council.code, "locality")
    assert locality and _figures(pg, "ehcp-issued-20-weeks", council.code, "locality") == locality
