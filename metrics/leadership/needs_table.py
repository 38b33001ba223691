"""The needs baseline as every output gives it (the Needs and resources page, `python -m
metrics needs`, packs): one row per locality (need "All needs") and per locality and need,
with the counts a reader may see. Small counts by locality are withheld from public readers
by the disclosure policy (`CountCells`), and so is everything worked out from a withheld
count (its ratio, interval and words); staff see the real figures, marked."""

from __future__ import annotations

from typing import Any

from charter import Charter
from metrics.leadership.needs import Baseline, LocalityRow, Ratio, known_vs_expected, ratio_words
from metrics.leadership.provision import Cell, provision
from metrics.publish.policy import Audience, CountCells, DisclosurePolicy, Marker
from metrics.publish.withheld_counts import PublishedCounts
from metrics.rounding import round_half_up

ALL_NEEDS = "All needs"
COLUMNS = (
    "quarter", "locality", "need", "known", "expected", "expected_low", "expected_high",
    "ratio", "ratio_low", "ratio_high", "under_identified", "providers", "gap", "in_words",
    "withheld",
)  # fmt: skip
WITHHELD_WORDS = "withheld: worked out from a small number"


def _num(value: float | None, places: int) -> float | None:
    return None if value is None else round_half_up(value, places)


def published_ratio(r: Ratio | None, known: int | str) -> Ratio | None:
    """The ratio as published with the count `known` a reader is given: None where the count
    is withheld; worked out from the rounded count where the council rounds."""
    if r is None or known == "[c]":
        return None
    if known != r.known:  # rounded to the nearest 5
        return known_vs_expected(int(known), r.expected)
    return r


def _ratio_cells(r: Ratio | None, hidden: bool) -> dict[str, Any]:
    if hidden:
        return {"ratio": "[c]", "ratio_low": "[c]", "ratio_high": "[c]"}
    if r is None:
        return {"ratio": None, "ratio_low": None, "ratio_high": None}
    return {"ratio": _num(r.ratio, 2), "ratio_low": _num(r.low, 2), "ratio_high": _num(r.high, 2)}


def published_counts(charter: Charter, found: Baseline, audience: Audience) -> PublishedCounts:
    return DisclosurePolicy(charter).publish(CountCells(found.counts()), audience)


def _locality_row(
    found: Baseline, row: LocalityRow, shown: PublishedCounts, audience: Audience
) -> dict[str, Any]:
    known = shown.shown(row.locality)
    ratio = published_ratio(row.ratio, known)
    hidden = ratio is None
    why = shown.why(row.locality)
    return {
        "quarter": found.quarter,
        "locality": row.locality,
        "need": ALL_NEEDS,
        "known": known,
        "expected": _num(row.ratio.expected, 0),
        "expected_low": None,  # from the rate's own interval: rows() fills it in
        "expected_high": None,
        **_ratio_cells(ratio, hidden),
        "under_identified": "yes" if row.under_identified and not hidden else "no",
        "providers": "",
        "gap": "",
        "in_words": ratio_words(row.locality, ratio) if ratio else WITHHELD_WORDS,
        "withheld": shown_why(why, audience),
    }


def shown_why(why: str | None, audience: Audience) -> str:
    if not why:
        return ""
    return Marker(why).note(audience)


def rows(
    charter: Charter, found: Baseline, audience: Audience, cells: list[Cell] | None = None
) -> list[dict[str, Any]]:
    """The baseline's rows for `audience` (public: small counts withheld)."""
    assert charter.needs is not None
    shown = published_counts(charter, found, audience)
    cells = cells if cells is not None else provision(charter, found)
    by_cell = {(c.locality, c.need): c for c in cells}
    rate = charter.needs.rate
    out = []
    for row in found.localities:
        line = _locality_row(found, row, shown, audience)
        pop = row.population
        line["expected_low"] = _num(pop * rate.low / 100, 0) if rate.low else None
        line["expected_high"] = _num(pop * rate.high / 100, 0) if rate.high else None
        out.append(line)
        for need in row.needs:
            known = shown.shown(row.locality, need.need)
            hidden = known == "[c]"
            ratio = None if hidden else published_ratio(need.ratio, known)
            cell = by_cell.get((row.locality, need.need))
            out.append({
                "quarter": found.quarter,
                "locality": row.locality,
                "need": need.need,
                "known": known,
                "expected": _num(need.expected, 0),
                "expected_low": None,
                "expected_high": None,
                **_ratio_cells(ratio, hidden),
                "under_identified": "",
                "providers": cell.names if cell else "",
                "gap": "yes" if cell and cell.gap else "no",
                "in_words": WITHHELD_WORDS if hidden else "",
                "withheld": shown_why(shown.why(row.locality, need.need), audience),
            })  # fmt: skip
    return out


def method_words(charter: Charter) -> str:
    """How the figures are worked out, for every reader."""
    assert charter.needs is not None
    rate = charter.needs.rate
    interval = (
        f" (its own interval {rate.low:g}% to {rate.high:g}%)" if rate.low and rate.high else ""
    )
    return (
        f"Expected: each locality's children ({', '.join(sorted({l.population.source for l in charter.needs.localities.values()}))}) "  # noqa: E501, E741
        f"times {rate.rate:g}%{interval}, the share of children who are disabled in {rate.source}, "
        f"{rate.year}. Known to any service: for each need, the largest count any one source "
        "gives (the sources overlap and aggregate returns cannot be matched child by child, so "
        "this is the fewest children who must be known), added up over needs. The ratio's range "
        "is a 95% exact Poisson interval of the known count divided by the expected figure; it "
        "allows for chance, not for the rate's own uncertainty. A locality is under-identified "
        "when its whole range lies below the council's ratio. Counts of a need for the whole "
        "council are not published."
    )
