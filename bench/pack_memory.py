"""Pack memory: the planning group's pack (HTML, PDF and spreadsheet, as the Packs page makes
it) for a big quarter, 3,000 actions agreed in it, each with two progress notes, in a fresh
process; its peak memory is read from the operating system. The baseline is the same pack
for the demo's quarter as shipped (a few dozen actions), also in a process of its own.

`python -m bench.pack_memory DB` prints one JSON line.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.memory import peak_mb
from charter import Charter
from metrics.demo.council import build_demo
from metrics.store import bulk
from metrics.store.connection import Store

QUARTER = "2026-27 Q2"
ACTIONS = 3000
MEMORY_TARGET_MB = 1024
VERBS = ("Recruit", "Review", "Publish", "Audit", "Train", "Commission", "Agree", "Extend")
OBJECTS = (
    "two speech and language therapists for the northern locality",
    "the EHC plan quality assurance framework with the parent carer forum",
    "short breaks eligibility criteria on the Local Offer in plain English",
    "transition planning for every Year 9 review with health and social care",
)


def add_actions(store: Store, charter: Charter, n: int = ACTIONS) -> None:
    """`n` actions agreed in QUARTER, each with two dated log entries (inserted directly:
    this is the benchmark's data, not a path a person takes)."""
    rng = random.Random(25)
    owners = list(charter.owners)
    statements = [s.number for s in charter.statements]
    now = datetime(2026, 10, 20, 10)
    with store.connect() as con:
        first = bulk.last_action_id(con)
        actions, updates = [], []
        for k in range(first + 1, first + n + 1):
            title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (action {k})"
            due = date(2026, 11, 1) + timedelta(days=rng.randint(0, 300))
            actions.append((k, title, rng.choice(statements), "", rng.choice(owners), due,
                            QUARTER, "Bench Member", now))  # fmt: skip
            updates.append((k, 1, "not started", "Agreed", "Bench Member", now))
            status = rng.choice(("on track", "at risk", "done"))
            note = f"Progress noted at the October meeting: {rng.choice(OBJECTS)}."
            updates.append((k, 2, status, note, "Bench Member", now + timedelta(days=7)))
        bulk.add_actions(con, actions, updates)


def build_once(db: Path) -> dict[str, float]:
    """What the Packs page does when the planning group's pack is asked for."""
    from charter import load_charter
    from metrics import packs as pack
    from metrics.access.people import command_line

    charter, store = load_charter(), Store(db)
    with store.connect():
        pass
    before = peak_mb()
    start = time.perf_counter()
    _, files = pack.make(store, charter, QUARTER, pack.PLANNING_GROUP, pack.FORMATS,
                         command_line("bench"))  # fmt: skip
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "before": before, "peak": peak_mb(),
            "bytes": float(sum(len(v) for v in files.values()))}  # fmt: skip


def _in_process(db: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pack_memory", str(db)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pack memory failed: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(charter: Charter, work: Path) -> list[dict[str, object]]:
    work.mkdir(parents=True, exist_ok=True)
    demo, big = work / "pack-demo.duckdb", work / "pack-big.duckdb"
    demo.unlink(missing_ok=True)
    build_demo(Store(demo), charter)
    shutil.copy(demo, big)
    add_actions(Store(big), charter)
    base, mine = _in_process(demo), _in_process(big)
    name = f"planning-group pack for a quarter with {ACTIONS:,} actions (HTML, PDF, XLSX)"
    return [
        {
            "name": f"{name}: peak memory",
            "value": round(mine["peak"]),
            "unit": "MB",
            "baseline": round(base["peak"]),
            "ratio": round(mine["peak"] / base["peak"], 2),
            "target": f"under {MEMORY_TARGET_MB} MB (baseline: the demo quarter's pack)",
        },
        {
            "name": f"{name}: time",
            "value": round(mine["seconds"], 1),
            "unit": "s",
            "baseline": round(base["seconds"], 1),
            "ratio": round(mine["seconds"] / base["seconds"], 2),
            "target": "ratio <= 10 (baseline: the demo quarter's pack)",
            "max_ratio": 10,
        },
    ]


def misses(entries: list[dict[str, object]]) -> list[str]:
    return [
        f"{e['name']}: {e['value']} MB > {MEMORY_TARGET_MB} MB"
        for e in entries
        if str(e["name"]).startswith("planning-group pack") and e["unit"] == "MB"
        and float(str(e["value"])) > MEMORY_TARGET_MB
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(build_once(Path(sys.argv[1]))))
