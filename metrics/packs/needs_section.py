"""The needs baseline as a pack's or the self-evaluation's section: each locality's known
against expected disabled children with its interval and words, the gaps in provision, and
how it is worked out. Counts are as the audience may see them (the disclosure policy, through
metrics/leadership/needs_table.py); none when there is no needs.yaml or needs return."""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter
from metrics.leadership import needs_table
from metrics.leadership.needs import NoBaseline, baseline, quarters
from metrics.leadership.provision import gap_words, provision
from metrics.packs.sections import Table
from metrics.publish.policy import Audience
from metrics.store.connection import Store

TITLE = "Identifying local need: the baseline by locality"


@dataclass(frozen=True)
class NeedsSection:
    quarter: str
    table: Table
    words: list[str]  # each locality's sentence, then the gaps, then the method


def _cell(value: object) -> str:
    if value is None or value == "":
        return "[x]"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _latest_by(store: Store, quarter: str) -> str | None:
    """The latest needs return's quarter no later than the pack's quarter."""

    def key(label: str) -> tuple[int, int]:
        year, q = label.split(" ")
        return int(year[:4]), int(q[1:])

    found = [q for q in quarters(store) if key(q) <= key(quarter)]
    return found[-1] if found else None


def needs_section(
    store: Store, charter: Charter, quarter: str, audience: Audience
) -> NeedsSection | None:
    if charter.needs is None or (at := _latest_by(store, quarter)) is None:
        return None
    try:
        found = baseline(store, charter, at)
    except NoBaseline:
        return None
    cells = provision(charter, found)
    rows = [
        r for r in needs_table.rows(charter, found, audience, cells)
        if r["need"] == needs_table.ALL_NEEDS
    ]  # fmt: skip
    table = Table(
        f"Disabled children known to any service against expected, by locality ({at})",
        ["Locality", "Known", "Expected", "Known ÷ expected", "95% interval", "Under-identified"],
        [
            [r["locality"], _cell(r["known"]), _cell(r["expected"]), _cell(r["ratio"]),
             f"{_cell(r['ratio_low'])} to {_cell(r['ratio_high'])}", r["under_identified"]]
            for r in rows
        ],
    )  # fmt: skip
    words = [r["in_words"] for r in rows] + [gap_words(cells), needs_table.method_words(charter)]
    return NeedsSection(at, table, words)
