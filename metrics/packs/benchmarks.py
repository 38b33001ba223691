"""A pack's "How we compare" section: for each measure DfE publishes for every council, the
latest published year's figures for us, England, the region and the neighbours, our rank
among all councils and our quartile band (LAIT's rules, metrics/assess/benchmark.py), with
whose neighbours and how old the figures are (metrics/publish/compare.py lays them out)."""

from __future__ import annotations

from charter import Charter
from metrics.assess.benchmark import rank_words
from metrics.packs.sections import Table
from metrics.publish.compare import compared
from metrics.store.connection import Store
from metrics.words.narrative import fmt_value

HEADERS = [
    "Measure", "Year", "Ours", "England", "Region", "Neighbour average", "Rank",
    "Quartile band",
]  # fmt: skip


def table(store: Store, charter: Charter) -> Table | None:
    """One row a measure with published figures for every council; None when there are none."""
    rows, said = [], set()
    for ind in charter.indicators.values():
        found = compared(store, charter, ind)
        if found is None or found.latest is None:
            continue
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
