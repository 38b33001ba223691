"""No SPC verdict from fewer figures than the rules need since a restart (issue 27, item 6):
one figure after `rebase` gives zero-wide limits, never "consistently failing"."""

from __future__ import annotations

from metrics.assess.spc import xmr
from metrics.assess.status import Point, indicator_status
from metrics.periods.text import parse_period
from ui.spc_charts import spc_alt


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
