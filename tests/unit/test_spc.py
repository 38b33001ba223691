"""SPC, rule by rule, with hand-worked numbers (see metrics/assess/spc.py for the rules)."""

from __future__ import annotations

import pytest

from metrics.assess.spc import SpcPoint, apply_rules, assurance, moving_range_mean, p_chart, xmr


def labels(n: int) -> list[str]:
    return [f"p{i}" for i in range(n)]


def points(values, mean=0.0, mr=1.0):
    return [
        SpcPoint(f"p{i}", v, mean, mean - 2.66 * mr, mean + 2.66 * mr) for i, v in enumerate(values)
    ]


def flags(pts):
    return [(p.rule, p.special_cause) if p.rule else None for p in pts]


def test_limits_by_hand():
    result = xmr(labels(5), [10, 12, 11, 13, 12], "higher")
    # mean 11.6; moving ranges 2, 1, 2, 1 -> MRbar 1.5; limits 11.6 -/+ 2.66 x 1.5
    assert result.mean == pytest.approx(11.6)
    assert result.upper_limit == pytest.approx(15.59)
    assert result.lower_limit == pytest.approx(7.61)
    assert result.trial_limits  # 5 points < 12
    assert result.variation == "common_cause"


def test_twelve_points_are_not_trial_limits():
    assert not xmr(labels(12), [10, 11] * 6, "higher").trial_limits


def test_astronomical_point_and_polarity():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    # mean 145/12 = 12.083; MRbar = 30/11 = 2.727; upper limit 19.338: 30 is beyond it
    result = xmr(labels(12), values, "higher")
    assert result.upper_limit == pytest.approx(145 / 12 + 2.66 * 30 / 11)
    assert (result.points[-1].rule, result.points[-1].special_cause) == (
        "astronomical",
        "improvement",
    )
    assert result.variation == "improvement"
    assert xmr(labels(12), values, "lower").variation == "concern"
    assert xmr(labels(12), values, "neutral").variation == "neutral"
    # the 11 points before are all below the mean: a shift, by rule 4
    assert all(p.rule == "shift" and p.special_cause == "concern" for p in result.points[:-1])


def test_astronomical_takes_precedence_over_a_trend():
    pts = points([-1, -0.5, 0, 0.5, 1, 1.5, 3.0], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 7)
    assert flags(pts)[-1] == ("astronomical", "improvement")
    assert [f[0] for f in flags(pts)[:-1]] == ["trend"] * 6


def test_trend_of_seven_flags_every_point():
    pts = points([-2, -1.5, -1, -0.5, 0.1, 0.2, 0.3, 0.2], mean=0, mr=1)
    apply_rules(pts, "lower", [1] * 8)
    assert [f and f[0] for f in flags(pts)] == ["trend"] * 7 + [None]
    assert flags(pts)[0] == ("trend", "concern")  # rising when lower is better


def test_six_rising_points_are_not_a_trend_and_ties_break_it():
    pts = points([-1, -0.5, 0, 0.5, 1, 1.5], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 6)
    assert flags(pts) == [None] * 6
    pts = points([-1, -0.5, 0, 0, 0.5, 1, 1.5, 2], mean=0, mr=1)  # the tie splits the run
    apply_rules(pts, "higher", [1] * 8)
    assert flags(pts) == [None] * 8


def test_a_falling_trend_may_cross_the_mean():
    pts = points([1.5, 1, 0.5, 0.1, -0.2, -0.6, -1], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 7)
    assert flags(pts) == [("trend", "concern")] * 7


def test_two_of_three_flags_only_the_outer_third_points():
    # mean 0, MRbar 1: the outer third starts at 1.773, the limit is 2.66
    pts = points([2, 0.5, 2], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 3)
    assert flags(pts) == [("two_of_three", "improvement"), None, ("two_of_three", "improvement")]


def test_two_of_three_needs_all_three_on_one_side():
    pts = points([2, -0.5, 2], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 3)
    assert flags(pts) == [None] * 3
    pts = points([-2, -1.9, -0.1], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 3)
    assert flags(pts) == [("two_of_three", "concern")] * 2 + [None]


def test_shift_of_seven_and_a_point_on_the_mean_breaks_it():
    pts = points([0.5] * 7, mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 7)
    assert flags(pts) == [("shift", "improvement")] * 7
    pts = points([0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0.5], mean=0, mr=1)
    apply_rules(pts, "higher", [1] * 8)
    assert flags(pts) == [None] * 8


def test_a_constant_series_does_not_crash():
    result = xmr(labels(12), [5.0] * 12, "higher", target=5.0)
    assert (result.mean, result.lower_limit, result.upper_limit) == (5.0, 5.0, 5.0)
    assert all(p.rule is None for p in result.points)
    assert result.variation == "common_cause" and result.assurance == "hit_or_miss"


def test_fixed_baseline_limits_apply_to_the_whole_series():
    values = [10, 12, 11, 13, 12, 20, 21, 22]
    result = xmr(labels(8), values, "higher", baseline=5)
    assert result.mean == pytest.approx(11.6) and result.upper_limit == pytest.approx(15.59)
    assert [p.rule for p in result.points[5:]] == ["astronomical"] * 3


def test_rebasing_starts_new_limits():
    values = [10, 11, 10, 11, 30, 31, 30, 31]
    result = xmr(labels(8), values, "higher", rebase=["p4"])
    assert result.points[0].mean == pytest.approx(10.5)
    assert result.points[4].mean == pytest.approx(30.5) and result.mean == pytest.approx(30.5)
    assert all(p.rule is None for p in result.points)


def test_outlier_screening_of_moving_ranges():
    values = [10, 11, 10, 11, 10, 30]
    assert moving_range_mean(values) == pytest.approx(24 / 5)
    # 20 >= 3.267 x 4.8 = 15.68: dropped, MRbar recomputed from the four ranges of 1
    assert moving_range_mean(values, screen=True) == pytest.approx(1.0)
    assert xmr(labels(6), values, "higher", screen_outliers=True).upper_limit == pytest.approx(
        sum(values) / 6 + 2.66
    )


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        (20, "higher", "fail"),
        (5, "higher", "pass"),
        (12, "higher", "hit_or_miss"),
        (20, "lower", "pass"),
        (5, "lower", "fail"),
        (12, "lower", "hit_or_miss"),
        (None, "higher", None),
        (12, "neutral", None),
    ],
)
def test_assurance(target, polarity, expected):
    assert assurance(target, 8.0, 16.0, polarity) == expected


def test_p_chart_limits_by_hand():
    nums, dens = [20, 30, 25], [100, 100, 50]
    result = p_chart(labels(3), nums, dens, "higher", target=40)
    # p = 75/250 = 0.3; for n = 100, sd = sqrt(0.3 x 0.7 / 100) = 4.583 points
    assert result.mean == pytest.approx(30.0)
    assert result.points[0].upper_limit == pytest.approx(30 + 3 * 4.5826, abs=1e-3)
    assert result.points[2].upper_limit == pytest.approx(30 + 3 * 6.4807, abs=1e-3)  # n = 50
    assert result.points[2].value == pytest.approx(50.0)
    assert result.points[2].rule == "astronomical"
    assert result.chart == "p" and result.assurance == "hit_or_miss"


def test_empty_input_is_refused():
    with pytest.raises(ValueError):
        xmr([], [], "higher")


def test_the_outer_third_boundary_is_exactly_two_thirds_of_the_limit():
    from metrics.assess.spc import LIMIT, OUTER

    assert OUTER == 2 * LIMIT / 3
    # mean 0, MRbar 1: the outer third starts at 1.77333..., so 1.7731 (above the old rounded
    # boundary 1.773) is not in it and three such points are no special cause.
    points = [SpcPoint(f"p{i}", 1.7731, 0.0, -LIMIT, LIMIT) for i in range(3)]
    apply_rules(points, "higher", [1.0] * 3)
    assert [p.rule for p in points] == [None, None, None]
    beyond = [SpcPoint(f"p{i}", v, 0.0, -LIMIT, LIMIT) for i, v in enumerate([1.7734, 0.5, 3])]
    apply_rules(beyond, "higher", [1.0] * 3)
    # a point beyond the limits counts towards two-in-three too, as NHS England's tool does
    assert [p.rule for p in beyond] == ["two_of_three", None, "astronomical"]


def test_a_constant_series_is_common_cause():
    """Means are exact: a float sum made 99.7 x 12 average 99.70000000000003, so every point
    sat below the mean and a 'shift' was flagged."""
    result = xmr([f"p{i}" for i in range(12)], [99.7] * 12, "higher")
    assert result.mean == 99.7
    assert result.variation == "common_cause"
    assert all(p.special_cause == "none" for p in result.points)
