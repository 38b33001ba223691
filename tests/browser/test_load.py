"""Twenty councillors open the dashboard at once while a scheduled load runs."""

from __future__ import annotations

from bench import load
from metrics.queries import series
from metrics.store import Store


def test_twenty_sessions_and_a_concurrent_load(server, tmp_path):
    report = load.run(server.url, server.db, tmp_path / "load", sessions=20)
    assert report.errors == []
    assert len(report.times) == 20 * len(load.PAGES)  # every session drew both pages
    for result in report.loads:
        assert result.returncode == 0, result.stdout
        assert "lock" not in result.stdout.lower()
    loaded = [r.period for r in series(Store(server.db), "short-breaks-receiving", "E99000001")]
    assert {"2015-16 Q1", "2015-16 Q2"} <= set(loaded)
