"""Status, first version: RAG through polarity and tolerance, the states that are never green,
direction of travel, the statement roll-up and the reason sentences."""

from __future__ import annotations

import pytest

from charter import Statement
from metrics.assess.rollup import charter_status, rollup
from metrics.assess.status import IndicatorStatus, Point, indicator_status
from metrics.periods.text import parse_period

Q = parse_period("2026-27 Q2")


def ind(charter, ident="ehcp-issued-20-weeks", **changes):
    return charter.indicators[ident].model_copy(update=changes)


def pts(*pairs, status="final"):
    return [Point(p, v, None, status, False) for p, v in pairs]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (70.0, "on_track"),
        (75.0, "on_track"),
        (66.0, "at_risk"),
        (65.0, "at_risk"),
        (64.9, "off_track"),
    ],
)
def test_higher_is_better_with_tolerance(charter, value, expected):
    s = indicator_status(ind(charter, target=70, tolerance=5), pts(("2026-27 Q2", value)), Q)
    assert s.status == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(18.0, "on_track"), (12.0, "on_track"), (22.0, "at_risk"), (22.1, "off_track")],
)
def test_lower_is_better(charter, value, expected):
    wait = ind(charter, "autism-assessment-median-wait", target=18, tolerance=4)
    assert indicator_status(wait, pts(("2026-27 Q2", value)), Q).status == expected


def test_no_tolerance_means_no_at_risk_band(charter):
    s = indicator_status(ind(charter, target=70, tolerance=None), pts(("2026-27 Q2", 69.9)), Q)
    assert s.status == "off_track"


def test_context_indicator_is_never_green(charter):
    s = indicator_status(
        ind(charter, "disabled-children-known-rate"),
        pts(("2026-27 Q1", 400.0), ("2026-27 Q2", 410.0)),
        Q,
    )
    assert s.status == "no_target"
    assert s.direction == "increased"
    assert s.reason.startswith("No target: 410.0 per 10,000 in 2026-27 Q2 (context). Higher than")


def test_missing_latest_quarter_is_no_recent_data(charter):
    s = indicator_status(ind(charter), pts(("2026-27 Q1", 80.0)), Q)
    assert s.status == "no_recent_data"
    assert s.reason == (
        "No recent data: the latest figure is for 2026-27 Q1, but 2026-27 Q2 is due."
    )
    assert indicator_status(ind(charter), [], Q).reason.endswith(
        "no figures have been supplied yet."
    )


def test_a_symbol_is_not_a_figure(charter):
    s = indicator_status(ind(charter), [Point("2026-27 Q2", None, "c", "final", False)], Q)
    assert s.status == "no_recent_data" and "[c]" in s.reason


def test_annual_indicators_may_lag_one_year(charter):
    plans = ind(charter, "ehcp-personal-budget")  # calendar years; due at 2026-27 Q2: 2025
    assert indicator_status(plans, pts(("2024", 9.0)), Q).status == "on_track"
    assert indicator_status(plans, pts(("2023", 9.0)), Q).status == "no_recent_data"


def test_direction_against_last_quarter_and_last_year_through_polarity(charter):
    points = pts(("2025-26 Q2", 60.0), ("2026-27 Q1", 72.0), ("2026-27 Q2", 71.0))
    s = indicator_status(ind(charter, target=70, tolerance=5), points, Q)
    assert (s.direction, s.direction_year) == ("worsening", "improving")
    assert s.change == pytest.approx(-1.0)
    wait = ind(charter, "autism-assessment-median-wait")
    s = indicator_status(wait, pts(("2026-27 Q1", 20.0), ("2026-27 Q2", 19.0)), Q)
    assert s.direction == "improving"  # a shorter wait is better
    s = indicator_status(ind(charter), pts(("2026-27 Q1", 71.04), ("2026-27 Q2", 70.96)), Q)
    assert s.direction == "no_change"  # the same at one decimal place


def test_reason_sentence(charter):
    points = pts(("2026-27 Q1", 55.0), ("2026-27 Q2", 52.0))
    s = indicator_status(ind(charter, target=70, tolerance=5), points, Q)
    assert (
        s.reason
        == "Off track: 52.0% in 2026-27 Q2 against a target of 70%. Worse than last quarter."
    )
    s = indicator_status(
        ind(charter, target=70, tolerance=5), pts(("2026-27 Q2", 67.0), status="provisional"), Q
    )
    assert s.reason == (
        "At risk: 67.0% (provisional) in 2026-27 Q2 against a target of 70%, "
        "within the tolerance of 5.0 percentage points."
    )


def fake(status):
    return IndicatorStatus(
        "x", "x", None, "q", None, None, "", None, status, None, None, None, False, False, ""
    )


STATEMENT = Statement(number=1, short_title="Test", title="A test statement here", theme="Test")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["on_track", "on_track", "on_track", "at_risk"], "on_track"),
        (["on_track", "on_track", "at_risk"], "at_risk"),
        (["on_track", "on_track", "on_track", "off_track"], "at_risk"),
        (["on_track", "off_track"], "off_track"),
        (["no_target", "no_recent_data"], "not_evidenced"),
        (["on_track", "no_recent_data", "no_target"], "on_track"),
    ],
)
def test_rollup_rule(charter, statuses, expected):
    result = rollup(STATEMENT, [fake(s) for s in statuses], charter)
    assert result.status == expected


def test_rollup_reason_counts(charter):
    result = rollup(
        STATEMENT, [fake(s) for s in ("on_track", "off_track", "no_recent_data")], charter
    )
    assert result.reason == (
        "Off track: 1 of 2 assessed indicators on track, 1 off track; 1 with no recent data."
    )
    assert (result.on_track, result.assessed, result.total) == (1, 2, 3)


def test_demo_status_shows_every_state(demo_store, charter):
    statements = charter_status(demo_store, charter, Q)
    assert [s.number for s in statements] == list(range(1, 13))
    seen = {i.status for s in statements for i in s.indicators}
    assert {"on_track", "at_risk", "off_track", "no_target", "no_recent_data"} <= seen
    statuses = {s.status for s in statements}
    assert {"on_track", "at_risk", "off_track"} <= statuses


def test_a_sustained_shift_suggests_where_to_restart_the_limits(charter):
    """After a step change the old limits make an on-track figure 'consistently failing':
    the reason names the process change and the rebase period instead."""
    before = [70.0, 71.0, 69.5, 70.5, 70.0, 69.0, 71.5, 70.0, 70.5]
    after = [86.0, 87.0, 86.5, 87.5, 86.0, 88.0, 88.1]
    quarters = [Q.shift(k - len(before) - len(after) + 1) for k in range(len(before + after))]
    values = before + after
    points = [
        Point(q.label, v, None, "final", False) for q, v in zip(quarters, values, strict=True)
    ]
    s = indicator_status(ind(charter, target=85, tolerance=5, rebase=[]), points, Q)
    assert s.status == "on_track"
    assert "consistently failing" not in s.reason
    start = quarters[len(before)].label
    assert f"The process changed in {start}" in s.reason
    assert f"rebase: ['{start}']" in s.reason
    assert ";" not in s.reason.split(". ")[0]  # the first sentence is one short statement


def test_an_arrow_against_the_spc_verdict_is_explained(charter):
    values = [60.0, 61.0, 59.0, 60.5, 60.0, 59.5, 60.0, 66.0, 67.0, 66.5, 67.5, 66.0, 67.0, 66.5]
    quarters = [Q.shift(k - len(values) + 1) for k in range(len(values))]
    points = [
        Point(q.label, v, None, "final", False) for q, v in zip(quarters, values, strict=True)
    ]
    s = indicator_status(ind(charter, target=70, tolerance=5, rebase=[]), points, Q)
    assert s.direction == "worsening" and s.variation == "improvement"
    assert "does not undo the SPC signal" in s.reason


def test_a_status_is_worked_out_again_whenever_anything_it_depends_on_changes(charter):
    """Statuses are remembered between pages (metrics/assess/status.py, _KNOWN): an answer may be
    reused only for the same indicator, figures, quarter and comparators, and each caller
    gets a copy of its own."""
    from dataclasses import replace

    i = charter.indicators["ehcp-issued-20-weeks"]
    points = pts(
        *[(f"{y}-{(y + 1) % 100:02d} Q{q}", 60.0 + q) for y in (2025, 2026) for q in (1, 2)][:6]
    )
    areas = {"2026-27 Q2": {"E92000001": 55.0}}
    first = indicator_status(i, points, Q, charter, areas)
    again = indicator_status(i, points, Q, charter, areas)
    assert again == first and again is not first
    again.reason = "changed by a caller"
    assert indicator_status(i, points, Q, charter, areas).reason == first.reason
    revised = [*points[:-1], replace(points[-1], value=40.0)]
    assert indicator_status(i, revised, Q, charter, areas).value == 40.0
    england = {"2026-27 Q2": {"E92000001": 70.0}}
    found = indicator_status(i, points, Q, charter, england)
    assert found.benchmark is not None and found.benchmark.england == 70.0
    assert indicator_status(i, points, Q.previous(), charter, areas).period == "2026-27 Q1"
    other = ind(charter, target=10.0)  # another charter's indicator of the same name
    assert indicator_status(other, points, Q, charter, areas).status == "on_track"
    assert first.status != "on_track"
