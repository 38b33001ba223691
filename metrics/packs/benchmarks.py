"""A pack's "How we compare" section: for each measure DfE publishes for every council, the
latest published year's figures for us, England, the region and the neighbours, our rank
among all councils and our quartile band (LAIT's rules, metrics/assess/benchmark.py), with
whose neighbours and how old the figures are (metrics/publish/compare.py lays them out)."""

from __future__ import annotations

from charter import Charter, Indicator
from charter.models import UNIT_LABEL
from metrics.assess.benchmark import rank_words
from metrics.packs import svg
from metrics.packs.sections import Table
from metrics.publish.compare import Compared, compared
from metrics.store.connection import Store
from metrics.words.narrative import fmt_value

HEADERS = [
    "Measure", "Year", "Ours", "England", "Region", "Neighbour average", "Rank",
    "Quartile band",
]  # fmt: skip


OVER_TIME = ["Year", "Ours", "England", "Region", "Neighbour average", "Rank", "Quartile band"]


def gathered(store: Store, charter: Charter) -> list[tuple[Indicator, Compared]]:
    """Every measure with published figures for every council, and its comparisons."""
    out = []
    for ind in charter.indicators.values():
        found = compared(store, charter, ind)
        if found is not None and found.latest is not None:
            out.append((ind, found))
    return out


def over_time(ind: Indicator, found: Compared, council: str) -> tuple[str, str, Table]:
    """A measure's chart (ours and England, every published year), its alt text, and its
    table twin with the region, the neighbours, our rank and band each year."""
    years = found.years
    drawn = svg.line_chart(
        [y.period for y in years], [y.ours for y in years], [y.england for y in years],
        None, council, unit=UNIT_LABEL[ind.unit] or "count", percent=ind.unit == "percent",
    )  # fmt: skip
    last = years[-1]
    alt = (
        f"Line chart of {ind.title}, {years[0].period} to {last.period}: ours and England "
        "(dashed). The region, the neighbours, our rank and band follow in the table."
    )

    def shown(value: float | None) -> str:
        return "[x]" if value is None else fmt_value(value, ind)

    rows = [
        [
            y.period, shown(y.ours), shown(y.england), shown(y.region), shown(y.neighbours),
            rank_words(y.rank, y.councils, y.tied) if y.rank else "[x]", y.band or "[x]",
        ]
        for y in years
    ]  # fmt: skip
    caption = f"{ind.title}: ours against England, the region and neighbours. " + (
        found.source_words()
    )
    return drawn, alt, Table(caption, OVER_TIME, rows)


def table(store: Store, charter: Charter) -> Table | None:
    """One row a measure with published figures for every council; None when there are none."""
    rows, said = [], set()
    for ind, found in gathered(store, charter):
        y = next(y for y in found.years if y.period == found.latest)

        def shown(value: float | None, ind: object = ind) -> str:
            return "–" if value is None else fmt_value(value, ind)  # type: ignore[arg-type]

        rows.append(
            [
                ind.title, y.period, shown(y.ours), shown(y.england), shown(y.region),
                shown(y.neighbours), rank_words(y.rank, y.councils, y.tied) if y.rank else "–",
                y.band or "–",
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
    return Table(caption, HEADERS, rows)
