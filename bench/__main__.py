"""Run every benchmark and write bench/results.json: a list of {name, value, unit, baseline,
ratio}. Each baseline is measured in the same run, on the same machine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import ingest, load
from bench.server import Server
from charter import Charter, load_charter
from metrics.demo import build_demo
from metrics.store import Store

HERE = Path(__file__).resolve().parent


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
    results = [ingest.run(charter, HERE / "work"), *crowd(charter, HERE / "work")]
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(
            f"{r['name']}: {r['value']} {r['unit']} (baseline {r['baseline']}), ratio {r['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
