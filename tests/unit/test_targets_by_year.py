"""The target in force for each period, everywhere it is shown (issue 27, item 7): the demo's
annual reviews indicator has a standing target of 80% and 85% for 2026-27."""

from __future__ import annotations

from metrics.assess.rollup import charter_status
from metrics.assess.trend import trend, upto
from metrics.packs import exception_item, sections
from metrics.periods.text import parse_period
from metrics.publish.plain import figure_sentence
from ui.breakdown import breakdown_chart
from ui.cards import indicator_rows
from ui.charts import trend as trend_chart
from ui.spc_charts import spc_chart

IND = "annual-reviews-on-time"
Q2 = parse_period("2026-27 Q2")


def test_the_demo_has_a_per_year_target(charter):
    ind = charter.indicators[IND]
    assert ind.target == 80 and ind.targets == {"2026-27": 85}


def test_chart_table_and_csv_show_each_periods_target(demo_store, charter):
    ind = charter.indicators[IND]
    rows = upto(trend(demo_store, charter, ind), "2026-27 Q2")
    by_period = {r.period: r.target for r in rows}
    assert by_period["2025-26 Q4"] == 80 and by_period["2026-27 Q1"] == 85
    fig, alt, table, csv_rows = trend_chart(rows, ind, charter, "2026-27 Q2")
    shown = {r["Period"]: r["Target"] for r in table}
    assert shown["2025-26 Q4"] == "80%" and shown["2026-27 Q2"] == "85%"
    assert {r["period"]: r["target"] for r in csv_rows}["2026-27 Q2"] == 85
    step = next(t for t in fig.data if t.name == "Target")
    assert list(step.y)[-3:] == [80, 85, 85] and step.line.shape == "hv"
    assert "to 2025-26 Q4), 85% (2026-27 Q1 to 2026-27 Q2)." in alt


def test_cards_plain_english_and_breakdowns_use_the_years_target(demo_store, charter):
    ind = charter.indicators[IND]
    status = next(
        i for s in charter_status(demo_store, charter, Q2) for i in s.indicators if i.id == IND
    )
    assert status.target == 85
    (row,) = [r for r in indicator_rows([status], charter) if r["Indicator"] == ind.title]
    assert row["Target"] == "85%"
    assert "the aim is 85% or more" in figure_sentence(ind, status)
    fig, _ = breakdown_chart([], ind, "Locality", "2026-27 Q2")
    assert any("Target 85%" in (a.text or "") for a in fig.layout.annotations)


def test_spc_chart_labels_the_target_it_draws(demo_store, charter):
    from metrics.assess.trend import spc

    ind = charter.indicators[IND]
    rows = upto(trend(demo_store, charter, ind), "2026-27 Q2")
    result = spc(ind, rows)
    assert result is not None
    fig, _ = spc_chart(result, ind, 85.0)
    assert any("Target 85%" in (a.text or "") for a in fig.layout.annotations)


def test_packs_show_each_periods_aim(demo_store, charter):
    ind = charter.indicators[IND]
    rows = upto(trend(demo_store, charter, ind), "2026-27 Q2")
    chart = exception_item.trend_chart(rows, charter, IND, public=True)
    assert chart is not None
    aims = {r[0]: r[3] for r in chart.table.rows}
    assert aims["2025-26 Q4"] == "80%" and aims["2026-27 Q2"] == "85%"
    assert "85% (2026-27 Q1 to 2026-27 Q2)" in chart.alt
    assert "<polyline" in chart.svg and chart.svg.count('stroke-dasharray="8 3 2 3"') == 1
    from metrics.review import report

    built = report.build(demo_store, charter, "2026-27 Q2")
    table = sections.figures(built, charter, {}, public=False)
    aim_column = table.headers.index("Aim")
    (mine,) = [r for r in table.rows if r[1] == ind.title]
    assert mine[aim_column] == 85
