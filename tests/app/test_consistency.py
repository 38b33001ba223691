"""Pages that agree with themselves (issue #10): the chosen quarter everywhere and in the
address, unknown links said so, counts never held against a whole-council target or England."""

from __future__ import annotations

import json

from tests.app.conftest import open_expanders
from ui import keys


def open_indicator(at, indicator: str, quarter: str | None = None):
    at.query_params["indicator"] = indicator
    if quarter:
        at.query_params["quarter"] = quarter
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception, at.exception
    return at


def test_the_quarter_is_in_the_address_and_survives_moving_between_pages(app):
    at = app()
    at.selectbox(key=keys.PERIOD).set_value("2025-26 Q4").run()
    assert at.query_params["quarter"] in ("2025-26 Q4", ["2025-26 Q4"])
    cards = [link for link in at.get("page_link") if link.value.startswith("Open statement")]
    assert cards  # a link drawn on a page carries the quarter in its address
    assert all("quarter=2025-26+Q4" in link.proto.query_string for link in cards)
    # The sidebar is Streamlit's navigation: it opens a page at its bare address, in the same
    # session, which carries the quarter; the page puts it back in its own address.
    at.query_params.clear()
    at.switch_page("pages/1_Statement.py").run()
    assert at.selectbox(key=keys.PERIOD).value == "2025-26 Q4"
    assert at.query_params["quarter"] in ("2025-26 Q4", ["2025-26 Q4"])


def test_a_shared_link_reproduces_the_quarter(app):
    at = app()
    at = open_indicator(at, "ehcp-issued-20-weeks", "2025-26 Q3")
    assert at.selectbox(key=keys.PERIOD).value == "2025-26 Q3"


def test_the_indicator_page_honours_the_chosen_quarter_everywhere(app):
    at = open_indicator(app(), "ehcp-issued-20-weeks", "2025-26 Q3")
    reason = next(m.value for m in at.markdown if "against a target of" in m.value)
    assert "in 2025-26 Q3" in reason
    trend = open_expanders(at).dataframe[0].value
    assert list(trend["Period"])[-1] == "2025-26 Q3"  # the chart ends at the chosen quarter
    chart = next(c for c in at.get("plotly_chart") if c.key == "trend_chart")
    assert "Reported for 2025-26 Q3" in json.dumps(chart.proto.spec)  # and marks it
    at.selectbox(key=keys.DIMENSION).set_value("locality").run()
    captions = [c.value for c in at.caption if c.value.startswith("Bar chart of")]
    assert len(captions) >= 3  # every council, the focus chart and the breakdown
    for caption in captions:  # published yearly: "published figures for 2024, the latest at"
        assert "2025\\-26 Q3" in caption or "2025-26 Q3" in caption, caption


def test_an_unknown_indicator_or_statement_is_said_so(app):
    at = open_indicator(app(), "no-such-indicator")
    assert any("There is no indicator" in w.value and "no\\-such" in w.value for w in at.warning)
    at.query_params["statement"] = "99"
    at.switch_page("pages/1_Statement.py").run()
    assert any("There is no statement 99" in w.value for w in at.warning)


def test_a_count_breakdown_has_no_whole_council_target(app):
    at = open_indicator(app(), "short-breaks-receiving")
    at.selectbox(key=keys.DIMENSION).set_value("locality").run()
    chart = next(c for c in at.get("plotly_chart") if c.key == "breakdown_chart")
    assert "Target" not in json.dumps(chart.proto.spec)


def test_counts_are_not_compared_with_england(app):
    at = open_indicator(app(), "short-breaks-receiving")
    assert any("Counts are not compared" in i.value for i in at.info)
    assert "councils_chart" not in [c.key for c in at.get("plotly_chart")]
    reason = next(
        m.value for m in at.markdown if m.value.startswith(("On track", "At risk", "Off"))
    )
    assert "England" not in reason


def test_our_council_beside_england_and_region_is_not_ranked(app):
    at = open_indicator(app(), "ehcna-decisions-6-weeks")  # LAIT has no council's figure
    assert "councils_chart" in [c.key for c in at.get("plotly_chart")]
    chart = next(c for c in at.get("plotly_chart") if c.key == "councils_chart")
    spec = json.dumps(chart.proto.spec)
    assert " of 3" not in spec and "Not ranked" in " ".join(c.value for c in at.caption)
