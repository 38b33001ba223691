"""Where a measure is heading, on the indicator page: the projection if nothing changes (a
dashed line with its likely range, never drawn as a figure), the target in force for each
period (the chair's trajectory where one is set) and, for the chair, the form that sets the
trajectory. Every label and table row says "projection"."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

import ui
from charter import Indicator
from metrics import text_limits
from metrics.access import CHAIR
from metrics.assess import trajectory
from metrics.assess.target import fmt_target_value
from metrics.publish import outlook
from metrics.publish.escape import markdown
from metrics.words.narrative import fmt_value
from ui import axes, charts, forms, style
from ui.figspec import Spec
from ui.review_view import attempt

STEPS, REASON, FORM = "trajectory_steps", "trajectory_reason", "trajectory"
CHAIRS = frozenset({CHAIR})


def chart(found: outlook.Outlook, ind: Indicator) -> tuple[go.Figure, str, list[dict[str, Any]]]:
    """The projection and its likely range, with the target for each projected period."""
    f = found.forecast
    periods = [p.period for p in f.points]
    fig = Spec()
    xs = axes.period_axis(fig, periods)
    hover = "%{customdata}: %{y}<extra>%{fullData.name}</extra>"
    band = [p.high for p in f.points] + [p.low for p in f.points][::-1]
    fig.add({"type": "scatter", "x": xs + xs[::-1], "y": band, "fill": "toself",
             "name": "Likely range", "line": {"width": 0}, "hoverinfo": "skip",
             "fillcolor": "rgba(0,114,178,0.15)"})  # fmt: skip
    fig.add({"type": "scatter", "x": xs, "y": [p.central for p in f.points],
             "name": "Projection", "mode": "lines+markers", "customdata": periods,
             "line": {"color": style.OURS, "dash": "dash", "width": 3},
             "marker": {"symbol": "circle-open", "size": 10}, "hovertemplate": hover})  # fmt: skip
    if any(t is not None for t in found.targets):
        fig.add({"type": "scatter", "x": xs, "y": list(found.targets), "name": "Target",
                 "mode": "lines", "customdata": periods, "hovertemplate": hover,
                 "line": {"color": style.TARGET, "dash": "dashdot", "width": 2,
                          "shape": "hv"}})  # fmt: skip
    charts.house_layout(
        fig,
        f"{ind.title}: projection if nothing changes",
        # Short: a subtitle line of 60 characters with the periods' digits in it ran past a
        # phone's 390 px (tests/browser/test_phone.py); the periods are on the axis.
        "Projection, not a figure, with its likely range (80%). Dash-dot: the target.",
        "our figures, projected (statsmodels)",  # short: one line on a phone
    )
    fig.xaxis(type="linear")
    rows = [
        {"Period": p.period, "Kind": "Projection", "Projected": fmt_value(p.central, ind),
         "Likely from": fmt_value(p.low, ind), "Likely to": fmt_value(p.high, ind),
         "Target": fmt_target_value(ind, t)}
        for p, t in zip(f.points, found.targets, strict=True)
    ]  # fmt: skip
    return fig.figure(), f"Projection, not a figure. {found.words}", rows


def section(ind: Indicator, quarter: str | None) -> None:
    st.subheader("Where we are heading (a projection)")
    found = ui.outlook(ind.id, quarter)
    st.markdown(markdown(found.words))
    if found.forecast.made:
        st.caption(markdown(outlook.method_words(ind, found.forecast)))
        fig, alt, rows = ui.figure(
            "outlook",
            ind.id,
            quarter,
            build=lambda: chart(found, ind),
            data=ui.indicator_key(ind.id),
        )
        charts.chart_with_table(
            fig,
            alt,
            rows,
            f"{ind.id}-projection.csv",
            "outlook",
            found.rows(),
            about="where we are heading (a projection)",
        )
    steps = ui.trajectories().get(ind.id)
    if steps is not None:
        st.markdown(f"**Trajectory set by the chair:** {markdown(steps.words(ind))}.")
    if CHAIR in ui.user().roles:
        trajectory_form(ind)


def trajectory_form(ind: Indicator) -> None:
    """The chair sets stepped yearly targets to a goal ("2026-27: 75, 2027-28: 80"), or
    withdraws them (an empty box), with a reason; refused plainly when a step is wrong."""
    forms.said(FORM)
    with st.expander("Chair: set a trajectory"), st.form(FORM):
        text = forms.text_box(
            "Yearly targets to the goal, e.g. 2026-27: 75, 2027-28: 80 (empty: withdraw)",
            key=STEPS,
            max_chars=text_limits.TITLE,
        )
        reason = forms.text_box(
            "Why (required)", key=REASON, required=True, max_chars=text_limits.REASON
        )
        if not st.form_submit_button("Save the trajectory") or forms.refused(reason):
            return
    try:
        steps = parse_steps(text.value)
    except ValueError as err:
        text.refuse(err)
        return
    done = attempt(
        CHAIRS,
        "set a trajectory",
        lambda person: trajectory.save(
            ui.store(), ui.charter(), person, ind.id, steps, reason.value
        ),
    )
    if done is not None:
        forms.saved(FORM, "Trajectory saved.", clear=(STEPS, REASON))


def parse_steps(text: str) -> dict[str, float]:
    """ "2026-27: 75, 2027-28: 80" as {year: target}; a clear error otherwise."""
    steps: dict[str, float] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        year, sep, value = part.partition(":")
        try:
            steps[year.strip()] = float(value.strip().rstrip("%"))
        except ValueError:
            raise ValueError(f"{part!r} is not 'year: target' (for example 2026-27: 75).") from None
        if not sep:
            raise ValueError(f"{part!r} is not 'year: target' (for example 2026-27: 75).")
    return steps
