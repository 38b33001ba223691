"""The indicator page says what the figures allow (issue 27): each period's own target (item
7) and no SPC verdict from too few figures since a restart (item 6)."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import open_expanders
from tests.app.test_consistency import open_indicator


@pytest.fixture(autouse=True)
def demo_mode(monkeypatch):
    monkeypatch.setenv("OUTCOMES_DEMO", "1")  # these tests use the demo's role picker


def test_the_trend_shows_each_periods_target(app):
    at = open_indicator(app(), "annual-reviews-on-time", "2026-27 Q2")
    trend = next(d.value for d in open_expanders(at).dataframe if "Why revised" in d.value.columns)
    targets = dict(zip(trend["Period"], trend["Target"], strict=True))
    assert targets["2025-26 Q4"] == "80%" and targets["2026-27 Q2"] == "85%"
    chart = next(c for c in at.get("plotly_chart") if c.key == "trend_chart")
    spec = json.loads(chart.proto.spec)
    step = next(t for t in spec["data"] if t.get("name") == "Target")
    assert step["line"]["shape"] == "hv" and step["y"][-1] == 85
    assert any("against a target of 85%" in m.value for m in at.markdown)


def test_no_spc_verdict_two_figures_after_the_restart(app):
    at = open_indicator(app(), "ehcp-issued-20-weeks", "2025-26 Q2")  # restarted 2025-26 Q1
    assert any("too few figures since the restart (2 of 6)" in i.value for i in at.info)
    assert any("No SPC verdict: too few figures since the restart (2 of 6)." in m.value
               for m in at.markdown)  # fmt: skip
    assert not any("**Variation:**" in m.value for m in at.markdown)
