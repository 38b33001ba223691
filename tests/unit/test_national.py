"""The national-scale synthetic database: many councils, ranked through polarity."""

from __future__ import annotations

from metrics.assess.rollup import charter_status
from metrics.demo.national import build_national, council_codes
from metrics.periods.text import parse_period
from metrics.store.connection import Store


def test_a_small_national_database_ranks_every_council(tmp_path, charter):
    store = Store(tmp_path / "n.duckdb")
    report = build_national(store, charter, tmp_path, councils=12)
    assert report.outcome == "loaded" and report.added > 50_000
    codes = council_codes(charter, 12)
    assert codes[0] == charter.council.code and len(set(codes)) == 12
    statuses = {
        i.id: i
        for s in charter_status(store, charter, parse_period("2026-27 Q2"))
        for i in s.indicators
    }
    ehcp = statuses["ehcp-issued-20-weeks"]
    assert ehcp.benchmark is not None and ehcp.benchmark.councils == 12
    assert 1 <= (ehcp.benchmark.rank or 0) <= 12 and ehcp.benchmark.quartile in (1, 2, 3, 4)
    assert (ehcp.variation is not None and not ehcp.trial_limits) or ehcp.trial_limits
    wait = statuses["autism-assessment-median-wait"]
    assert wait.variation is not None and wait.assurance is not None  # 48 quarters of figures
    assert not wait.trial_limits
