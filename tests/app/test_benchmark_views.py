"""The views councils know from LAIT on the indicator page (issue 32), on the demo: the
fictional council among real councils' published figures, against England, the region and
its neighbours over time, a focus chart of the region or the neighbours, every council with
its rank and quartile band, each with its table; whose neighbours and how old the figures
are said every time, and which figures are the fictional council's."""

from __future__ import annotations

from tests.app.conftest import open_expanders
from ui import keys
from ui.charts import NUMBERS

AS_AT = "published figures as at 8 April 2026"


def indicator_page(app, indicator: str):
    at = app()
    at.query_params["indicator"] = indicator
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception, at.exception
    return at


def table_with(at, column: str):
    """The first table on the page with `column`."""
    return next(t.value for t in open_expanders(at).dataframe if column in t.value.columns)


def test_the_demo_council_sits_among_real_councils(app):
    at = indicator_page(app, "send-tribunal-appeal-rate")
    keys_shown = [c.key for c in at.get("plotly_chart")]
    assert "over_time_chart" in keys_shown and "focus_region_chart" in keys_shown
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any(AS_AT in c and "chosen for the demo" in c for c in captions), captions
    assert any("Wrenfield Council (demo) is fictional" in c for c in captions)
    over_time = table_with(at, "Neighbour average")
    last = over_time.iloc[-1]
    assert (last["Year"], last["England"], last["Rank"]) == (
        "2024",
        "32.0 per 1,000",
        "30th of 154",
    )
    assert last["Quartile band"] == "A" and last["Neighbours with a figure"] == 10
    opened = open_expanders(at, NUMBERS, "Every council")
    every = [t.value for t in opened.dataframe if "Our region" in t.value.columns][-1]
    assert len(every) == 154
    ours = every[every["Council"] == "Wrenfield Council (demo) (ours)"].iloc[0]
    assert (ours["Rank"], ours["Quartile band"]) == ("30th of 154", "A")
    assert set(every["Quartile band"]) == {"A", "B", "C", "D"}


def test_the_focus_chart_shows_the_region_or_the_neighbours(app):
    at = indicator_page(app, "ehcp-issued-20-weeks")
    region = table_with(at, "Our region")
    assert len(region) == 25 and set(region["Our region"]) == {"yes"}
    at.radio(key=keys.FOCUS).set_value("neighbours").run()
    assert "focus_neighbours_chart" in [c.key for c in at.get("plotly_chart")]
    group = table_with(at, "Neighbour")
    assert len(group) == 11  # ten neighbours and ours
    assert "North Yorkshire" in set(group["Council"])
    captions = [c.value.replace("\\", "") for c in at.caption]
    alt = [c for c in captions if "councils (our" in c]
    assert alt and "11 councils (our neighbour group)" in alt[0], alt


def test_a_count_and_a_local_measure_show_no_published_views(app):
    for indicator in ("active-ehc-plans", "short-breaks-receiving"):
        at = indicator_page(app, indicator)
        assert "over_time_chart" not in [c.key for c in at.get("plotly_chart")]
