"""make bench's crowd through the proxy (bench/proxy.py), tiny: HAProxy on 1 app server, then
on 2, each crowd through the proxy; its entries are well-formed and every session is counted."""

from __future__ import annotations

from bench import proxy


def test_a_tiny_proxy_crowd_gives_well_formed_entries(demo_db):
    entries = proxy.run(demo_db, sessions=4, rounds=1)
    assert [set(e) for e in entries] == [
        {"name", "value", "unit", "baseline", "ratio", "target"}
    ] * 4
    median, done, cores, failed = entries
    assert "crowd of 4 through the proxy" in str(median["name"])
    assert all(float(str(e["value"])) > 0 and float(str(e["baseline"])) > 0 for e in (median, done))
    # the app servers' CPU was read from /proc while the crowds ran: some, and at most 2 cores
    assert all(0 < float(str(cores[k])) <= 2.2 for k in ("value", "baseline"))
    # 4 sessions measured on each cluster, plus nothing failed (the warm-up's count too)
    assert (failed["value"], failed["baseline"], failed["ratio"]) == (0, 8, 0.0)
    assert [m for m in proxy.misses(entries) if "failed" in m] == []
