"""Forecasts (issue 31): statsmodels' exponential smoothing chosen by a rolling-origin
back-test, intervals that cover held-out points at about their nominal rate, "too few
figures" where true, never a projection of a withheld figure for a public reader, and the
demo's real series."""

from __future__ import annotations

import numpy as np
import pytest

from metrics.assess import forecast as fc
from metrics.publish import outlook
from metrics.store.connection import Store

AHEAD = ["2027-28 Q1", "2027-28 Q2", "2027-28 Q3", "2027-28 Q4"]


def test_the_interval_covers_held_out_points_at_about_its_nominal_rate():
    """A known trend with noise, 25 times: the 80% interval must hold about 80% of the four
    points that followed (an uncalibrated ETS interval on 12 figures holds about 60%)."""
    rng = np.random.default_rng(20261202)
    inside = total = 0
    for _ in range(25):
        slope, level = rng.uniform(-2, 2), rng.uniform(40, 60)
        y = level + slope * np.arange(16) + rng.normal(0, 2, 16)
        found = fc.forecast(list(y[:12]), AHEAD)
        assert found.made and [p.kind for p in found.points] == [fc.PROJECTION] * 4
        for p, actual in zip(found.points, y[12:], strict=True):
            assert p.low <= p.central <= p.high
            inside += p.low <= actual <= p.high
            total += 1
    assert 0.68 <= inside / total <= 0.92, inside / total


def test_the_method_is_the_one_with_the_smallest_back_tested_error():
    rng = np.random.default_rng(7)
    trend = 50 + 2.5 * np.arange(14) + rng.normal(0, 1, 14)
    found = fc.forecast(list(trend), AHEAD)
    errors = {m.key: fc.backtest(trend, m, 4)[0] for m in fc.METHODS}
    assert found.method is not None and found.method.key == min(errors, key=errors.__getitem__)
    assert found.method.key == "holt"  # a steady rise: the trend model wins, as it should
    assert found.error == pytest.approx(errors["holt"])
    assert found.naive_error == pytest.approx(fc.backtest(trend, None, 4)[0])
    assert found.error < found.naive_error  # better than carrying the last figure forward
    assert found.origins == min(14 - fc.MIN_TRAIN, fc.MOST_ORIGINS)
    assert found.points[-1].central > trend[-1] + 5  # it carries on rising


def test_the_back_test_uses_the_prediction_mean_of_each_fit():
    """The back-test takes each fit's point forecast (no intervals: they cost more than the
    fit): the same numbers, to the last bit, as the mean of statsmodels' prediction."""
    rng = np.random.default_rng(34)
    for n in (9, 12, 15):
        y = 50 + np.cumsum(rng.normal(0, 2, n))
        for method in fc.METHODS:
            _, errors = fc.backtest(y, method, 4)
            expected: dict[int, list[float]] = {}
            for t in range(max(fc.MIN_TRAIN, n - fc.MOST_ORIGINS), n):
                ahead = min(4, n - t)
                frame = fc._fit(y[:t], method).get_prediction(start=t, end=t + ahead - 1)
                central = frame.summary_frame(alpha=0.2)["mean"].to_numpy(dtype=float)
                for h in range(ahead):
                    expected.setdefault(h + 1, []).append(abs(central[h] - y[t + h]))
            assert errors == expected


def test_too_few_figures_to_forecast():
    found = fc.forecast([50.0, 52, 51, 53, 54, 55, 56], AHEAD)
    assert not found.made and found.points == ()
    assert found.why_none == (
        "Too few figures to forecast: 7 figures in a row, and a forecast needs at least 8."
    )
    gap = fc.forecast([50.0, 52, 51, 53, 54, None, 55, 56, 57, 58, 59], AHEAD)
    assert not gap.made and gap.figures == 5  # never filled in across a missing figure
    assert fc.forecast([50.0 + k for k in range(8)], AHEAD).made


def test_a_percentage_is_never_projected_past_100():
    found = fc.forecast([80.0 + 2.5 * k for k in range(8)], AHEAD, (0.0, 100.0))
    assert found.made and all(0 <= p.low <= p.central <= p.high <= 100 for p in found.points)


def test_looks_one_to_eight_periods_ahead():
    with pytest.raises(ValueError, match="1 to 8 periods ahead"):
        fc.forecast([50.0 + k for k in range(10)], [f"p{k}" for k in range(9)])


def test_the_demos_real_series(demo_db, charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    found = outlook.build(Store(demo_db), charter, ind, "2026-27 Q2", public=False)
    f = found.forecast
    assert f.made and found.last == "2026-27 Q2" and f.figures == 16
    assert [p.period for p in f.points] == ["2026-27 Q3", "2026-27 Q4", "2027-28 Q1", "2027-28 Q2"]
    assert found.targets == (70.0, 70.0, 70.0, 70.0)
    assert found.words.startswith("On the current course, about ")
    assert "by 2027-28 Q2 (likely between " in found.words
    assert "; the target is 70%, which it would likely " in found.words
    assert found.words.endswith("This is a projection, not a figure.")
    rows = found.rows()
    assert all(r["kind"] == "projection" for r in rows) and rows[0]["target"] == 70.0
    assert found.as_json()["backtest_mae"] == f.error and f.error is not None and f.error > 0
    words = outlook.method_words(ind, f)
    assert "rolling origin" in words and "percentage points" in words


def test_an_annual_measure_with_five_years_has_too_few(demo_db, charter):
    ind = charter.indicators["ehcp-mainstream"]
    found = outlook.build(Store(demo_db), charter, ind, "2026-27 Q2", public=False)
    assert not found.forecast.made and found.words.startswith("Too few figures to forecast: 5")


def test_a_withheld_figure_is_never_forecast_for_a_public_reader(demo_db, charter):
    ind = charter.indicators["keyworker-complex-needs"]  # the demo withholds one of its figures
    public = outlook.build(Store(demo_db), charter, ind, "2026-27 Q2", public=True)
    assert not public.forecast.made and public.forecast.points == ()
    assert public.words == outlook.WITHHELD and public.rows() == []
    staff = outlook.build(Store(demo_db), charter, ind, "2026-27 Q2", public=False)
    assert staff.forecast.made  # staff see where the real figures are heading


def test_the_same_figures_are_forecast_once_per_process():
    """A page, the scorecard and each pack ask for the same forecasts; each costs some fifteen
    model fits, so the answer for the same figures is kept (a pure function of them)."""
    values = [50.0 + 1.5 * i + (i % 3) for i in range(12)]
    ahead = ["a", "b", "c", "d"]
    first = fc.forecast(values, ahead, (0.0, 100.0))
    assert fc.forecast(list(values), list(ahead), (0.0, 100.0)) is first
    assert fc.forecast(values, ahead[:2], (0.0, 100.0)) is not first  # other periods: its own
    changed = fc.forecast([*values[:-1], values[-1] + 5], ahead, (0.0, 100.0))
    assert changed is not first and changed.points != first.points
