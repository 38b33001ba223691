"""Mappings from DfE's Local Authority Interactive Tool (LAIT) measures to our indicators, as
data (`charter/lait/*.yaml`).

LAIT's long-format file has one row per measure, area and year; a measure is named by its
code (the data dictionary's `Measure_short`, the file's `Short Desc`). A mapping says which
measure feeds which indicator, the kind of year LAIT says it is (the dictionary's
`Year_Type`: the file itself does not say), a scale, and LAIT's polarity (checked against
ours, so a measure ranked the other way round is never mapped by mistake). Imports go through
the same published-statistics path as EES files: the mapping becomes an EES mapping over the
file read as EES columns (metrics/ingest/published/lait.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import Field

from charter.ees_models import Mapping, Measure, read_mapping_file
from charter.framework import Charter
from charter.loader import CHARTER_DIR, CharterError
from charter.models import Strict

LAIT_DIR = CHARTER_DIR / "lait"
# LAIT's year types (the data dictionary's Year_Type) and how its `Years` are read:
# a single year Y of an academic or financial year is the year ending in Y (2025 = 2024/25),
# as LAIT labels them; "Annual - January" (a census in January) and the other annual
# snapshots are the calendar year they fall in.
YearType = Literal[
    "Calendar Year",
    "Academic Year",
    "Financial Year",
    "Annual - January",
    "Annual",
    "Annual (end of Sept)",
]
LAIT_POLARITY = {"High": "higher_is_better", "Low": "lower_is_better"}
MEASURE_COLUMN = "Short Desc"  # the column of the LAIT measure code, as LAIT names it
VALUE_COLUMN = "Values"


class LaitMeasure(Strict):
    indicator: str
    measure: str = Field(min_length=1, description="LAIT's measure code (Short Desc).")
    year_type: YearType = Field(description="The data dictionary's Year_Type for the measure.")
    polarity: Literal["High", "Low", "-"] = Field(
        description="LAIT's polarity (the dictionary's); High/Low must agree with ours."
    )
    scale: float = Field(default=1.0, gt=0, description="Multiply the value, e.g. 10.")
    dps: int | None = Field(
        default=None,
        ge=0,
        le=6,
        description="The dictionary's dps: the decimal places LAIT publishes the measure at.",
    )
    updated: str | None = Field(
        default=None, description="The dictionary's 'Last Update' for the measure."
    )

    def decimals_needed(self) -> int | None:
        """The decimal places our indicator needs to keep LAIT's figures as LAIT publishes
        them: its dps, less one for each power of ten the scale multiplies by (per 100 made
        per 1,000 needs one place fewer)."""
        if self.dps is None:
            return None
        return max(self.dps - round(math.log10(self.scale)), 0)


class LaitMapping(Strict):
    title: str = Field(min_length=3)
    source: str = Field(min_length=3, description="Recorded with every imported figure.")
    measures: list[LaitMeasure] = Field(min_length=1)

    def as_ees(self) -> Mapping:
        """The same mapping over the LAIT file read as EES columns."""
        return Mapping(
            title=self.title,
            file="LAIT long format",
            source=self.source,
            measures=[
                Measure(
                    indicator=m.indicator,
                    value=VALUE_COLUMN,
                    scale=m.scale,
                    filters={MEASURE_COLUMN: m.measure},
                )
                for m in self.measures
            ],
        )

    def year_types(self) -> dict[str, str]:
        return {m.measure: m.year_type for m in self.measures}


def load_lait_mapping(path: Path, charter: Charter) -> LaitMapping:
    """Read and check a LAIT mapping; every problem reported as `file: key: reason`."""
    label, mapping = read_mapping_file(path, LaitMapping, "lait")
    problems = []
    seen: dict[str, int] = {}
    for i, m in enumerate(mapping.measures):
        key = f"{label}: measures.{i}"
        ind = charter.indicators.get(m.indicator)
        if ind is None:
            problems.append(f"{key}.indicator: unknown indicator {m.indicator!r}")
            continue
        if m.measure in seen:
            problems.append(
                f"{key}.measure: {m.measure!r} is mapped twice (also measures.{seen[m.measure]})"
            )
        seen[m.measure] = i
        ours = LAIT_POLARITY.get(m.polarity)
        if ours is not None and ind.polarity not in (ours, "neutral"):
            problems.append(
                f"{key}.polarity: LAIT ranks {m.measure} {m.polarity} is better, but "
                f"{m.indicator} is {ind.polarity.replace('_', ' ')}"
            )
        if (needed := m.decimals_needed()) is not None and ind.decimals < needed:
            problems.append(
                f"{key}.dps: LAIT publishes {m.measure} at {m.dps} decimal places, but "
                f"{m.indicator} keeps {ind.decimals} (charter/indicators/{m.indicator}.yaml: "
                f"decimals): its figures would be stored rounded; set decimals to {needed}"
            )
    if problems:
        raise CharterError(problems)
    return mapping


def shipped_lait_mappings() -> list[Path]:
    return sorted(LAIT_DIR.glob("*.yaml"))
