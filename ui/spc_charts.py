"""The SPC (Making Data Count) chart and the benchmark chart, in the house style: special
causes carry a letter as well as a colour, and every chart has alt text and a table."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from charter import Indicator
from charter.models import UNIT_LABEL
from metrics.assess.benchmark import rank_words, ranks
from metrics.assess.spc import SpcResult
from metrics.assess.target import Target, fmt_target_value
from metrics.assess.trend import AreaValue
from metrics.publish.escape import chart_text
from metrics.words.narrative import fmt_value
from ui import axes, style
from ui.charts import house_layout
from ui.figspec import Spec

# Making Data Count colours (blue improvement, orange concern, purple neutral, grey common),
# always with a letter too: I, C, N.
CAUSE = {
    "improvement": (style.OKABE_ITO["blue"], "I"),
    "concern": (style.OKABE_ITO["orange"], "C"),
    "neutral": (style.OKABE_ITO["purple"], "N"),
    "none": ("#7A7A7A", ""),
}
RULE_NAMES = {
    "astronomical": "beyond a limit",
    "trend": "trend",
    "two_of_three": "2 of 3 near a limit",
    "shift": "shift",
}


def spc_chart(result: SpcResult, ind: Indicator, target: float | None) -> tuple[go.Figure, str]:
    periods = [p.period for p in result.points]
    fig = Spec()
    xs = axes.period_axis(fig, periods)
    hover = "%{customdata}: %{y}<extra>%{fullData.name}</extra>"
    for name, key, dash in (
        ("Upper limit", "upper_limit", "dash"),
        ("Mean", "mean", "solid"),
        ("Lower limit", "lower_limit", "dash"),
    ):
        fig.add(
            {
                "type": "scatter",
                "x": xs,
                "y": [getattr(p, key) for p in result.points],
                "name": name,
                "customdata": periods,
                "hovertemplate": hover,
                "mode": "lines",
                "line": {"color": "#555555", "dash": dash, "width": 1.5, "shape": "hv"},
            }
        )
    fig.add(
        {
            "type": "scatter",
            "x": xs,
            "y": [p.value for p in result.points],
            "name": "Value",
            "customdata": periods,
            "hovertemplate": hover,
            "mode": "lines+markers+text",
            "line": {"color": "#9A9A9A", "width": 1.5},
            "marker": {"size": 11, "color": [CAUSE[p.special_cause][0] for p in result.points]},
            "text": [CAUSE[p.special_cause][1] for p in result.points],
            "textposition": "top center",
            "textfont": {
                "color": [
                    style.TEXT.get(CAUSE[p.special_cause][0], "#1F1F1F") for p in result.points
                ],
                "size": 13,
            },
        }
    )
    if target is not None:
        fig.hline(
            target,
            {"color": style.TARGET, "dash": "dashdot", "width": 2},
            f"Target {fmt_target_value(ind, target)}",
            "top left",
            font={"color": style.TEXT[style.TARGET]},
        )
    trial = " (trial limits)" if result.trial_limits else ""
    kind = "p-chart" if result.chart == "p" else "XmR chart"
    shown = [v for p in result.points for v in (p.value, p.lower_limit, p.upper_limit)]
    low, high = axes.fitted_range([*shown, target], ind.unit == "percent")
    words = axes.range_words(low, high, UNIT_LABEL[ind.unit])
    house_layout(
        fig,
        f"{ind.title}: SPC{trial}",
        f"{kind}, {UNIT_LABEL[ind.unit] or 'count'} ({words}). I = special cause improvement, "
        "C = concern, N = neither.",
        ind.source,
    )
    fig.xaxis(type="linear")
    fig.yaxis(range=[low, high], rangemode="normal")
    return fig.figure(), spc_alt(result, ind)


def spc_alt(result: SpcResult, ind: Indicator) -> str:
    flagged = [p for p in result.points if p.special_cause != "none"]
    text = (
        f"{'p-chart' if result.chart == 'p' else 'XmR chart'} of {ind.title}, "
        f"{result.points[0].period} to {result.points[-1].period}: {_limits_words(result, ind)}."
    )
    if (why := result.no_verdict()) is not None:
        text += f" No verdict yet: {why}."
    elif flagged:
        text += (
            " Special causes: "
            + "; ".join(
                f"{p.period} {p.special_cause} ({RULE_NAMES[p.rule or 'shift']})" for p in flagged
            )
            + "."
        )
    else:
        text += " No special causes: only common-cause variation."
    return text


def _limits_words(result: SpcResult, ind: Indicator) -> str:
    """The centre line and limits in words: of every phase when the limits were restarted (a
    screen reader heard only the last phase's, and the chart draws each)."""
    if len(result.phases) < 2:
        return (
            f"mean {fmt_value(result.mean, ind)}, process limits "
            f"{fmt_value(result.lower_limit, ind)} to {fmt_value(result.upper_limit, ind)}"
            f"{' (trial limits)' if result.trial_limits else ''}"
        )
    return f"limits restarted, {len(result.phases)} phases: " + "; ".join(
        f"phase {n}, {ph.first} to {ph.last}, mean {fmt_value(ph.mean, ind)}, process limits "
        f"{fmt_value(ph.lower_limit, ind)} to {fmt_value(ph.upper_limit, ind)}"
        f"{' (trial limits)' if ph.trial_limits else ''}"
        for n, ph in enumerate(result.phases, 1)
    )


def spc_table(result: SpcResult, ind: Indicator) -> list[dict[str, Any]]:
    """Each point with the centre line and limits it is judged against; after a restart, a
    Phase column says which phase (and so which limits) each row belongs to."""
    phase_of: list[dict[str, str]] = [{} for _ in result.points]
    if len(result.phases) > 1:
        starts = {ph.first: n for n, ph in enumerate(result.phases, 1)}
        n = 1
        for i, p in enumerate(result.points):  # each phase is a run of points, in order
            n = starts.get(p.period, n)
            phase_of[i] = {
                "Phase": f"{n} of {len(result.phases)}, from {result.phases[n - 1].first}"
            }
    return [
        {
            "Period": p.period,
            **phase_of[i],
            "Value": fmt_value(p.value, ind),
            "Mean": fmt_value(p.mean, ind),
            "Lower limit": fmt_value(p.lower_limit, ind),
            "Upper limit": fmt_value(p.upper_limit, ind),
            "Special cause": p.special_cause,
            "Rule": p.rule or "",
        }
        for i, p in enumerate(result.points)
    ]


def benchmark_chart(
    rows: list[AreaValue],
    ind: Indicator,
    period: str,
    council: str,
    england: float | None,
    names: dict[str, str] | None = None,
    ranked: bool = True,
    when: str | None = None,
) -> tuple[go.Figure, str]:
    """Every council best first, ours highlighted by colour and by a label. With `ranked`
    off (our council beside its region and England) no rank is given: a rank is among
    councils only. `when`: the period as the alt text says it ("published figures for
    2024, the latest at 2025-26 Q3")."""
    names = names or {}
    # Area names come from published files: shown as text, never as Plotly's HTML.
    labels = [chart_text(council if r.ours else names.get(r.area, r.area)) for r in rows]
    fig = Spec(
        {
            "type": "bar",
            "x": labels,
            "y": [r.value for r in rows],
            "marker": {"color": [style.OURS if r.ours else "#BDBDBD" for r in rows]},
        }
    )
    ours = next((i for i, r in enumerate(rows) if r.ours), None)
    position = ""  # "joint 1st of 152": ties take the lowest rank, as in the status and LAIT
    if ours is not None and ranked:
        rank = ranks([r.value for r in rows], Target.of(ind).polarity)
        position = rank_words(rank[ours], len(rows), rank.count(rank[ours]) > 1)
    if ours is not None:
        fig.annotate(
            x=labels[ours],
            y=rows[ours].value,
            text=f"<b>{chart_text(council)}</b>"
            + (f"<b>: {position} councils</b>" if position else ""),
            showarrow=True,
            arrowhead=2,
            font={"color": style.TEXT[style.OURS]},
        )
    if england is not None:
        fig.hline(
            england,
            {"color": style.ENGLAND, "dash": "dash"},
            f"England {fmt_value(england, ind)}",
            "top right",
        )
    house_layout(
        fig,
        f"{ind.title}: {'all councils' if len(rows) > 4 else 'comparators'}, best first",
        f"{UNIT_LABEL[ind.unit] or 'count'}, {period}",
        ind.benchmark or ind.source,
    )
    fig.xaxis(showticklabels=len(rows) <= 20)
    standing = (
        f"{council} is {position} councils"
        if position
        else "Not ranked: no other councils' figures are loaded"
    )
    alt = (
        f"Bar chart of {ind.title} for {len(rows)} areas in {when or period}, best first. "
        f"{standing}. "
        f"Best {fmt_value(rows[0].value, ind)}, worst {fmt_value(rows[-1].value, ind)}."
        + (f" England {fmt_value(england, ind)}." if england is not None else "")
    )
    return fig.figure(), alt


def benchmark_table(
    rows: list[AreaValue],
    ind: Indicator,
    council: str,
    names: dict[str, str] | None = None,
    ranked: bool = True,
) -> list[dict[str, Any]]:
    """Every area best first. Among councils (`ranked`), ties take the lowest rank and say
    so ("joint 1st of 152"), as the status does; otherwise the order only."""
    names = names or {}
    polarity = Target.of(ind).polarity
    rank = ranks([r.value for r in rows], polarity) if ranked else list(range(1, len(rows) + 1))
    return [
        {
            "Rank": rank[i],
            "Position": rank_words(rank[i], len(rows), rank.count(rank[i]) > 1) if ranked else "",
            "Area": council if r.ours else names.get(r.area, r.area),
            "Value": fmt_value(r.value, ind),
            "Ours": "Yes" if r.ours else "",
        }
        for i, r in enumerate(rows)
    ]
