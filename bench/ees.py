"""EES import benchmark: a published release the size DfE's largest files reach, imported with
a mapping that selects a few thousand figures, against DuckDB's own read_csv of the same file.

Each side runs in a fresh Python process so its peak memory (the process's maximum resident
set) is its own: `python -m bench.ees ours|duckdb FILE MAPPING DB` prints one JSON line.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import peak_mb
from metrics.reference import COUNCIL, NATIONAL, REGIONAL, known_areas

# The size of the generated release; 500 MB is the largest the importer must handle in 4 GB.
MEGABYTES = int(os.environ.get("BENCH_EES_MB", "500"))
MEMORY_TARGET_MB = 4096
YEARS = range(2014, 2025)
HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,ehc_plans,"
    "issued_20wk_rate,issued_20wk,issued_total,personal_budgets,"
    + ",".join(f"measure_{i}" for i in range(1, 13))
)
AGES = ["Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25"]
MAPPING = """title: Benchmark release
file: bench-release.csv
source: "Benchmark: a generated release in the EES layout"
measures:
  - indicator: ehcp-issued-20-weeks
    value: issued_20wk_rate
    numerator: issued_20wk
    denominator: issued_total
    filters: {breakdown_topic: Total}
  - indicator: personal-budgets-in-place
    value: personal_budgets
    filters: {breakdown_topic: Total}
  - indicator: active-ehc-plans
    value: ehc_plans
    filters: {breakdown_topic: Age}
    breakdown:
      column: breakdown
      dimension: age_band
      groups: {Under 5: 0 to 4, Age 5 to 10: 5 to 10, Age 11 to 15: 11 to 15}
"""


def _areas() -> list[str]:
    """Each area's geography columns (up to la_name), England, the regions and every council
    that has an old DfE code."""
    known = known_areas().values()
    rows = []
    for a in known:
        if a.level == NATIONAL:
            rows.append(f"National,{a.code},England,,,,,")
        elif a.level == REGIONAL:
            rows.append(f"Regional,E92000001,England,{a.code},{a.name},,,")
        elif a.level == COUNCIL and a.old_code and not a.successors:
            region = known_areas()[a.region_code].name
            name = f'"{a.name}"' if "," in a.name else a.name
            rows.append(
                f"Local authority,E92000001,England,{a.region_code},{region},{a.code},"
                f"{a.old_code},{name}"
            )
    return rows


def make_release(path: Path, megabytes: int = MEGABYTES) -> int:
    """Write the release (about `megabytes` MB); return its number of rows. Totals and ages
    carry real-looking figures; a 'Detail' topic with as many groups as the size needs pads
    the file as DfE's many characteristics do."""
    rng = random.Random(14)
    areas = _areas()
    tails = [",".join(str(rng.randint(0, 99999)) for _ in range(12)) for _ in range(997)]
    per_row = 205  # bytes, roughly, in a padding row
    details = max(1, megabytes * 1_000_000 // (len(areas) * len(YEARS) * per_row))
    rows = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER + "\n")
        for year in YEARS:
            for area in areas:
                head = f"{year},Calendar year,{area}"
                total = rng.randint(100, 900)
                issued = rng.randint(0, total)
                rate = round(issued / total * 100, 1)
                budgets = rng.choice(["c", "z", str(rng.randint(10, 400))])
                lines = [f"{head},Total,Total,{rng.randint(500, 9000)},{rate},{issued},{total},"]
                lines[0] += f"{budgets},{tails[rows % 997]}"
                for age in AGES:
                    lines.append(f"{head},Age,{age},{rng.randint(50, 900)},,,,,{tails[0]}")
                for d in range(details):
                    lines.append(f"{head},Detail,Group {d},{d},,,,,{tails[(rows + d) % 997]}")
                out.write("\n".join(lines) + "\n")
                rows += len(lines)
    return rows


def _peak_mb() -> float:
    return peak_mb()


def _ours(csv_path: Path, mapping_path: Path, db: Path) -> dict[str, object]:
    from charter import load_charter
    from charter.ees_models import load_mapping
    from metrics.ingest.published.ees import import_ees
    from metrics.store.connection import Store

    charter = load_charter()
    mapping = load_mapping(mapping_path, charter)
    db.unlink(missing_ok=True)
    store = Store(db)
    with store.connect():
        pass  # creating the schema is not part of the import
    start = time.perf_counter()
    content = csv_path.read_bytes()
    report = import_ees(store, charter, csv_path.name, content, mapping, by="bench")
    seconds = time.perf_counter() - start
    if report.outcome != "imported":
        raise RuntimeError(f"bench release not imported: {report.summary()} {report.errors[:3]}")
    return {"seconds": seconds, "peak_mb": _peak_mb(), "figures": report.rows}


def _duckdb(csv_path: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "
        "all_varchar = true)",
        [str(csv_path)],
    )
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def _measure(side: str, *args: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.ees", side, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(work: Path, repeats: int = 3) -> list[dict[str, object]]:
    work.mkdir(parents=True, exist_ok=True)
    csv_path, mapping_path = work / "bench-release.csv", work / "bench-release.yaml"
    mapping_path.write_text(MAPPING, encoding="utf-8")
    rows = make_release(csv_path)
    size_mb = csv_path.stat().st_size / 1_000_000
    ours = [_measure("ours", csv_path, mapping_path, work / "ees.duckdb") for _ in range(repeats)]
    base = [_measure("duckdb", csv_path) for _ in range(repeats)]
    ours_s, base_s = min(r["seconds"] for r in ours), min(r["seconds"] for r in base)
    ours_mb, base_mb = max(r["peak_mb"] for r in ours), max(r["peak_mb"] for r in base)
    if size_mb >= 450 and ours_mb > MEMORY_TARGET_MB:
        raise RuntimeError(f"importing a {size_mb:.0f} MB release took {ours_mb:.0f} MB")
    name = f"EES import, {size_mb:,.0f} MB release ({rows:,} rows, {ours[0]['figures']:,} figures)"
    return [
        {
            "name": f"{name}: speed",
            "value": round(rows / ours_s),
            "unit": "rows/s",
            "baseline": round(rows / base_s),
            "ratio": round(ours_s / base_s, 2),
            "target": "ratio <= 3 (our time / DuckDB read_csv of the file, all columns as text)",
        },
        {
            "name": f"{name}: peak memory",
            "value": round(ours_mb),
            "unit": "MB",
            "baseline": round(base_mb),
            "ratio": round(ours_mb / base_mb, 2),
            "target": f"under {MEMORY_TARGET_MB} MB for a 500 MB release (baseline: DuckDB's "
            "read_csv into an in-memory table, in its own process)",
        },
    ]


if __name__ == "__main__":
    side, *paths = sys.argv[1:]
    if side == "ours":
        result = _ours(Path(paths[0]), Path(paths[1]), Path(paths[2]))
    else:
        result = _duckdb(Path(paths[0]))
    print(json.dumps(result))
