"""The views councils know from DfE's LAIT, on the indicator page: our council against
England, the region and the neighbours over time; a focus chart of every council in the
region or the neighbour group (ours highlighted, the others grey, each labelled); and every
council ranked with its quartile band. Each chart has its table twin and CSV, and says whose
neighbours and how old the published figures are (metrics/publish/compare.py)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charter import Indicator
from charter.models import UNIT_LABEL
from metrics.assess.benchmark import ordinal, rank_words
from metrics.publish import compare, withheld as disclosure
from metrics.publish.boundary import BEFORE as BEFORE, BoundaryChange
from metrics.publish.compare import Compared, CouncilFigure, focus
from metrics.publish.compare_year import YearCompared
from metrics.publish.escape import chart_text, markdown
from metrics.rounding import fmt_half_up
from metrics.words.narrative import fmt_value, signed_number
from ui import axes, charts, context, keys, lazy, reads, style
from ui.arrow_tables import arrow_of
from ui.figspec import Spec
from ui.shared_cache import shared

GREY = "#BDBDBD"
NEIGHBOURS = style.OKABE_ITO["purple"]
FORMER = "#595959"  # a council before a boundary change of ours: not ours (7:1 on white)
FOCUS = {"region": "Every council in our region", "neighbours": "Our neighbour group"}


@shared(max_entries=64)
def _compared(
    db: str, version: int, indicator: str, quarter: str | None, unseen: frozenset[str]
) -> Compared | None:
    c = context.charter()
    with reads.reading(db) as store:
        return compare.compared(store, c, c.indicators[indicator], quarter, unseen)


def compared(indicator: str, quarter: str | None = None) -> Compared | None:
    """The comparisons as known at `quarter` (only years ended by then), read once per
    version of the data (as every cached read); for a public reader, without our figure in
    the years it is withheld (withheld.not_compared)."""
    unseen = disclosure.not_compared(reads.withheld(indicator)) if reads.public() else frozenset()
    return _compared(*reads.indicator_key(indicator), indicator, quarter, unseen)


def section(ind: Indicator, found: Compared | None) -> None:
    """The three views, or nothing when the indicator has no published comparisons."""
    if found is None or found.latest is None:
        return
    st.subheader("Against England, the region and neighbours over time")
    notes = [markdown(found.source_words())] + [
        markdown(w) for w in (found.fictional, found.boundary and found.boundary.words()) if w
    ]
    st.caption("\n\n".join(notes))  # one element (Streamlit's cost is per element)
    # Both charts built once per version of the data (as every chart: ui/reads.py `figure`);
    # built in every run, Plotly's checks of each were a fifth of the page's own work (py-spy)
    fig, alt, rows = reads.figure(
        "over time",
        ind.id,
        found.quarter,
        build=lambda: (
            *over_time_chart(found.years, ind, found.quarter, found.boundary),
            over_time_table(found.years, ind, found.boundary),
        ),
        data=reads.indicator_key(ind.id),
    )
    charts.chart_with_table(
        fig,
        alt,
        rows,
        f"{ind.id}-over-time.csv",
        "over_time",
        about="against England, the region and neighbours over time",
    )
    st.subheader(f"Councils compared, {found.latest}")
    on = st.radio(
        "Show", list(FOCUS), format_func=FOCUS.__getitem__, horizontal=True, key=keys.FOCUS
    )
    total, latest = len(found.councils), found.latest  # a str here (returned above if None)

    def build_focus() -> tuple[go.Figure, str, list[dict[str, Any]]]:
        shown = focus(found, on)
        fig, alt = focus_chart(shown, ind, latest, FOCUS[on], found.when(latest))
        return fig, alt, councils_table(shown, ind, total)

    fig, alt, rows = reads.figure(
        "focus", ind.id, found.quarter, on, build=build_focus, data=reads.indicator_key(ind.id)
    )
    charts.chart_with_table(
        fig,
        alt,
        rows,
        f"{ind.id}-{on}.csv",
        f"focus_{on}",
        about=f"councils compared ({FOCUS[on].lower()})",
    )
    every_council = lazy.opened(
        f"Every council, {found.latest}: rank and quartile band", "all_councils_numbers"
    )
    if every_council is None:
        return
    with every_council:
        st.caption(markdown(found.source_words()))
        every = reads.figure(  # shared as the charts are, once a reader opens it
            "every council",
            ind.id,
            found.quarter,
            build=lambda: councils_table(found.councils, ind, total),
        )
        st.dataframe(arrow_of(every), hide_index=True, key="all_councils")


def over_time_chart(
    years: list[YearCompared],
    ind: Indicator,
    quarter: str | None = None,
    boundary: BoundaryChange | None = None,
) -> tuple[go.Figure, str]:
    """Ours, England, the region and the neighbour average, a line each, labelled at its end
    (direct labels, never a legend; dashes as well as colours); the councils before a
    boundary change of ours each a line of its own, never joined to ours."""
    periods = [y.period for y in years]
    fig = Spec()
    xs = axes.period_axis(fig, periods)
    labels: list[tuple[float, float, str, str]] = []
    shown: list[float | None] = []
    formers = [
        (chart_text(f.name), [f.figures.get(p) for p in periods], FORMER, "longdash")
        for f in (boundary.formers if boundary else ())
    ]
    for name, ys, colour, dash in (
        ("England", [y.england for y in years], style.ENGLAND, "dash"),
        ("Region", [y.region for y in years], style.REGION, "dot"),
        (
            years[-1].sub_region_name or "",
            [y.sub_region for y in years],
            style.SUB_REGION,
            style.SUB_REGION_DASH,  # (long dashes are a former council's)
        ),
        ("Neighbours", [y.neighbours for y in years], NEIGHBOURS, "dashdot"),
        *formers,
        ("Ours", [y.ours for y in years], style.OURS, "solid"),
    ):
        if all(v is None for v in ys):
            continue
        fig.add(
            {
                "type": "scatter", "x": xs, "y": ys, "name": name, "mode": "lines+markers",
                "line": {"color": colour, "dash": dash, "width": 3 if name == "Ours" else 2},
                "customdata": periods, "connectgaps": False,
                "hovertemplate": "%{customdata}: %{y}<extra>%{fullData.name}</extra>",
            }
        )  # fmt: skip
        shown += ys
        points = [(x, v) for x, v in zip(xs, ys, strict=True) if v is not None]
        labels.append((*points[-1], name, colour))
    low, high = axes.fitted_range(shown, ind.unit == "percent", False)
    fig.yaxis(range=[low, high], rangemode="normal")
    charts.end_labels(fig, labels, high - low)
    unit = UNIT_LABEL[ind.unit] or "count"
    charts.house_layout(
        fig,
        f"{ind.title}: ours, England, the region and neighbours",
        f"{unit}, {periods[0]} to {periods[-1]}",
        "DfE, published statistics",
    )
    fig.xaxis(type="linear")
    last = years[-1]
    said = last.in_words(ind)
    # (a line with no figures is not drawn, so not said)
    half_drawn = last.sub_region_name and any(y.sub_region is not None for y in years)
    half = f", {last.sub_region_name}" if half_drawn else ""
    alt = (
        f"Line chart of {ind.title} from {periods[0]} to {periods[-1]}: our council, England, "
        f"the region{half} and the neighbour average. In {last.period}: {said}."
        + (f" Published figures as known at {quarter}." if quarter else "")
        + (f" {boundary.words()}" if boundary else "")
    )
    return fig.figure(), alt


def over_time_table(
    years: list[YearCompared], ind: Indicator, boundary: BoundaryChange | None = None
) -> list[dict[str, Any]]:
    """The chart's table twin; with a column of the councils before a boundary change of
    ours (their figures, named), only where there was one; a London borough's half of
    London in a column after the region's (none for a council outside London)."""
    return [
        {
            "Year": y.period,
            "Ours": y.shown(ind, "–")[0],
            **({BEFORE: boundary.in_year(y.period, ind)} if boundary else {}),
            "Change from the year before": "–"
            if y.change is None
            else signed_number(y.change, ind.decimals),
            "England": y.shown(ind, "–")[1],
            "Region": y.shown(ind, "–")[2],
            **({y.sub_region_name: y.sub_region_shown(ind, "–")} if y.sub_region_name else {}),
            "Neighbour average": y.shown(ind, "–")[3],
            "Neighbours with a figure": y.neighbours_with_figure,
            "Rank": rank_words(y.rank, y.councils, y.tied) if y.rank else "–",
            "Quartile band": y.band or "–",
        }
        for y in years
    ]


def focus_chart(
    rows: list[CouncilFigure], ind: Indicator, period: str, title: str, when: str | None = None
) -> tuple[go.Figure, str]:
    """One horizontal bar a council, best at the top: ours in the house colour with its
    name in bold and "(ours)", the others grey; every bar labelled with its value."""
    names = [chart_text(f"{r.name} (ours)" if r.ours else r.name) for r in rows]
    fig = Spec(
        {
            "type": "bar", "orientation": "h", "y": names, "x": [r.value for r in rows],
            "marker": {"color": [style.OURS if r.ours else GREY for r in rows]},
            "text": [fmt_half_up(r.value, ind.decimals, False) for r in rows],
            "textposition": "outside", "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }
    )  # fmt: skip
    charts.house_layout(
        fig, f"{ind.title}: {title.lower()}", f"{UNIT_LABEL[ind.unit] or 'count'}, {period}",
        "DfE, published statistics", source_right=True,
    )  # fmt: skip
    fig.update(height=max(320, 26 * len(rows) + 220), hovermode="closest")
    fig.update(margin={"l": 10, "r": 40})  # the top: house_layout's, to hold the title
    fig.yaxis(  # every council named (no ticks skipped), ours in bold
        autorange="reversed", type="category", gridcolor="white", automargin=True,
        tickmode="array", tickvals=names, nticks=0,
        ticktext=[f"<b>{n}</b>" if r.ours else n for n, r in zip(names, rows, strict=True)],
    )  # fmt: skip
    fig.xaxis(type="linear", showgrid=True, gridcolor=style.GRID, nticks=4)
    ours = next((r for r in rows if r.ours), None)
    where = (
        f"Ours is {fmt_value(ours.value, ind)}, {ordinal(rows.index(ours) + 1)} of {len(rows)} here"
        if ours is not None
        else "Ours has no figure"
    )
    alt = (
        f"Bar chart of {ind.title} in {when or period} for {len(rows)} councils "
        f"({title.lower()}), "
        f"best first. {where}; ranks among all councils are in the table."
    )
    return fig.figure(), alt


def councils_table(rows: list[CouncilFigure], ind: Indicator, total: int) -> list[dict[str, Any]]:
    """Each council's figure, its rank among all `total` councils and its quartile band."""
    return [
        {
            "Council": f"{r.name} (ours)" if r.ours else r.name,
            "Value": fmt_value(r.value, ind),
            "Rank": rank_words(r.rank, total, r.tied) if r.rank else "–",
            "Quartile band": r.band or "–",
            "Our region": "yes" if r.in_region else "",
            "Neighbour": "yes" if r.neighbour else "",
        }
        for r in rows
    ]
