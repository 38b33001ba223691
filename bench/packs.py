"""Packs from the command line for the demo quarter, each in a fresh process as a person
runs `python -m metrics pack`: the scrutiny pack as PDF against WeasyPrint's own command
(`python -m weasyprint`) rendering the same pack's HTML to the same PDF variant, and the pack
as HTML and as XLSX against the command's start-up (`python -m metrics pack --help`: Python,
the command's imports and its parser). The fastest of three of each.

The project's modules are compiled to bytecode first, as an installed program's are (pip
compiles what it installs; Python writes the rest on first use): where the environment
sets PYTHONDONTWRITEBYTECODE, as this project's sandbox does, every run would otherwise
compile them again from source, a cost no council's server pays (bench/README.md).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.builds import demo_database
from charter import Charter

QUARTER = "2026-27 Q2"
ROOT = Path(__file__).resolve().parent.parent
PDF_GOAL, EXTRA_GOAL_S = 1.3, 0.5


def _timed(args: list[str], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def _pack(db: Path, fmt: str, out: Path) -> list[str]:
    return ["-m", "metrics", "pack", "--db", str(db), "--quarter", QUARTER,
            "--audience", "scrutiny", "--format", fmt, "--out", str(out)]  # fmt: skip


def run(charter: Charter, work: Path) -> list[dict[str, object]]:
    db = demo_database(charter, work)
    compiled = [sys.executable, "-m", "compileall", "-q", "metrics", "charter", "ui", "bench"]
    subprocess.run(compiled, check=True, capture_output=True, cwd=ROOT)
    out = work / "packs"
    out.mkdir(parents=True, exist_ok=True)
    start_up = _timed(["-m", "metrics", "pack", "--help"])
    times = {fmt: _timed(_pack(db, fmt, out / f"pack.{fmt}")) for fmt in ("html", "xlsx", "pdf")}
    weasyprint = _timed(["-m", "weasyprint", "--pdf-variant", "pdf/ua-1",
                         str(out / "pack.html"), str(out / "weasyprint.pdf")])  # fmt: skip
    entries: list[dict[str, object]] = [
        {
            "name": "scrutiny pack as PDF, demo quarter (command line)",
            "value": round(times["pdf"], 2),
            "unit": "s",
            "baseline": round(weasyprint, 2),
            "ratio": round(times["pdf"] / weasyprint, 2),
            "target": f"ratio <= {PDF_GOAL} (baseline: python -m weasyprint, the same HTML)",
            "max_ratio": PDF_GOAL,
        }
    ]
    for fmt in ("html", "xlsx"):
        entries.append(
            {
                "name": f"scrutiny pack as {fmt.upper()}, demo quarter (command line): time "
                "beyond the command's start-up",
                "value": round(times[fmt] - start_up, 2),
                "unit": "s",
                "baseline": round(start_up, 2),
                "ratio": round(times[fmt] / start_up, 2),
                "target": f"value <= {EXTRA_GOAL_S} s (baseline: python -m metrics pack --help)",
                "max_value": EXTRA_GOAL_S,
            }
        )
    return entries
