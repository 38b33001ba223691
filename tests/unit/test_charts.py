"""Charts people can read (issue #10): periods at their places, a y axis that fits the data
and says so, direct labels apart, status first in tables."""

from __future__ import annotations

import json

import pytest

from metrics.assess.trend import TrendRow
from ui import axes, cards, charts


def rows(periods, values, england=None):
    england = england or [None] * len(values)
    return [
        TrendRow(p, v, None, "final", False, None, None, e, None, None)
        for p, v, e in zip(periods, values, england, strict=True)
    ]


def test_annual_series_plot_at_their_periods(charter):
    ind = charter.indicators["active-ehc-plans"]
    years = ["2021", "2022", "2023", "2024", "2025"]
    fig, _ = charts.trend_chart(rows(years, [1427, 1453, 1463, 1567, 1641]), ind, "Wrenfield", "t")
    spec = json.loads(fig.to_json())
    ours = spec["data"][-1]
    assert ours["x"] == [0, 1, 2, 3, 4]  # positions, never numeric-looking category labels
    assert ours["customdata"] == years
    assert spec["layout"]["xaxis"]["ticktext"][-1] == "2025"


def test_a_percentage_axis_fits_the_data_and_says_so(charter):
    ind = charter.indicators["register-records-updated"]
    quarters = [f"202{y}-2{y + 1} Q{q}" for y in (3, 4, 5) for q in (1, 2, 3, 4)]
    values = [70 + i * 1.2 for i in range(len(quarters))]
    fig, _ = charts.trend_chart(rows(quarters, values), ind, "Wrenfield", "t")
    low, high = json.loads(fig.to_json())["layout"]["yaxis"]["range"]
    assert 60 < low < 70 and 85 < high < 90  # data 70-83 and target 85: not 0-100
    assert f"axis {low:,.0f}% to {high:,.0f}%" in fig.layout.title.text
    assert len(json.loads(fig.to_json())["layout"]["xaxis"]["tickvals"]) <= axes.MAX_TICKS


def test_direct_labels_never_print_over_each_other(charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    fig, _ = charts.trend_chart(
        rows(["2025-26 Q1", "2025-26 Q2"], [60.0, 61.0], england=[60.5, 61.1]),
        ind,
        "Wrenfield Council (demo)",
        "t",
    )
    layout = json.loads(fig.to_json())["layout"]
    low, high = layout["yaxis"]["range"]
    ends = sorted(
        a["y"] for a in layout["annotations"] if a.get("xanchor") == "left" and "<b>" in a["text"]
    )
    assert len(ends) == 2 and ends[1] - ends[0] >= axes.LABEL_GAP * (high - low) - 1e-9
    assert any(
        "Wrenfield" in a["text"] and "(demo)" not in a["text"] for a in layout["annotations"]
    )


def test_tables_lead_with_the_status_and_latest_figure(demo_store, charter):
    from metrics.assess.rollup import charter_status
    from metrics.periods.text import parse_period

    statement = charter_status(demo_store, charter, parse_period("2026-27 Q2"))[4]
    table = cards.indicator_rows(statement.indicators, charter)
    assert list(table[0])[:3] == ["Status", "Latest", "Indicator"]


@pytest.mark.parametrize(
    ("kind", "position"),
    [("h", "top left"), ("h", "top right"), ("v", "top right"), ("v", "bottom left")],
)
def test_lines_across_the_plot_are_written_as_plotly_writes_them(kind, position):
    """Charts are written as plain data (ui/figspec.py) for speed; a target or England line
    must come out exactly as Plotly's own add_hline / add_vline would draw it."""
    import plotly.graph_objects as go

    from ui.figspec import Spec

    line, font = {"color": "#009E73", "dash": "dashdot", "width": 2}, {"color": "#00684A"}
    theirs = go.Figure(go.Scatter(x=[0, 1, 2], y=[40, 50, 60]))
    ours = Spec({"type": "scatter", "x": [0, 1, 2], "y": [40, 50, 60]})
    if kind == "h":
        theirs.add_hline(
            y=55, line=line, annotation_text="Target 55%", annotation_position=position,
            annotation_font=font,
        )  # fmt: skip
        ours.hline(55, line, "Target 55%", position, font=font)
    else:
        theirs.add_vline(
            x=1, line=line, annotation_text="Reported", annotation_position=position,
            annotation_font=font,
        )  # fmt: skip
        ours.vline(1, line, "Reported", position, font=font)
    assert untemplated(ours.figure().to_dict()) == untemplated(theirs.to_dict())


def test_a_finished_chart_is_turned_into_a_dict_once_and_the_same_as_plotlys():
    """st.plotly_chart asks for the dict in every run; a cached chart gives the one it made
    (ui/figspec.py `Drawn`), equal to what Plotly itself makes of the same figure."""
    import plotly.graph_objects as go
    import plotly.io

    from ui.figspec import Spec

    ours = Spec({"type": "scatter", "x": [0, 1, 2], "y": [40, 50, 60]})
    ours.hline(55, {"color": "black"}, "Target 55%", "top left")
    fig = ours.figure()
    first = fig.to_dict()
    assert fig.to_dict() is first
    plotlys = go.Figure({"data": ours.data, "layout": ours.layout})
    assert untemplated(first) == untemplated(plotlys.to_dict())
    assert json.loads(plotly.io.to_json(fig, validate=False)) == plotlys_with_template_of(
        first, plotlys
    )


def untemplated(fig: dict) -> dict:  # type: ignore[type-arg]
    """A figure's dict without its template (the template is compared on its own, below)."""
    return {**fig, "layout": {k: v for k, v in fig["layout"].items() if k != "template"}}


def plotlys_with_template_of(ours: dict, plotlys: object) -> dict:  # type: ignore[type-arg]
    """Plotly's JSON of its own figure, with our figure's template in place of its own."""
    import plotly.io

    made = json.loads(plotly.io.to_json(plotlys, validate=False))
    made["layout"]["template"] = ours["layout"]["template"]
    return made


def test_a_chart_carries_the_templates_defaults_for_the_kinds_of_trace_it_draws_only():
    """Every chart's JSON is sent in every run: the default template's defaults for kinds
    of trace the chart does not draw (heat maps, tables, ...: 2 KB of 3.7) are left out;
    those for the kinds it draws, and the template's layout, are Plotly's own."""
    import plotly.graph_objects as go

    from ui.figspec import Spec

    ours = Spec({"type": "scatter", "x": [0, 1], "y": [1, 2]}, {"type": "bar", "x": [0], "y": [3]})
    kept = ours.figure().to_dict()["layout"]["template"]
    default = go.Figure().to_dict()["layout"]["template"]
    assert set(default["data"]) - {"scatter", "bar"}, "the default template has other kinds"
    assert kept["data"] == {k: v for k, v in default["data"].items() if k in ("scatter", "bar")}
    assert kept["layout"] == default["layout"]
    assert len(json.dumps(kept)) < len(json.dumps(default)) / 2
