"""Run every benchmark and write bench/results.json: a list of {name, value, unit, baseline,
ratio}. Each baseline is measured in the same run, on the same machine."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench import ees, ingest, load
from bench.server import Server
from charter import Charter, load_charter
from metrics.demo import build_demo
from metrics.national import build_national
from metrics.periods import parse_period
from metrics.rollup import charter_status
from metrics.store import Store

HERE = Path(__file__).resolve().parent


def national_status(charter: Charter, work: Path, repeats: int = 5) -> dict[str, object]:
    """The whole charter's status (all statements and indicators, SPC and benchmarks) for one
    council in a national-scale database, against one plain aggregate over every row."""
    db = work / "national.duckdb"
    db.unlink(missing_ok=True)
    build_national(Store(db), charter, work)
    store, quarter = Store(db), parse_period("2026-27 Q2")
    charter_status(store, charter, quarter)  # warm: first use loads libraries

    def ours() -> float:
        start = time.perf_counter()
        charter_status(store, charter, quarter)
        return time.perf_counter() - start

    def baseline() -> float:
        start = time.perf_counter()
        with store.connect() as con:
            con.execute(
                "SELECT indicator_id, count(*), avg(value) FROM observations GROUP BY ALL"
            ).fetchall()
        return time.perf_counter() - start

    with store.connect() as con:
        rows = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    ours_s = min(ours() for _ in range(repeats))
    base_s = min(baseline() for _ in range(repeats))
    return {
        "name": f"charter status for one council, national scale ({rows:,} rows)",
        "value": round(ours_s * 1000, 1),
        "unit": "ms",
        "baseline": round(base_s * 1000, 1),
        "ratio": round(ours_s / base_s, 2),
        "target": "under 300 ms and ratio <= 5 (baseline: one GROUP BY over all rows)",
    }


def crowd(charter: Charter, work: Path) -> list[dict[str, object]]:
    """20 sessions and a scheduled load against a real server on a fresh demo database."""
    db = work / "crowd.duckdb"
    db.unlink(missing_ok=True)
    build_demo(Store(db), charter)
    server = Server(db)
    try:
        alone = load.single(server.url)
        report = load.run(server.url, db, work / "crowd", sessions=20)
    finally:
        server.stop()
    if report.errors:
        raise RuntimeError(f"the load benchmark had errors: {report.errors[:5]}")
    name = f"page time, {report.sessions} concurrent sessions during a load"
    return [
        {
            "name": f"{name} (median)",
            "value": round(report.median, 3),
            "unit": "s",
            "baseline": round(alone, 3),
            "ratio": round(report.median / alone, 2),
            "target": "every session renders, no errors, no lock failures; baseline: one session",
        },
        {
            "name": f"{name} (worst)",
            "value": round(report.worst, 3),
            "unit": "s",
            "baseline": round(alone, 3),
            "ratio": round(report.worst / alone, 2),
            "target": "every session renders, no errors, no lock failures; baseline: one session",
        },
    ]


def main() -> int:
    charter = load_charter()
    results = [
        ingest.run(charter, HERE / "work"),
        *ees.run(HERE / "work"),
        national_status(charter, HERE / "work"),
        *crowd(charter, HERE / "work"),
    ]
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(
            f"{r['name']}: {r['value']} {r['unit']} (baseline {r['baseline']}), ratio {r['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
