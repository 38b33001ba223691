"""Ingest benchmark: validate and commit a 100,000-row return, against DuckDB's own
read_csv + INSERT of the same file, both measured in the same run."""

from __future__ import annotations

import random
import time
from pathlib import Path

import duckdb

from charter import Charter
from metrics.ingest import load_file
from metrics.periods.model import Period, PeriodKind
from metrics.reference import COUNCIL, known_areas
from metrics.store.connection import Store

ROWS = 100_000


def make_return(charter: Charter, path: Path, rows: int = ROWS) -> Path:
    """A valid return of `rows` rows: many councils x quarterly indicators x quarters."""
    rng = random.Random(7)
    quarterly = [i for i in charter.indicators.values() if i.frequency == "quarterly"]
    lines = ["indicator,period,value,area,breakdown,group,numerator,denominator,status,note"]
    quarter = Period(PeriodKind.FY_QUARTER, 2000, 1)
    councils = [a.code for a in known_areas().values() if a.level == COUNCIL][:153]
    while len(lines) <= rows:
        for area in councils:  # real councils' codes: only known areas are accepted
            for ind in quarterly:
                if len(lines) > rows:
                    break
                if ind.multiplier is not None:
                    den = rng.randint(20, 400)
                    num = rng.randint(0, den)
                    value = round(num / den * ind.multiplier, ind.decimals)
                    lines.append(f"{ind.id},{quarter.label},{value},{area},,,{num},{den},final,")
                else:
                    lines.append(
                        f"{ind.id},{quarter.label},{rng.randint(0, 900)},{area},,,,,final,"
                    )
        quarter = quarter.shift(1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ours(charter: Charter, csv_path: Path, db: Path) -> float:
    db.unlink(missing_ok=True)
    store = Store(db)
    with store.connect():
        pass  # schema creation is not part of ingest
    start = time.perf_counter()
    report = load_file(store, charter, csv_path.name, csv_path.read_bytes(), by="bench")
    elapsed = time.perf_counter() - start
    if report.outcome != "loaded" or report.added != ROWS:
        raise RuntimeError(f"bench return not loaded: {report.summary()} {report.errors[:3]}")
    return elapsed


def baseline(csv_path: Path, db: Path) -> float:
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE t (indicator VARCHAR, period VARCHAR, value DOUBLE, area VARCHAR, "
        "breakdown VARCHAR, grp VARCHAR, numerator DOUBLE, denominator DOUBLE, "
        "status VARCHAR, note VARCHAR)"
    )
    start = time.perf_counter()
    con.execute("INSERT INTO t SELECT * FROM read_csv(?, header = true)", [str(csv_path)])
    con.close()  # both sides are timed until the file is closed, with the rows written out
    return time.perf_counter() - start


def run(charter: Charter, work: Path, repeats: int = 5) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    csv_path = make_return(charter, work / "return-100k.csv")
    ours_s = min(ours(charter, csv_path, work / "ours.duckdb") for _ in range(repeats))
    base_s = min(baseline(csv_path, work / "baseline.duckdb") for _ in range(repeats))
    return {
        "name": "ingest 100,000-row return (validate + commit)",
        "value": round(ROWS / ours_s),
        "unit": "rows/s",
        "baseline": round(ROWS / base_s),
        "ratio": round(ours_s / base_s, 2),
        "target": "ratio <= 2 (our time / DuckDB read_csv + INSERT time)",
        "max_ratio": 2,
    }
