"""Reference data shipped with the product: England's councils, regions and England itself.

`areas.csv` is derived from DfE's published files by `python -m metrics.reference.build_areas`
(see that module); a test checks the committed copy against the files in ../shared.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

AREAS_CSV = Path(__file__).with_name("areas.csv")
ENGLAND = "E92000001"
NATIONAL, REGIONAL, COUNCIL = "National", "Regional", "Local authority"


@dataclass(frozen=True)
class KnownArea:
    code: str
    name: str
    level: str  # National | Regional | Local authority
    region_code: str  # '' for England and the regions
    old_code: str  # the DfE's three-digit LA code, '' where there is none
    successors: tuple[str, ...]  # codes that replaced this one (a council merged or split)


@functools.cache
def known_areas() -> dict[str, KnownArea]:
    """Every area a figure may describe, by GSS code."""
    with AREAS_CSV.open(encoding="utf-8", newline="") as f:
        return {
            r["code"]: KnownArea(
                r["code"],
                r["name"],
                r["level"],
                r["region_code"],
                r["old_code"],
                tuple(r["successors"].split()),
            )
            for r in csv.DictReader(f)
        }


def is_known(code: str, own_council: str) -> bool:
    return code == own_council or code in known_areas()


def is_council(code: str, own_council: str = "") -> bool:
    """A real English council (or our own, which may be the demo's fictional code)."""
    area = known_areas().get(code)
    return code == own_council or (area is not None and area.level == COUNCIL)
