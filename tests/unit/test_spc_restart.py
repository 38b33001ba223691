"""No SPC verdict from fewer figures than the rules need since a restart (issue 27, item 6):
one figure after `rebase` gives zero-wide limits, never "consistently failing"."""

from __future__ import annotations

from metrics.assess.spc import xmr
from metrics.assess.status import Point, indicator_status
from metrics.periods.text import parse_period
from metrics.words.narrative import fmt_value
from ui.spc_charts import spc_alt, spc_table


def quarters(n: int, start: str = "2023-24 Q1") -> list[str]:
    first = parse_period(start)
    return [first.shift(i).label for i in range(n)]


def test_one_figure_after_a_restart_gives_no_verdict():
    periods = quarters(9)
    values = [50, 52, 51, 53, 52, 51, 52, 50, 40]
    result = xmr(periods, values, "higher", target=70, rebase=[periods[-1]])
    assert result.lower_limit == result.upper_limit == 40  # one point: zero-wide limits
    assert result.since_restart == 1 and result.too_few_since_restart
    assert result.no_verdict() == "too few figures since the restart (1 of 6)"
    shown = result.as_json()
    assert shown["variation"] is None and shown["assurance"] is None
    six = xmr(
        quarters(14), [50] * 8 + [40, 41, 40, 42, 41, 40], "higher", 70, rebase=[quarters(14)[8]]
    )
    assert six.since_restart == 6 and six.no_verdict() is None and six.assurance == "fail"


def test_the_status_says_too_few_figures_since_the_restart(charter):
    periods = quarters(9)
    ind = charter.indicators["ehcp-issued-20-weeks"].model_copy(update={"rebase": [periods[-1]]})
    values = [50, 52, 51, 53, 52, 51, 52, 50, 40]
    points = [Point(p, v, None, "final", False) for p, v in zip(periods, values, strict=True)]
    s = indicator_status(ind, points, parse_period(periods[-1]))
    assert s.assurance is None and s.variation is None
    assert "consistently failing" not in s.reason
    assert "No SPC verdict: too few figures since the restart (1 of 6)." in s.reason
    assert s.status == "off_track"  # the figure against the target still counts


def test_the_chart_text_says_no_verdict(charter):
    periods = quarters(9)
    result = xmr(periods, [50, 52, 51, 53, 52, 51, 52, 50, 40], "higher", 70, rebase=periods[-2:-1])
    assert result.since_restart == 2
    alt = spc_alt(result, charter.indicators["ehcp-issued-20-weeks"])
    assert "No verdict yet: too few figures since the restart (2 of 6)." in alt
    assert "No special causes" not in alt


def test_the_chart_text_and_table_give_every_phases_limits(charter):
    """A restarted chart draws each phase's centre line and limits: its alt text and its
    table say each, not only the last phase's."""
    periods = quarters(16)
    values = [50, 52, 51, 53, 52, 51, 52, 50, 40, 41, 40, 42, 41, 40, 41, 40]
    result = xmr(periods, values, "higher", 70, rebase=[periods[8]])
    ind = charter.indicators["ehcp-issued-20-weeks"]
    alt = spc_alt(result, ind)
    assert "limits restarted, 2 phases" in alt
    for n, (first, last) in enumerate(((0, 7), (8, 15)), 1):
        drawn = result.points[first]  # the limits the chart draws over this phase
        said = (
            f"phase {n}, {periods[first]} to {periods[last]}, mean {fmt_value(drawn.mean, ind)}, "
            f"process limits {fmt_value(drawn.lower_limit, ind)} to "
            f"{fmt_value(drawn.upper_limit, ind)} (trial limits)"
        )
        assert said in alt
    assert result.points[0].mean != result.points[8].mean
    table = spc_table(result, ind)
    assert [row["Phase"] for row in table] == [f"1 of 2, from {periods[0]}"] * 8 + [
        f"2 of 2, from {periods[8]}"
    ] * 8
    assert {row["Mean"] for row in table[:8]} == {fmt_value(result.points[0].mean, ind)}
    assert {row["Mean"] for row in table[8:]} == {fmt_value(result.points[8].mean, ind)}


def test_one_phase_is_said_as_before(charter):
    periods = quarters(9)
    result = xmr(periods, [50, 52, 51, 53, 52, 51, 52, 50, 51], "higher", 70)
    ind = charter.indicators["ehcp-issued-20-weeks"]
    assert f"mean {fmt_value(result.mean, ind)}, process limits" in spc_alt(result, ind)
    assert "Phase" not in spc_table(result, ind)[0]
