"""make bench's comparison with Streamlit's floor (bench/pages.py): every page is measured
as often as every other, the results say what they were measured against, and a ratio over
its target is reported as missed."""

from __future__ import annotations

from collections import Counter

import pytest

from bench import pages


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
    entries = pages.results(floor, measured(0.25, [3.0, 3.5, 6.0], [0.6]))
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
    assert (cold["value"], cold["baseline"], cold["ratio"]) == (0.6, 0.25, 2.4)
    assert pages.misses(entries) == []


def test_a_ratio_over_its_target_is_missed():
    floor = pages.Measured(
        {p: 0.1 for p in pages.FLOOR_PAGES}, {p: [1.0] for p in pages.FLOOR_PAGES}, {}
    )
    entries = pages.results(floor, measured(0.2, [1.5], [1.0]))
    missed = pages.misses(entries)
    assert len(missed) == 3 * len(pages.OURS)  # warm 2.0 > 1.5, crowd 1.5 > 1.3, cold 5 > 3
    assert not any("worst" in m for m in missed)  # the worst page has no target
