"""A pack's "How we compare" section: for each measure DfE publishes for every council, the
latest published year's figures for us, England, the region and the neighbours, our rank
among all councils and our quartile band (LAIT's rules, metrics/assess/benchmark.py), with
whose neighbours and how old the figures are (metrics/publish/compare.py lays them out).
Then, a measure at a time, the views the indicator page shows (ui/benchmark_view.py): ours
against England, the region and the neighbour average over time; a focus chart of the
neighbour group (or the region, without neighbours); and every council ranked with its
quartile band. Each chart has its alt text and its table twin; spreadsheets get every
measure's every council on one sheet."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from charter import Charter, Indicator
from charter.models import UNIT_LABEL
from metrics.assess.benchmark import ordinal, rank_words
from metrics.packs import svg
from metrics.packs.sections import Chart, Table
from metrics.packs.svg_bars import Bar, focus_chart
from metrics.publish.boundary import BEFORE
from metrics.publish.compare import Compared, CouncilFigure, every_compared, focus
from metrics.publish.compare_year import beside_region
from metrics.rounding import fmt_half_up
from metrics.store.connection import Store
from metrics.words.narrative import fmt_value

HEADERS = [
    "Measure", "Year", "Ours", "England", "Region", "Neighbour average", "Rank",
    "Quartile band",
]  # fmt: skip


OVER_TIME = ["Year", "Ours", "England", "Region", "Neighbour average", "Rank", "Quartile band"]
COUNCILS = ["Council", "Value", "Rank", "Quartile band", "Our region", "Neighbour"]
SHEET = [
    "Measure", "Year", "Council", "Area code", "Value", "Rank", "Councils ranked",
    "Quartile band", "Ours", "Our region", "Neighbour",
]  # fmt: skip
FOCUS = {"region": "every council in our region", "neighbours": "our neighbour group"}
Found = list[tuple[Indicator, Compared]]


@dataclass
class Views:
    """One measure's views: over time, the focus chart, and every council ranked."""

    title: str
    over_time: Chart
    focus: Chart
    councils: Table


def gathered(
    store: Store,
    charter: Charter,
    quarter: str | None = None,
    unseen: Mapping[str, Collection[str]] | None = None,
) -> list[tuple[Indicator, Compared]]:
    """Every measure with published figures for every council, and its comparisons as known
    at the pack's `quarter` (the years that had ended by then, as the indicator page);
    `unseen`: for a public pack, the years each measure's figure of ours is withheld in
    (withheld.not_compared), compared as if we had none."""
    found = every_compared(store, charter, quarter, unseen)
    return [
        (ind, found[ind.id])
        for ind in charter.indicators.values()
        if ind.id in found and found[ind.id].latest is not None
    ]


def table(measures: Found) -> Table | None:
    """One row a measure with published figures for every council; None when there are none."""
    rows, said, half = [], set(), None
    for ind, found in measures:
        y = next(y for y in found.years if y.period == found.latest)
        half = half or y.sub_region_name  # a London borough's half: the same every measure
        rows.append(
            [
                ind.title, y.period, *y.shown_beside(ind, "–"),
                rank_words(y.rank, y.councils, y.tied) if y.rank else "–", y.band or "–",
            ]
        )  # fmt: skip
        said.add(found.source_words())
        if found.fictional:
            said.add(found.fictional)
    if not rows:
        return None
    caption = (
        "How we compare, in the latest year DfE has published for every council. Rank 1 is "
        "the best; ties share the lowest rank. Quartile band A is the best quarter of councils, "
        "D the worst. " + " ".join(sorted(said))
    )
    return Table(caption, beside_region(HEADERS, half), rows)


def views(measures: Found, council: str) -> list[Views]:
    """Each measure's three views; `council` our council's name as the charter gives it."""
    short = council.split(" (")[0]  # "Wrenfield Council (demo)": the line's label
    return [
        Views(ind.title, over_time(ind, found, short), focus_view(ind, found), councils(ind, found))
        for ind, found in measures
    ]


def _said(found: Compared) -> str:
    return " ".join(w for w in (found.source_words(), found.fictional) if w)


def _boundary(found: Compared) -> str:
    """The boundary change before our area's figures, said with the comparison over time
    (not with one year's councils, whose figures are all of today's areas)."""
    return f" {found.boundary.words(PACK_PLACE)}" if found.boundary else ""


# Where the pack shows a former council's figures: its SVG chart draws ours and today's areas.
PACK_PLACE = "in the table's last column, apart from ours (not in the chart)"


def over_time(ind: Indicator, found: Compared, council: str) -> Chart:
    """A measure's chart (ours, England, the region and the neighbour average, every
    published year), its alt text, and its table twin with our rank and band each year."""
    years = found.years
    half = years[-1].sub_region_name  # a London borough's half of London, None elsewhere
    drawn = svg.line_chart(
        [y.period for y in years], [y.ours for y in years], [y.england for y in years],
        None, council, unit=UNIT_LABEL[ind.unit] or "count", percent=ind.unit == "percent",
        region=[y.region for y in years], neighbours=[y.neighbours for y in years],
        sub_region=(half, [y.sub_region for y in years]) if half else None,
    )  # fmt: skip
    last = years[-1]
    said = last.in_words(ind)
    half_drawn = half and any(y.sub_region is not None for y in years)  # (no figures: no line)
    beside = f", {half} (long dashes)" if half_drawn else ""
    alt = (
        f"Line chart of {ind.title}, {years[0].period} to {last.period}: ours (solid, round "
        f"markers), England (dashed), the region (dotted, square markers){beside} and the "
        f"neighbour average (dash-dot, triangles). In {last.period}: {said or 'no figures'}."
        + _boundary(found)
    )
    boundary = found.boundary
    rows = [
        [
            y.period, *y.shown_beside(ind, "[x]"),
            rank_words(y.rank, y.councils, y.tied) if y.rank else "[x]", y.band or "[x]",
            *([boundary.in_year(y.period, ind)] if boundary else []),
        ]
        for y in years
    ]  # fmt: skip
    headers = beside_region(OVER_TIME, half) + ([BEFORE] if boundary else [])
    caption = (
        f"{ind.title}: ours against England, the region and neighbours. {_said(found)}"
        + _boundary(found)
    )
    return Chart(drawn, alt, Table(caption, headers, rows))


def _rows(shown: list[CouncilFigure], ind: Indicator, total: int) -> list[list[str]]:
    return [
        [
            f"{r.name} (ours)" if r.ours else r.name, fmt_value(r.value, ind),
            rank_words(r.rank, total, r.tied) if r.rank else "[x]", r.band or "[x]",
            "yes" if r.in_region else "no", "yes" if r.neighbour else "no",
        ]
        for r in shown
    ]  # fmt: skip


def focus_view(ind: Indicator, found: Compared) -> Chart:
    """Every council of our neighbour group (of our region when we have no neighbours) in the
    latest year, best first: a bar chart, ours highlighted, with its table twin."""
    on = "neighbours" if any(f.neighbour for f in found.councils) else "region"
    shown, total = focus(found, on), len(found.councils)
    bars = [Bar(r.name, r.value, fmt_half_up(r.value, ind.decimals, False), r.ours) for r in shown]
    drawn, height = focus_chart(bars, UNIT_LABEL[ind.unit] or "count", ind.unit == "percent")
    ours = next((r for r in shown if r.ours), None)
    where = (
        f"Ours, in bold and marked (ours), is {fmt_value(ours.value, ind)}, "
        f"{ordinal(shown.index(ours) + 1)} of {len(shown)} here"
        if ours is not None
        else "Ours has no figure"
    )
    alt = (
        f"Bar chart of {ind.title} in {found.latest} for {len(shown)} councils "
        f"({FOCUS[on]}), best first. {where}; ranks among all councils are in the table."
    )
    caption = f"{ind.title}, {found.latest}: {FOCUS[on]}, best first. {_said(found)}"
    return Chart(drawn, alt, Table(caption, COUNCILS, _rows(shown, ind, total)), height=height)


def councils(ind: Indicator, found: Compared) -> Table:
    """Every council with a figure in the latest year, best first: rank and quartile band."""
    caption = (
        f"{ind.title}, {found.latest}: every council, best first, with its rank and quartile "
        f"band; ours marked (ours). {_said(found)}"
    )
    return Table(caption, COUNCILS, _rows(found.councils, ind, len(found.councils)))


def all_councils_sheet(measures: Found) -> Table | None:
    """Every measure's every council in one table for a spreadsheet: values and ranks as
    numbers; None when no measure has published figures."""
    rows: list[list[str]] = []
    values: list[object] = []
    ranks: list[object] = []
    totals: list[object] = []
    said: set[str] = set()
    for ind, found in measures:
        total = len(found.councils)
        for r in found.councils:
            rows.append(
                [
                    ind.title, found.latest or "[x]", f"{r.name} (ours)" if r.ours else r.name,
                    r.code, fmt_value(r.value, ind), str(r.rank or "[x]"), str(total),
                    r.band or "[x]", "yes" if r.ours else "no", "yes" if r.in_region else "no",
                    "yes" if r.neighbour else "no",
                ]
            )  # fmt: skip
            values.append(r.value)
            ranks.append(r.rank)
            totals.append(total)
        said.add(_said(found))
    if not rows:
        return None
    caption = (
        "Every council's published figure in the latest year DfE has published for every "
        "council, with its rank (1 the best; ties share the lowest rank) and quartile band "
        "(A the best quarter). " + " ".join(sorted(said))
    )
    sheet = {"Value": values, "Rank": ranks, "Councils ranked": totals}
    return Table(caption, SHEET, rows, sheet=sheet)
