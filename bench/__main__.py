"""Run every benchmark and write bench/results.json: a list of {name, value, unit, baseline,
ratio}. Each baseline is measured in the same run, on the same machine."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    disclosure,
    ees,
    goals,
    ingest,
    pack_memory,
    packs,
    pages,
    postgres,
    proxy,
    upload_memory,
)
from bench.builds import demo_database, national_database, status_time
from charter import Charter, load_charter
from metrics.store import bulk
from metrics.store.connection import Store

HERE = Path(__file__).resolve().parent


def national_status(charter: Charter, work: Path, repeats: int = 5) -> dict[str, object]:
    """The whole charter's status (all statements and indicators, SPC and benchmarks) for one
    council in a national-scale database, against one plain aggregate over every row."""
    store = Store(national_database(charter, work))

    def baseline() -> float:
        start = time.perf_counter()
        with store.connect() as con:
            # The measurement's yardstick, not a query of the app: one plain aggregate over
            # every row, run by DuckDB itself (allowed in tests/unit/test_store_boundary.py).
            con.execute(
                "SELECT indicator_id, count(*), avg(value) FROM observations GROUP BY ALL"
            ).fetchall()
        return time.perf_counter() - start

    with store.connect() as con:
        rows = bulk.figure_versions(con)
    ours_s = status_time(store, charter, repeats)
    base_s = min(baseline() for _ in range(repeats))
    return {
        "name": f"charter status for one council, national scale ({rows:,} rows)",
        "value": round(ours_s * 1000, 1),
        "unit": "ms",
        "baseline": round(base_s * 1000, 1),
        "ratio": round(ours_s / base_s, 2),
        "target": "under 300 ms and ratio <= 5 (baseline: one GROUP BY over all rows)",
    }


def page_times(charter: Charter, work: Path) -> list[dict[str, object]]:
    """Our pages against the floor app: warm, in a crowd during a load, and cold."""
    return pages.run(demo_database(charter, work), work / "pages")


BENCHMARKS: dict[str, Callable[[Charter, Path], list[dict[str, object]]]] = {
    "ingest": lambda charter, work: [ingest.run(charter, work)],
    "upload-memory": lambda charter, work: upload_memory.run(charter, work),
    "pack-memory": lambda charter, work: pack_memory.run(charter, work),
    "packs": packs.run,
    "ees": lambda charter, work: ees.run(work),
    "status": lambda charter, work: [national_status(charter, work)],
    "pages": page_times,
    "disclosure": disclosure.run,
    "proxy": lambda charter, work: proxy.run(demo_database(charter, work)),
    "postgres": lambda charter, work: postgres.run(
        charter, work, demo_database(charter, work), national_database(charter, work)
    ),
}


def main(names: list[str]) -> int:
    """Run the benchmarks named (all by default); their entries replace the same entries in
    bench/results.json, so one can be run again on its own."""
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    charter, work = load_charter(), HERE / "work"
    work.mkdir(parents=True, exist_ok=True)
    return _run(names, charter, work, HERE / "results.json")


def _run(names: list[str], charter: Charter, work: Path, path: Path) -> int:
    results = json.loads(path.read_text(encoding="utf-8")) if names and path.exists() else []
    for name in names or list(BENCHMARKS):
        new = [{**e, "bench": name} for e in BENCHMARKS[name](charter, work)]
        fresh = {str(e["name"]) for e in new}
        # An entry of this benchmark from an earlier run goes too, even under another name
        # (a generated file a row longer): it would be reported, and missed, as if measured now.
        results = [r for r in results if r["name"] not in fresh and r.get("bench") != name] + new
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(
            f"{r['name']}: {r['value']} {r['unit']} (baseline {r['baseline']}), ratio {r['ratio']}"
        )
    missed = pages.misses(results) + upload_memory.misses(results) + pack_memory.misses(results)
    missed += proxy.misses(results) + postgres.misses(results) + goals.misses(results)
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
