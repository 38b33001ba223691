"""Plotly figures written as plain data, checked by Plotly once.

Plotly checks every change to a figure against its schema as it is made: a chart built up
with add_trace, update_layout, add_hline and add_annotation (a dozen calls) took 30 to 70 ms,
while the same chart handed to `go.Figure` whole takes 3 to 5 ms (measured on the demo's
indicator page; bench/README.md). So the app's charts are written with `Spec`, which keeps
the figure as dicts and makes the `go.Figure` at the end. Lines across the plot (targets,
England, the reported quarter) are written as Plotly's add_hline/add_vline write them.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

Props = dict[str, Any]

# Where add_hline / add_vline put a line's label, by `annotation_position`.
_HLINE_LABEL: dict[str, Props] = {
    "top left": {"x": 0, "xanchor": "left", "yanchor": "bottom"},
    "top right": {"x": 1, "xanchor": "right", "yanchor": "bottom"},
}
_VLINE_LABEL: dict[str, Props] = {
    "top right": {"y": 1, "xanchor": "left", "yanchor": "top"},
    "bottom left": {"y": 0, "xanchor": "right", "yanchor": "bottom"},
}


def _merge(into: Props, props: Props) -> None:
    """Plotly's update: nested dicts are merged, anything else replaced."""
    for key, value in props.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


class Spec:
    """A figure's traces and layout as dicts, until `figure()` makes the Plotly figure."""

    def __init__(self, *traces: Props) -> None:
        self.data: list[Props] = list(traces)
        self.layout: Props = {}

    def add(self, trace: Props) -> None:
        """A trace, with its "type" ("scatter", "bar")."""
        self.data.append(trace)

    def update(self, **layout: Any) -> None:
        _merge(self.layout, layout)

    def xaxis(self, **props: Any) -> None:
        self.update(xaxis=props)

    def yaxis(self, **props: Any) -> None:
        self.update(yaxis=props)

    def annotate(self, **props: Any) -> None:
        self.layout.setdefault("annotations", []).append(props)

    def hline(
        self, y: float, line: Props, text: str = "", position: str = "top left", **label: Any
    ) -> None:
        """A line across the plot at `y`, labelled `text` at `position` (`font=...`)."""
        across = {"xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y}
        self._line(across, line, text, {"y": y, **_HLINE_LABEL[position]}, label)

    def vline(
        self, x: float, line: Props, text: str = "", position: str = "top right", **label: Any
    ) -> None:
        """A line up the plot at `x`, labelled `text` at `position` (`font=...`)."""
        up = {"xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1}
        self._line(up, line, text, {"x": x, **_VLINE_LABEL[position]}, label)

    def _line(self, where: Props, line: Props, text: str, at: Props, label: Props) -> None:
        self.layout.setdefault("shapes", []).append({"type": "line", **where, "line": line})
        if text:
            refs = {"xref": where["xref"], "yref": where["yref"]}
            self.annotate(text=text, showarrow=False, **refs, **at, **label)

    def figure(self) -> go.Figure:
        fig = Drawn({"data": self.data, "layout": self.layout})
        # The default template (Streamlit's, set when it is imported) carries defaults for
        # some twenty kinds of trace: 3.7 KB in every chart's JSON, sent in every run, of
        # which a chart of lines and bars uses a few dozen bytes (the indicator page's seven
        # charts: 26 of its 76 KB a visit). Only the kinds of trace the chart draws keep
        # theirs; a template's defaults for a kind apply to that kind's traces only.
        template = fig.layout.template
        drawn = {trace.get("type", "scatter") for trace in self.data}
        kept = {kind: v for kind, v in template.data.to_plotly_json().items() if kind in drawn}
        fig.layout.template = go.layout.Template(layout=template.layout, data=kept)
        return fig


class Drawn(go.Figure):  # type: ignore[misc]  # Plotly is not typed
    """A finished chart, which nobody changes once made: its dict is worked out once.

    `st.plotly_chart` asks a figure for `to_dict()` in every run, a deep copy of every trace
    and the layout; the app's charts are cached and shared (ui/reads.py `figure`), so that
    copy was the same each time (py-spy: a tenth of the indicator page's own work, seven
    charts). Streamlit and Plotly's JSON writer only read the dict (the writer's removal of
    trace `uid`s, which these charts never have, is the one change either makes)."""

    def to_dict(self) -> dict[str, Any]:
        made: dict[str, Any] | None = self.__dict__.get("_ui_dict")
        if made is None:
            made = super().to_dict()
            self.__dict__["_ui_dict"] = made
        return made
