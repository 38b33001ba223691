"""Charts in the house style. Every chart reaches the screen through `chart_with_table`, which
passes alt text and offers the same numbers as a table and a CSV download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charter import Charter, Indicator
from charter.models import UNIT_LABEL
from metrics.assess.target import Target, fmt_target_value
from metrics.assess.trend import TrendRow
from metrics.publish.escape import chart_text, markdown
from metrics.publish.tables import csv_bytes
from metrics.words.narrative import fmt_value
from ui import axes, downloads, lazy, style
from ui.arrow_tables import arrow_of
from ui.figspec import Spec
from ui.trend_tables import (  # the trend's alt text, table and CSV, as before
    period_targets as period_targets,
    publication_column as publication_column,
    trend_alt as trend_alt,
    trend_csv as trend_csv,
    trend_table as trend_table,
)

FONT = "Source Sans Pro, Arial, sans-serif"

# A download written on the click must not rerun the page: a rerun drops the file the
# browser is about to fetch (Streamlit makes a new one each run), and under load the fetch
# lost that race (seen in CI).
DOWNLOAD_ONLY = "ignore"


# The title's lines as Plotly draws them in the house font (title 16.8 px, subtitle <sup>),
# measured in Chromium: what the top margin must hold above the plot, with a gap below.
# Anchored at its top, a title's first line still rises FIRST_LINE_RISE above the anchor
# (Plotly places the line's baseline, not its top): the pad keeps it on the chart.
TITLE_PAD, FIRST_LINE_RISE, TITLE_LINE, SUBTITLE_LINE, TITLE_GAP = 30, 18, 26, 20, 16
TOP_MARGIN = 130  # the least: the charts' look where the title is short
HEIGHT = 450  # Plotly's own, with the least top margin


def title_room(title_lines: int, subtitle_lines: int) -> int:
    """The top margin a title of so many lines (and subtitle of so many) needs."""
    lines = TITLE_LINE * title_lines + SUBTITLE_LINE * subtitle_lines
    return max(TOP_MARGIN, TITLE_PAD - FIRST_LINE_RISE + lines + TITLE_GAP)


def house_layout(
    fig: Spec, title: str, subtitle: str, source: str, source_right: bool = False
) -> None:
    """Every chart's frame: its title and subtitle (wrapped for a phone), the source below,
    the house font, a white ground and a light grid. Public: a new chart uses it too.
    `source_right`: the source under the plot's right edge (a chart whose long axis labels
    push the plot right, where a source from its left edge ran off a phone's screen)."""
    title_lines, subtitle_lines = axes.wrap(title).split("<br>"), axes.wrap(subtitle, 60)
    top = title_room(len(title_lines), subtitle_lines.count("<br>") + 1)
    fig.update(
        title={
            "text": f"{'<br>'.join(title_lines)}<br><sup>{subtitle_lines}</sup>",
            "x": 0,
            "xanchor": "left",
            # From the top of the chart down, in a top margin tall enough for every line:
            # centred in a fixed margin, a title of three lines and a subtitle of two ran
            # down over the plot at 1280 px.
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD},
        },
        font={"family": FONT, "size": 14, "color": "#1F1F1F"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        margin={"l": 50, "r": 100, "t": top, "b": 80},
        height=HEIGHT + top - TOP_MARGIN,  # a taller title takes no room from the plot
        hovermode="x unified",
    )
    ticks = {"color": "#1F1F1F"}  # 16:1 on white: axis labels are text (WCAG 1.4.3)
    fig.xaxis(showgrid=False, linecolor="#555555", type="category", tickfont=ticks)
    fig.yaxis(gridcolor=style.GRID, zeroline=False, rangemode="tozero", nticks=6, tickfont=ticks)
    fig.annotate(
        text=f"Source: {source}",
        xref="paper",
        yref="paper",
        x=1 if source_right else 0,
        y=-0.3,
        showarrow=False,
        font={"size": 11, "color": "#555555"},
        xanchor="right" if source_right else "left",
    )


def end_labels(fig: Spec, labels: list[tuple[float, float, str, str]], span: float) -> None:
    """Direct labels at the last point of each line, instead of a legend, moved apart so that
    none prints over another: (x, y, text, colour) each."""
    placed = axes.dodge([y for _, y, _, _ in labels], span)
    for (x, _, text, colour), y in zip(labels, placed, strict=True):
        fig.annotate(
            x=x,
            y=y,
            text=f"<b>{chart_text(text)}</b>",
            showarrow=False,
            xanchor="left",
            xshift=8,
            font={"color": style.TEXT.get(colour, colour), "size": 12},
        )


def _last(xs: list[int], ys: Sequence[float | None]) -> tuple[float, float] | None:
    points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    return points[-1] if points else None


def trend_chart(
    rows: list[TrendRow], ind: Indicator, council: str, title: str, quarter: str | None = None
) -> tuple[go.Figure, str]:
    """Our figures with England and the region; `quarter`, the quarter being reported on, is
    marked at the figure it is assessed on (the last one drawn)."""
    periods = [r.period for r in rows]
    values = [r.value for r in rows]
    symbols = [
        "circle-open" if r.status == "provisional" else "diamond" if r.revised else "circle"
        for r in rows
    ]
    marks = ["P" if r.status == "provisional" else "R" if r.revised else "" for r in rows]
    fig = Spec()
    xs = axes.period_axis(fig, periods)
    hover = "%{customdata}: %{y}<extra>%{fullData.name}</extra>"
    labels: list[tuple[float, float, str, str]] = []
    shown: list[float | None] = list(values)
    for name, key, colour, dash in (
        ("England", "england", style.ENGLAND, "dash"),
        ("Region", "region", style.REGION, "dot"),
        (rows[-1].sub_region_name or "", "sub_region", style.SUB_REGION, style.SUB_REGION_DASH),
    ):
        ys = [getattr(r, key) for r in rows]
        if any(v is not None for v in ys):
            fig.add(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "name": name,
                    "mode": "lines",
                    "line": {"color": colour, "dash": dash, "width": 2},
                    "customdata": periods,
                    "hovertemplate": hover,
                }
            )
            shown += ys
            if (last := _last(xs, ys)) is not None:
                labels.append((*last, name, colour))
    fig.add(
        {
            "type": "scatter",
            "x": xs,
            "y": values,
            "name": council,
            "mode": "lines+markers+text",
            "line": {"color": style.OURS, "width": 3},
            "marker": {"symbol": symbols, "size": 10, "color": style.OURS},
            "text": marks,
            "textposition": "top center",
            "customdata": periods,
            "hovertemplate": hover,
        }
    )
    if (last := _last(xs, values)) is not None:
        labels.append((*last, axes.short_name(council), style.OURS))
    targets = period_targets(rows, ind) if Target.of(ind).has_better_side else []
    in_force = {t for t in targets if t is not None}
    if len(in_force) == 1:  # one target throughout: a line across
        (target,) = in_force
        shown.append(target)
        fig.hline(
            target,
            {"color": style.TARGET, "dash": "dashdot", "width": 2},
            f"Target {fmt_target_value(ind, target)}",
            "top left",
            font={"color": "#00684A"},
        )
    elif in_force:  # targets change by year: each period's own, stepping where it changes
        shown += targets
        fig.add(
            {
                "type": "scatter",
                "x": xs,
                "y": targets,
                "name": "Target",
                "mode": "lines",
                "line": {"color": style.TARGET, "dash": "dashdot", "width": 2, "shape": "hv"},
                "customdata": periods,
                "hovertemplate": hover,
            }
        )
        if (last := _last(xs, targets)) is not None:
            labels.append((*last, f"Target {fmt_target_value(ind, last[1])}", style.TARGET))
    unit = UNIT_LABEL[ind.unit] or "count"
    low, high = axes.fitted_range(shown, ind.unit == "percent", ind.unit == "count")
    fig.yaxis(range=[low, high], rangemode="normal")
    end_labels(fig, labels, high - low)
    if quarter and xs:
        fig.vline(
            xs[-1],
            {"color": "#555555", "dash": "dot", "width": 1},
            f"Reported for {quarter}",
            "bottom left",
            font={"size": 11, "color": "#555555"},
        )
    span = f"{periods[0]} to {periods[-1]}" if periods else "no figures yet"
    words = axes.range_words(low, high, UNIT_LABEL[ind.unit])
    house_layout(fig, title, f"{unit}, {span} ({words}). P = provisional, R = revised.", ind.source)
    fig.xaxis(type="linear")
    return fig.figure(), trend_alt(rows, ind, council)


def trend(
    rows: list[TrendRow], ind: Indicator, charter: Charter, quarter: str | None
) -> tuple[go.Figure, str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The indicator page's trend: the chart, its alt text, its table and its CSV rows."""
    council = charter.council
    last = rows[-1]
    title = f"{ind.title}: {fmt_value(last.value, ind, last.symbol)} in {last.period}"
    fig, alt = trend_chart(rows, ind, council.name, title, quarter)
    return fig, alt, trend_table(rows, ind), trend_csv(rows, ind, council.code, council.name)


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    return csv_bytes(rows)


# Each chart's numbers are labelled with what the chart is about (`about`): a page of seven
# charts had seven expanders of one label, which a screen reader's list of controls cannot
# tell apart (WCAG 2.4.6). Not the chart's title: the breakdown's names the group chosen, and
# a label that changes closes the expander (Streamlit's id includes it).
NUMBERS = "The numbers behind this chart"


def chart_with_table(
    fig: go.Figure,
    alt: str,
    rows: list[dict[str, Any]],
    file_name: str,
    key: str,
    csv_rows: list[dict[str, Any]] | None = None,
    *,
    about: str,
) -> None:
    """The chart with its text alternative, then the same numbers as a table and a CSV
    (`csv_rows` where the download should hold numbers rather than the table's words), under
    "The numbers behind this chart: `about`" (what the chart shows, in a few words)."""
    # No toolbar: on a phone it covers the chart, and the numbers are in the table below.
    # theme=None: Streamlit's theme drew every axis's labels in its own grey (3.7:1 on white,
    # under WCAG's 4.5:1), over the house layout's; the house layout is the chart's whole look.
    st.plotly_chart(fig, alt=alt, key=f"{key}_chart", config={"displayModeBar": False}, theme=None)
    st.caption(markdown(alt))
    numbers = lazy.opened(f"{NUMBERS}: {markdown(about)}", f"{key}_numbers")
    if numbers is None:
        return
    with numbers:
        st.dataframe(arrow_of(rows), hide_index=True, key=f"{key}_table")
        download = csv_rows if csv_rows is not None else rows
        downloads.button(
            "Download these numbers (CSV)",
            lambda: to_csv(download),  # written when asked for, not on every page view
            file_name=file_name,
            mime="text/csv",
            key=f"{key}_csv",
        )
