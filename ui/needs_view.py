"""The Needs and resources page's pieces: known against expected by locality (a table, words,
a map drawn from the charter's GeoJSON boundaries with its table twin), the trend and moves
into the area, provision and gaps, and costs beside outcomes. What a reader sees is what the
disclosure policy gives their audience (metrics/leadership/needs_table.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale

from metrics.leadership import costs as costing, needs_table
from metrics.leadership.costs import NoCosts
from metrics.leadership.needs import Baseline, NoBaseline, baseline
from metrics.leadership.provision import Cell, gap_words, provision
from metrics.publish.escape import chart_text, markdown
from metrics.publish.palette import OKABE_ITO
from ui import axes, charts, context, reads
from ui.figspec import Spec
from ui.shared_cache import shared

# Sequential, colour-blind safe, from the house blue (light: fewer known, dark: more).
SCALE = [[0.0, "#F2F7FB"], [0.5, "#56B4E9"], [1.0, OKABE_ITO["blue"]]]
WITHHELD_FILL = "#EAEAEA"


@dataclass(frozen=True)
class Found:
    base: Baseline
    cells: list[Cell]
    rows: list[dict[str, Any]]
    costs: list[costing.ServiceCost]
    audience: str


@shared(max_entries=16)
def _read(db: str, version: int, audience: str) -> Found | None:
    charter = context.charter()
    store = context.store()
    try:
        base = baseline(store, charter)
    except NoBaseline:
        return None
    cells = provision(charter, base)
    table = needs_table.rows(charter, base, audience, cells)  # type: ignore[arg-type]
    try:
        spend = costing.costs(store, charter, audience)  # type: ignore[arg-type]
    except NoCosts:
        spend = []
    return Found(base, cells, table, spend, audience)


def uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A table's columns each of one type (a column of numbers with a "[c]" in it becomes
    text throughout), so that the table can be drawn; missing numbers are empty cells."""
    mixed = {
        k for k in (rows[0] if rows else {})
        if len({type(r[k]) for r in rows if r[k] not in (None, "")} | {str}) > 1
        and any(r[k] == "[c]" for r in rows)
    }  # fmt: skip
    return [
        {k: ("" if v is None else str(v) if k in mixed else v) for k, v in r.items()} for r in rows
    ]


def read() -> Found | None:
    """The latest quarter's baseline, provision and costs for this reader's audience."""
    return _read(*reads.data_key(), reads.audience())


def summary(found: Found) -> None:
    names = {k: s.name for k, s in (context.charter().needs.sources or {}).items()}  # type: ignore[union-attr]
    st.markdown(markdown(f"Needs return for {found.base.quarter}. " + "; ".join(
        f"{names.get(source, source)}: as at {month}"
        for source, month in sorted(found.base.months.items())
    ) + "."))  # fmt: skip
    for row in found.rows:
        if row["need"] == needs_table.ALL_NEEDS:
            flag = " **Under-identified.**" if row["under_identified"] == "yes" else ""
            st.markdown(f"- {markdown(row['in_words'])}{flag}")
    st.caption(markdown(needs_table.method_words(context.charter())))


LOCALITY_COLUMNS = {
    "locality": "Locality", "known": "Known to any service", "expected": "Expected",
    "expected_low": "Expected (low)", "expected_high": "Expected (high)", "ratio": "Ratio",
    "ratio_low": "Ratio (low)", "ratio_high": "Ratio (high)",
    "under_identified": "Under-identified", "withheld": "Publication",
}  # fmt: skip


def locality_rows(found: Found) -> list[dict[str, Any]]:
    """The map's table twin: one row per locality, the same numbers the map colours."""
    return uniform([
        {label: r[key] for key, label in LOCALITY_COLUMNS.items()}
        for r in found.rows
        if r["need"] == needs_table.ALL_NEEDS
    ])  # fmt: skip


def map_alt(found: Found) -> str:
    """The map in words: each locality's ratio, lowest first."""
    rows = [r for r in found.rows if r["need"] == needs_table.ALL_NEEDS]
    shown = sorted((r for r in rows if isinstance(r["ratio"], float)), key=lambda r: r["ratio"])
    said = "; ".join(f"{r['locality']} {r['ratio']:.2f}" for r in shown)
    hidden = [r["locality"] for r in rows if not isinstance(r["ratio"], float)]
    tail = f" Withheld: {', '.join(hidden)}." if hidden else ""
    return (
        f"Map of the localities shaded by known against expected disabled children, lowest "
        f"first: {said}.{tail}"
    )


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _shade(ratio: float | None) -> str:
    if ratio is None:
        return WITHHELD_FILL
    return str(sample_colorscale(SCALE, [max(0.0, min(1.0, ratio))])[0])


def locality_map(found: Found) -> None:
    """Each locality's boundary (charter data) shaded by known ÷ expected and labelled
    directly; drawn as filled shapes on plain axes, so no map tiles or outlines are fetched
    from the internet."""
    charter = context.charter()
    if not charter.boundaries:
        st.dataframe(locality_rows(found), hide_index=True, key="needs_localities")
        return
    rows = {r["locality"]: r for r in found.rows if r["need"] == needs_table.ALL_NEEDS}
    fig = Spec()
    lats: list[float] = []
    for feature in charter.boundaries["features"]:
        name = feature["properties"]["locality"]
        ratio = rows[name]["ratio"] if isinstance(rows[name]["ratio"], float) else None
        for ring in _rings(feature["geometry"]):
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            lats += ys
            fig.add({
                "type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                "fillcolor": _shade(ratio), "line": {"color": "#1F1F1F", "width": 1},
                "name": name, "hoverinfo": "text", "text": chart_text(rows[name]["in_words"]),
            })  # fmt: skip
        ring = _rings(feature["geometry"])[0]
        fig.annotate(
            x=sum(p[0] for p in ring[:-1]) / (len(ring) - 1),
            y=sum(p[1] for p in ring[:-1]) / (len(ring) - 1),
            text=f"{chart_text(name)}<br>{f'{ratio:.2f}' if ratio is not None else '[c]'}",
            showarrow=False, bgcolor="white", font={"size": 12, "color": "#1F1F1F"},
        )  # fmt: skip
    charts.house_layout(
        fig,
        "Known against expected, by locality",
        f"Disabled children known to any service ÷ expected, {found.base.quarter}",
        axes.wrap(f"needs return; {charter.needs.rate.source if charter.needs else ''}", 45),
    )
    middle = math.radians(sum(lats) / len(lats)) if lats else 0.0
    fig.xaxis(visible=False, type="linear", rangemode="normal")
    fig.yaxis(visible=False, scaleanchor="x", scaleratio=1 / math.cos(middle), rangemode="normal")
    fig.update(height=460, hovermode="closest", margin={"l": 40, "r": 40, "t": 110, "b": 90})
    figure: go.Figure = fig.figure()
    charts.chart_with_table(
        figure,
        map_alt(found),
        locality_rows(found),
        "needs-by-locality.csv",
        "needs_map",
        about="known against expected, by locality",
    )


def by_need(found: Found) -> None:
    locality = st.selectbox(
        "Locality", [r.locality for r in found.base.localities], key="needs_locality"
    )
    wanted = ("need", "known", "expected", "ratio", "ratio_low", "ratio_high", "providers",
              "gap", "withheld")  # fmt: skip
    shown = uniform([
        {k: r[k] for k in wanted}
        for r in found.rows
        if r["locality"] == locality and r["need"] != needs_table.ALL_NEEDS
    ])  # fmt: skip
    st.dataframe(shown, hide_index=True, key="needs_by_need")


def trend(found: Found) -> None:
    hidden = {r["locality"] for r in found.rows if r["ratio"] == "[c]"}
    rows = uniform([
        {"Quarter": q, "Locality": loc, "Ratio": "[c]" if loc in hidden else round(r.ratio, 2)}
        for q, loc, r in found.base.trend
    ])  # fmt: skip
    moves = [{"Quarter": q, "Locality": loc, "Moved in": n} for q, loc, n in found.base.moves]
    left, right = st.columns(2)
    with left:
        st.markdown("**Known ÷ expected over time**")
        st.dataframe(rows, hide_index=True, key="needs_trend")
    with right:
        st.markdown("**Disabled children moving into the area**")
        if found.audience == "public":
            st.caption("Moves by locality are counts of a few children: shown to staff only.")
        else:
            st.dataframe(moves, hide_index=True, key="needs_moves")


def provision_and_gaps(found: Found) -> None:
    st.markdown(markdown(gap_words(found.cells)))
    gaps = [{"Locality": c.locality, "Need": c.need} for c in found.cells if c.gap]
    if gaps:
        st.dataframe(gaps, hide_index=True, key="needs_gaps")
    who: dict[str, dict[str, Any]] = {}
    for c in found.cells:
        for p in c.providers:
            first = {"Provider": p.name, "Provides": p.provides, "Localities": set()}
            entry = who.setdefault(p.name, {**first, "In the return": "no"})
            entry["Localities"].add(c.locality)
            if p.from_return:
                entry["In the return"] = "yes"
    table = [{**e, "Localities": ", ".join(sorted(e["Localities"]))} for e in who.values()]
    st.dataframe(table, hide_index=True, key="needs_providers")


def costs_beside_outcomes(found: Found) -> None:
    if not found.costs:
        st.info("No finance return has been loaded yet.")
        return
    for row in costing.rows(found.costs):
        st.markdown(f"- {markdown(row['in_words'])}")
    table = [{k: ("" if v is None else v) for k, v in r.items() if k != "in_words"}
             for r in costing.rows(found.costs)]  # fmt: skip
    st.dataframe(table, hide_index=True, key="needs_costs")
    st.caption(markdown(costing.CAVEATS))
