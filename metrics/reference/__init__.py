"""Reference data shipped with the product: England's councils, regions and England itself.

`areas.csv` is derived from DfE's published files by `python -m metrics.reference.build_areas`
(see that module); a test checks the committed copy against the files in ../shared.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

AREAS_CSV = Path(__file__).with_name("areas.csv")
ENGLAND = "E92000001"
NATIONAL, REGIONAL, COUNCIL = "National", "Regional", "Local authority"
SUB_REGIONAL = "Sub-regional"  # Inner and Outer London: a region's part, not a council


@dataclass(frozen=True)
class KnownArea:
    code: str
    name: str
    level: str  # National | Regional | Sub-regional | Local authority
    region_code: str  # '' for England and the regions; London for its two halves
    old_code: str  # the DfE's three-digit LA code, '' where there is none
    successors: tuple[str, ...]  # codes that replaced this one (a council merged or split)
    sub_region_code: str = ""  # a London borough's half (E13000001 Inner London), else ''


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
                r["sub_region_code"],
            )
            for r in csv.DictReader(f)
        }


def sub_region_of(code: str) -> KnownArea | None:
    """The sub-region DfE publishes a council's figures beside (Inner or Outer London, for a
    London borough), or None: a council outside London, or not a real one, has none."""
    area = known_areas().get(code)
    return known_areas().get(area.sub_region_code) if area and area.sub_region_code else None


def is_known(code: str, own_council: str) -> bool:
    return code == own_council or code in known_areas()


def is_council(code: str, own_council: str = "") -> bool:
    """A real English council (or our own, which may be the demo's fictional code)."""
    area = known_areas().get(code)
    return code == own_council or (area is not None and area.level == COUNCIL)


def councils_in(areas: Mapping[str, float], own_council: str = "") -> dict[str, float]:
    """Every council's figure once: a council stored under two of its codes for one period
    (LAIT's extract under the current code, DfE's release under the old one: North Yorkshire
    as E06000065 and E10000023 for 2022) is counted once, under the newest code present, so
    ranks and 'of N' count each council once. Ours is always under our own code (a figure
    published under an older code of ours is ours)."""
    own = set(_one_council(own_council)) if own_council else set()
    kept: dict[str, tuple[str, float, int]] = {}
    for code, value in areas.items():
        if not is_council(code, own_council):
            continue
        chain = (own_council, *_one_council(own_council)) if code in own else _one_council(code)
        place = chain.index(code) if code in chain else len(chain)
        have = kept.get(chain[0])
        if have is None or place < have[2]:
            kept[chain[0]] = (chain[0] if code in own else code, value, place)
    return {code: value for code, value, _ in kept.values()}


def one_council(area: str) -> list[str]:
    """Every code under which the same council has published figures, newest first
    (`_one_council`), a new list each time."""
    return list(_one_council(area))


@functools.cache  # the areas are fixed: a status asked this ~2,000 times a pack (issue 34)
def _one_council(area: str) -> tuple[str, ...]:
    """Every code under which the same council has published figures, newest first, for a GSS
    code or the DfE's three-digit `old_la_code`: a council that changed code but not boundary
    (one successor with one predecessor, e.g. Buckinghamshire E10000002 -> E06000060, old
    code 825) is one series. A merger or split stands alone. Unknown codes are returned as
    they are (our own council may be fictional)."""
    areas = known_areas()
    if area.isdigit():
        found = [a.code for a in areas.values() if a.old_code == area]
        if not found:
            return (area,)
        area = found[0]
    predecessors: dict[str, list[str]] = {}
    for a in areas.values():
        for s in a.successors:
            predecessors.setdefault(s, []).append(a.code)

    def one_to_one(old: str, new: str) -> bool:
        here = areas.get(old)
        return here is not None and here.successors == (new,) and predecessors.get(new) == [old]

    latest = area
    while (here := areas.get(latest)) and len(here.successors) == 1:
        if not one_to_one(latest, here.successors[0]) or here.successors[0] == area:
            break
        latest = here.successors[0]
    chain = [latest]
    while len(before := predecessors.get(chain[-1], [])) == 1 and before[0] not in chain:
        if not one_to_one(before[0], chain[-1]):
            break
        chain.append(before[0])
    return tuple(chain)


def areas_before(area: str) -> list[KnownArea]:
    """The councils whose area became part of `area`'s by a boundary change (a split or a
    merger), oldest code first: they published figures before the change, which are not
    `area`'s own (`one_council` does not join them; Dorset County, LA 835, before today's
    Dorset, 838, in 2019)."""
    own = set(_one_council(area))
    return sorted(
        (a for a in known_areas().values() if own & set(a.successors) and a.code not in own),
        key=lambda a: a.code,
    )


def former_name(area: KnownArea) -> str:
    """A council replaced by a boundary change, named so that it is not taken for its
    successor of the same name: "Dorset County (LA 835)" (an E10 code is a county council)."""
    county = " County" if area.code.startswith("E10") else ""
    return f"{area.name}{county}" + (f" (LA {area.old_code})" if area.old_code else "")
