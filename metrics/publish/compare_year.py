"""One published year of the views councils know from LAIT (metrics/publish/compare.py): our
figure beside England's, the region's, a London borough's half of London and the neighbour
average, with its rank, and each as every output writes it (the figure, else DfE's symbol).
"""

from __future__ import annotations

from dataclasses import dataclass

from charter import Indicator
from metrics.words.narrative import fmt_value


@dataclass(frozen=True)
class YearCompared:
    """One published year: ours beside England, the region (and for a London borough its
    half of London) and the neighbour average."""

    period: str
    ours: float | None
    england: float | None
    region: float | None
    neighbours: float | None
    neighbours_with_figure: int
    rank: int | None
    councils: int
    tied: bool
    band: str | None

    def in_words(self, ind: Indicator) -> str:
        """ "ours 64.2%, England 46.4%, the region ..., the neighbour average ...": the year's
        figures that there are, as a chart's alt text says them (page and packs alike)."""
        return ", ".join(
            f"{name} {fmt_value(v, ind)}"
            for name, v in (("ours", self.ours), ("England", self.england),
                            ("the region", self.region), (self.sub_region_name, self.sub_region),
                            ("the neighbour average", self.neighbours))
            if v is not None and name
        )  # fmt: skip

    change: float | None = None  # ours from the year before (consecutive years only)

    def shown(self, ind: Indicator, missing: str) -> tuple[str, str, str, str]:
        """Ours, England, the region and the neighbour average as every output writes them:
        the figure, else the symbol given instead ("[z]" not applicable, as DfE published
        it), else `missing` (none stored: "[x]" in a pack, "–" on a page)."""
        return (
            _shown(self.ours, self.ours_symbol, ind, missing),
            _shown(self.england, self.england_symbol, ind, missing),
            _shown(self.region, self.region_symbol, ind, missing),
            _shown(self.neighbours, None, ind, missing),
        )

    # the symbol given where there is no figure (DfE's z not applicable, c confidential, ...)
    ours_symbol: str | None = None
    england_symbol: str | None = None
    region_symbol: str | None = None
    # a London borough's half of London (Inner or Outer London), beside the region; None
    # (name and all) for a council outside London
    sub_region_name: str | None = None
    sub_region: float | None = None
    sub_region_symbol: str | None = None

    def sub_region_shown(self, ind: Indicator, missing: str) -> str | None:
        """Inner or Outer London's figure as `shown` writes the others; None outside London."""
        if self.sub_region_name is None:
            return None
        return _shown(self.sub_region, self.sub_region_symbol, ind, missing)

    def shown_beside(self, ind: Indicator, missing: str) -> tuple[str, ...]:
        """`shown`, with a London borough's half of London after the region (the columns
        `beside_region` heads); just `shown` for a council outside London."""
        ours, england, region, neighbours = self.shown(ind, missing)
        half = self.sub_region_shown(ind, missing)
        return (ours, england, region, *([half] if half is not None else []), neighbours)


def beside_region(headers: list[str], half: str | None) -> list[str]:
    """A table's headers with the half of London's column ("Inner London") after "Region",
    for a London borough; the headers as they are otherwise."""
    if half is None:
        return list(headers)
    at = headers.index("Region") + 1
    return [*headers[:at], half, *headers[at:]]


def _shown(value: float | None, symbol: str | None, ind: Indicator, missing: str) -> str:
    return missing if value is None and symbol is None else fmt_value(value, ind, symbol)
