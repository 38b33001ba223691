"""make bench's comparison with Streamlit's floor (bench/pages.py): every page is measured
as often as every other, the results say what they were measured against, and a ratio over
its target is reported as missed."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from bench import pages, postgres, proxy


@pytest.mark.parametrize("app", [list(pages.OURS.values()), pages.FLOOR_PAGES])
def test_every_page_is_opened_equally_often_first_and_second(app):
    plans = pages.crowd_plans(app)
    assert len(plans) == pages.SESSIONS and all(len(p) == 2 and p[0] != p[1] for p in plans)
    each = pages.SESSIONS // len(app)
    assert Counter(p[0] for p in plans) == Counter(p[1] for p in plans) == dict.fromkeys(app, each)


def measured(warm: float, crowd: list[float], cold: list[float]) -> pages.Measured:
    ours = list(pages.OURS.values())
    return pages.Measured(
        {p: warm for p in ours}, {p: crowd for p in ours}, {p: cold for p in ours}
    )


def test_results_name_their_baseline_and_targets():
    floor = pages.Measured(
        {p: 0.2 for p in pages.FLOOR_PAGES}, {p: [3.0, 4.0] for p in pages.FLOOR_PAGES}, {}
    )
    entries = pages.results(floor, measured(0.25, [3.0, 3.5, 6.0], [0.35]))
    assert len(entries) == 4 * len(pages.OURS)
    for e in entries:
        assert set(e) == {"name", "value", "unit", "baseline", "ratio", "target"}
        name = str(e["name"])
        assert any(word in name for word in ("warm", "crowd", "cold"))
        assert ("vs floor" in name) != ("cold" in name)  # cold is against our own warm time
    overview = {str(e["name"]): e for e in entries if str(e["name"]).startswith("overview")}
    warm = overview["overview page, warm, single session, vs floor"]
    assert (warm["value"], warm["baseline"], warm["ratio"]) == (0.25, 0.2, 1.25)
    crowd = next(e for n, e in overview.items() if "crowd median" in n)
    assert (crowd["value"], crowd["baseline"], crowd["ratio"]) == (3.5, 3.5, 1.0)
    cold = next(e for n, e in overview.items() if "cold" in n)
    assert (cold["value"], cold["baseline"], cold["ratio"]) == (0.35, 0.25, 1.4)
    assert pages.misses(entries) == []


def test_a_crowd_measured_taking_turns_is_the_median_of_each_turns_ratio():
    """The apps' crowds take turns (bench/pages.py `run`): each of our crowds is held against
    the floor app's crowd beside it, not against the floor's crowds at other moments."""
    floor = pages.Measured({p: 0.1 for p in pages.FLOOR_PAGES}, {}, {})
    floor.turns = [{p: [t] for p in pages.FLOOR_PAGES} for t in (1.0, 1.0, 2.0)]
    floor.crowd = {p: [1.0, 1.0, 2.0] for p in pages.FLOOR_PAGES}
    ours = measured(0.1, [1.5, 1.1, 2.2], [0.1])
    ours.turns = [{p: [t] for p in pages.OURS.values()} for t in (1.5, 1.1, 2.2)]
    entries = pages.results(floor, ours)
    crowd = next(e for e in entries if str(e["name"]).startswith("overview page, crowd median"))
    # per turn 1.5, 1.1, 1.1: the median 1.1 (the two medians alone, 1.5 / 1.0, would say 1.5)
    assert (crowd["value"], crowd["baseline"], crowd["ratio"]) == (1.5, 1.0, 1.1)
    assert "the median of 3 turns' ratios" in str(crowd["target"])
    assert not any("crowd" in m for m in pages.misses(entries))


def test_a_ratio_over_its_target_is_missed():
    floor = pages.Measured(
        {p: 0.1 for p in pages.FLOOR_PAGES}, {p: [1.0] for p in pages.FLOOR_PAGES}, {}
    )
    entries = pages.results(floor, measured(0.2, [1.5], [1.0]))
    missed = pages.misses(entries)
    assert len(missed) == 3 * len(pages.OURS)  # warm 2.0 > 1.5, crowd 1.5 > 1.3, cold 5 > 1.5
    assert not any("worst" in m for m in missed)  # the worst page has no target


KEYS = {"name", "value", "unit", "baseline", "ratio", "target"}


def crowds(
    servers: int, times: list[float], failed: list[str] | None = None, cpu: float = 0.0
) -> proxy.Crowds:
    return proxy.Crowds(
        servers,
        times,
        done=[max(times)],
        failed=failed or [],
        sessions=proxy.SESSIONS,
        cpu=cpu,
        wall=10.0,
    )


def test_the_proxy_crowd_compares_two_servers_with_one():
    entries = proxy.results(
        crowds(1, [2.0, 3.0, 4.0], cpu=11.0), crowds(2, [1.0, 1.5, 5.0], cpu=16.5)
    )
    assert all(set(e) == KEYS for e in entries) and len(entries) == 4
    median, done, cores, failed = entries
    assert (cores["value"], cores["baseline"], cores["ratio"]) == (1.65, 1.1, 1.5)
    assert "median page, 2 app servers vs 1" in str(median["name"])
    assert (median["value"], median["baseline"], median["ratio"]) == (1.5, 3.0, 0.5)
    assert (done["value"], done["baseline"], done["ratio"]) == (5.0, 4.0, 1.25)
    assert (failed["value"], failed["baseline"], failed["ratio"]) == (0, 2 * proxy.SESSIONS, 0)
    assert f"crowd of {proxy.SESSIONS} through the proxy" in str(median["name"])
    assert proxy.misses(entries) == []


def test_a_slow_second_server_or_one_failed_session_is_missed():
    slow = proxy.results(crowds(1, [2.0]), crowds(2, [1.4]))  # 0.7 > 0.65
    assert [m.split(":")[0] for m in proxy.misses(slow)] == [str(slow[0]["name"])]
    failing = proxy.results(crowds(1, [2.0]), crowds(2, [1.0], failed=["session failed"]))
    missed = proxy.misses(failing)
    assert len(missed) == 1 and "1 of 80 sessions failed" in missed[0]
    # every session failed: no page time at all is a miss too, never a pass
    nothing = proxy.results(crowds(1, [2.0]), proxy.Crowds(2, [], [1.0], ["x"] * 40, 40))
    assert len(proxy.misses(nothing)) == 2


def test_postgresql_entries_name_duckdb_as_their_baseline():
    ours = list(pages.OURS.values())

    def on(warm: float, crowd: list[float], errors: int = 0) -> postgres.Backend:
        return postgres.Backend({p: warm for p in ours}, crowd, ["not drawn"] * errors, 120)

    entries = postgres.results(on(0.1, [1.0, 2.0]), on(0.11, [1.2, 2.6]), 0.2, 0.3, 1_000)
    assert all(set(e) == KEYS for e in entries) and len(entries) == 4
    assert all(str(e["name"]).endswith("PostgreSQL vs DuckDB") for e in entries)
    assert [e["ratio"] for e in entries] == [1.1, 1.27, 0, 1.5]
    assert postgres.misses(entries) == [f"{entries[1]['name']}: ratio 1.27 > 1.2"]
    status = postgres.results(on(0.1, [1.0]), on(0.1, [1.0]), 0.2, 0.41, 1_000)
    assert [m.split(": ratio ")[1] for m in postgres.misses(status)] == ["2.05 > 2.0"]


def test_pages_failing_on_postgresql_are_missed():
    ours = list(pages.OURS.values())
    fine = postgres.Backend({p: 0.1 for p in ours}, [1.0], [], 120)
    failing = postgres.Backend({p: 0.1 for p in ours}, [1.0], ["StoreError"] * 6, 120)
    missed = postgres.misses(postgres.results(fine, failing, 0.2, 0.2, 1_000))
    assert missed == [
        "our pages, errors in the crowds, PostgreSQL vs DuckDB: 6 of 240 pages failed"
    ]
    # a backend whose every page failed has no time: a miss, never a pass
    nothing = postgres.Backend({}, [], ["warm: failed"], 120)
    assert len(postgres.misses(postgres.results(fine, nothing, 0.2, 0.2, 1_000))) == 3


def test_the_servers_memory_after_the_crowds_is_reported_without_a_target():
    floor = pages.Measured(
        {p: 0.2 for p in pages.FLOOR_PAGES}, {p: [3.0] for p in pages.FLOOR_PAGES}, {}
    )
    ours = measured(0.25, [3.0], [0.35])
    floor.resident_mb, ours.resident_mb = 200.0, 500.0
    memory = [e for e in pages.results(floor, ours) if e["unit"] == "MB"]
    assert len(memory) == 1 and memory[0]["ratio"] == 2.5
    assert "no target" in str(memory[0]["target"]) and pages.misses(memory) == []
    assert pages.resident_mb(os.getpid()) > 10  # read from /proc for a real process


def test_a_benchmark_run_again_replaces_its_earlier_entries_even_under_another_name(
    tmp_path, monkeypatch, capsys
):
    """A generated file a row shorter renames an entry ("... (233,808 rows)"): the earlier
    run's entry must not stay beside it, printed and missed as if measured now."""
    import json

    from bench import __main__ as bench_main

    def entry(name: str, value: float) -> dict[str, object]:
        return {"name": name, "value": value, "unit": "s", "baseline": 1.0, "ratio": value,
                "target": 2.0}  # fmt: skip

    runs = iter([[entry("reading (10 rows)", 5.0)], [entry("reading (9 rows)", 1.5)]])
    monkeypatch.setitem(bench_main.BENCHMARKS, "tiny", lambda charter, work: next(runs))
    other = {**entry("another benchmark's", 1.0), "bench": "other"}
    path = tmp_path / "results.json"
    path.write_text(json.dumps([other]))
    bench_main._run(["tiny"], None, tmp_path, path)  # type: ignore[arg-type]
    capsys.readouterr()
    bench_main._run(["tiny"], None, tmp_path, path)  # type: ignore[arg-type]
    assert "10 rows" not in capsys.readouterr().out  # neither printed nor missed
    assert [r["name"] for r in json.loads(path.read_text())] == [
        "another benchmark's",
        "reading (9 rows)",
    ]
