"""A pack reads its measures' trends at once (metrics/store/trends.py, issue 34): one query
for all of them gives, indicator by indicator, the rows each read alone gives, on either
backend (`demo_db` is the demo on DuckDB and on PostgreSQL)."""

from __future__ import annotations

from metrics.assess.trend import trend, trends
from metrics.store.connection import Store
from metrics.store.queries import series_by_area
from metrics.store.trends import series_by_indicator


def test_every_indicators_series_read_at_once_is_its_series_read_alone(demo_db, charter):
    store = Store(demo_db)
    c = charter.council
    areas = [c.code, c.england.code, c.region.code]
    ids = sorted(charter.indicators)
    together = series_by_indicator(store, ids, areas)
    assert set(together) == set(ids)
    for ident in ids:
        assert together[ident] == series_by_area(store, ident, areas), ident
    rows = [r for i in ids for area in areas for r in together[i][area]]
    # what the comparison covers: figures revised, England's and the region's, published ones
    assert any(r.revised for r in rows)
    assert any(together[i][c.england.code] for i in ids)
    assert any(together[i][c.region.code] for i in ids)
    assert series_by_indicator(store, [], areas) == {}


def test_the_trends_of_several_indicators_are_each_ones_trend(demo_db, charter):
    store = Store(demo_db)
    inds = list(charter.indicators.values())
    found = trends(store, charter, inds)
    assert set(found) == {i.id for i in inds}
    for ind in inds:
        assert found[ind.id] == trend(store, charter, ind), ind.id
    counts = [i for i in inds if i.unit == "count"]
    assert counts and all(r.england is None for i in counts for r in found[i.id])
