"""A council whose area changed (a county split, councils merged) was published under other
councils' codes before the change, and those figures are not its own: reference.one_council
does not join them to its series (Dorset County, LA 835, is not today's Dorset, 838, which
lost Christchurch in 2019). The comparison over time says so plainly (page, chart's alt
text, table twin, packs) and the page shows them apart, rather than a series that silently
begins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from charter import Indicator
from metrics.reference import areas_before, former_name
from metrics.words.narrative import fmt_value

BEFORE = "Before the boundary change"  # the tables' column of a former council's figures


@dataclass(frozen=True)
class Former:
    """A council our area was (part of) before a boundary change, with its figures."""

    name: str  # "Dorset County (LA 835)"
    figures: dict[str, float]  # published year -> its figure


@dataclass(frozen=True)
class BoundaryChange:
    """The councils before ours and their figures, in the years compared."""

    formers: tuple[Former, ...]
    last: str  # the last year compared with a figure of theirs

    def words(self, where: str = "shown apart from ours") -> str:
        """ "Our area changed: up to 2018 the published figures are Dorset County (LA 835)'s
        ...", said wherever the comparison over time is; `where`: where the chart and table
        beside the words show their figures (the page's: apart from ours). Worded from
        the figures: when the boundary changed is not in the data (a year's last figure of
        theirs may come from a census taken before the change, or from a gap)."""
        owned = [f"{f.name}'s" for f in self.formers]  # "Bournemouth (LA 837)'s, Poole ..."
        names = " and ".join([", ".join(owned[:-1]), owned[-1]] if len(owned) > 1 else owned)
        return (
            f"Our area changed: up to {self.last} the published figures are {names}, a "
            f"different area, so they are {where}, never joined to our series or ranked as "
            "ours."
        )

    def in_year(self, period: str, ind: Indicator) -> str:
        """The former councils' figures in `period`, for a table: "Dorset County (LA 835)
        40.9%", or "–" where none."""
        said = [
            f"{f.name} {fmt_value(f.figures[period], ind)}"
            for f in self.formers
            if period in f.figures
        ]
        return "; ".join(said) or "–"


def boundary_change(
    council: str,
    ind: Indicator,
    periods: list[str],
    values: Mapping[tuple[str, str], Mapping[str, float]],
) -> BoundaryChange | None:
    """The boundary change before `council`'s figures in `periods` (oldest first; `values`
    as compare.compared reads them), or None when no council before it has a figure there."""
    formers = []
    for area in areas_before(council):
        figures = {
            p: v for p in periods if (v := values.get((ind.id, p), {}).get(area.code)) is not None
        }
        if figures:
            formers.append(Former(former_name(area), figures))
    if not formers:
        return None
    last = max(periods.index(p) for f in formers for p in f.figures)
    return BoundaryChange(tuple(formers), periods[last])
