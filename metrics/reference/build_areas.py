"""Derive metrics/reference/areas.csv from DfE's published files (EES tidy CSV).

    python -m metrics.reference.build_areas ../shared/data/ees [--out metrics/reference/areas.csv]

Every National, Regional and Local authority row of every CSV under the folder gives a code,
its name, its region and its old three-digit LA code; the latest year's name wins. A code that
an old LA code stopped using is succeeded by the code that took the old LA code over. Council
reorganisations that the files cannot show (merges and splits, and councils created after the
latest file) are listed below from the statutory orders that made them. London's two halves,
Inner and Outer London, which DfE publishes for London boroughs (LAIT, and EES releases at
the Regional level under E13 codes), are listed below with the boroughs of each, as DfE
classifies them (LAIT's `Region` column: Haringey and Newham inner, Greenwich outer; a test
checks the list against LAIT's file).
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
from collections import defaultdict
from pathlib import Path

from metrics.reference import AREAS_CSV, COUNCIL, NATIONAL, REGIONAL, SUB_REGIONAL

# Reorganisations of English local government since 2019 (merges and splits).
REORGANISED = {
    # Dorset County -> Dorset (2019), less Christchurch, which went to Bournemouth,
    # Christchurch and Poole: a boundary change, so neither continues its series (DfE's LAIT
    # keeps "Dorset (Pre LG)" apart)
    "E10000009": ("E06000059", "E06000058"),
    "E06000028": ("E06000058",),  # Bournemouth -> Bournemouth, Christchurch and Poole (2019)
    "E06000029": ("E06000058",),  # Poole -> Bournemouth, Christchurch and Poole (2019)
    "E10000021": ("E06000061", "E06000062"),  # Northamptonshire -> North and West (2021)
    "E10000006": ("E06000063", "E06000064"),  # Cumbria -> Cumberland, Westmorland & F. (2023)
    "E10000023": ("E06000065",),  # North Yorkshire County -> North Yorkshire (2023)
    "E10000027": ("E06000066",),  # Somerset County -> Somerset (2023)
}
# Councils created after the latest file here: (code, name, region code, old LA code).
CREATED = [
    ("E06000063", "Cumberland", "E12000002", "942"),
    ("E06000064", "Westmorland and Furness", "E12000002", "943"),
    ("E06000065", "North Yorkshire", "E12000003", "815"),
    ("E06000066", "Somerset", "E12000009", "933"),
]
LONDON = "E12000007"
# London's sub-regions: GSS code, name, and its boroughs' old (three-digit) LA codes.
SUB_REGIONS = [
    ("E13000001", "Inner London",
     "201 202 204 205 206 207 208 209 210 211 212 213 309 316"),
    ("E13000002", "Outer London",
     "203 301 302 303 304 305 306 307 308 310 311 312 313 314 315 317 318 319 320"),
]  # fmt: skip
FIELDS = ["code", "name", "level", "region_code", "old_code", "successors", "sub_region_code"]


def derive(folder: Path) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    latest: dict[str, str] = {}
    years_of_old: dict[str, dict[str, str]] = defaultdict(dict)  # old code -> code -> last year
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                level, year = r.get("geographic_level"), r.get("time_period", "")
                if level == NATIONAL:
                    code, name, region, old = r["country_code"], r["country_name"], "", ""
                elif level == REGIONAL:
                    code, name, region, old = r["region_code"], r["region_name"], "", ""
                elif level == COUNCIL:
                    code, name = r["new_la_code"], r["la_name"]
                    region, old = r["region_code"], r.get("old_la_code", "")
                    if old:
                        previous = years_of_old[old].get(code, "")
                        years_of_old[old][code] = max(previous, year)
                else:
                    continue
                if code and year >= latest.get(code, ""):
                    latest[code] = year
                    rows[code] = {
                        "code": code,
                        "name": name.strip(),
                        "level": level,
                        "region_code": region,
                        "old_code": old,
                        "successors": "",
                        "sub_region_code": "",
                    }
    for code, name, region, old in CREATED:
        rows.setdefault(
            code,
            {
                "code": code,
                "name": name,
                "level": COUNCIL,
                "region_code": region,
                "old_code": old,
                "successors": "",
                "sub_region_code": "",
            },
        )
    for codes in years_of_old.values():  # the same old LA code under a new GSS code
        ordered = sorted(codes, key=lambda c: codes[c])
        for before, after in itertools.pairwise(ordered):
            rows[before]["successors"] = after
    for code, successors in REORGANISED.items():
        if code in rows:
            rows[code]["successors"] = " ".join(successors)
    add_sub_regions(rows)
    order = {NATIONAL: 0, REGIONAL: 1, SUB_REGIONAL: 2, COUNCIL: 3}
    return sorted(rows.values(), key=lambda r: (order[r["level"]], r["code"]))


def add_sub_regions(rows: dict[str, dict[str, str]]) -> None:
    """Inner and Outer London as areas, and each London borough's half (by its old LA code:
    a borough has never changed its GSS code, but the number is what LAIT files by)."""
    for code, name, olds in SUB_REGIONS:
        rows[code] = dict.fromkeys(FIELDS, "") | {"code": code, "name": name, "level": SUB_REGIONAL,
                                                  "region_code": LONDON}  # fmt: skip
        for row in rows.values():
            if row["level"] == COUNCIL and row["old_code"] in olds.split():
                row["sub_region_code"] = code


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of EES CSV files")
    parser.add_argument("--out", type=Path, default=AREAS_CSV)
    args = parser.parse_args(argv)
    rows = derive(args.folder)
    args.out.write_text(to_csv(rows), encoding="utf-8")
    print(f"Wrote {len(rows)} areas to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
