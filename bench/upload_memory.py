"""Upload memory: a return as large as the upload page accepts (a 50 MB CSV, the page's
`maxUploadSize`; a workbook just under MAX_WORKBOOK_MB, the largest one read) is checked,
previewed and stored as the page does it, in a fresh process, and its peak memory is read
from the operating system. The CSV read by DuckDB's own read_csv into a table, in a process
of its own, is the baseline per MB of input.

`python -m bench.upload_memory ours|duckdb FILE DB` prints one JSON line.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import peak_mb
from charter import Charter
from metrics.ingest.read_xlsx import MAX_WORKBOOK_MB
from metrics.periods.model import Period, PeriodKind
from metrics.reference import COUNCIL, known_areas

UPLOAD_CAP_MB = 50  # .streamlit/config.toml: server.maxUploadSize
MEMORY_TARGET_MB = 1024
NOTE = "Figures checked against the case management system by the team's analyst"


def make_return(charter: Charter, path: Path, megabytes: float = UPLOAD_CAP_MB - 0.1) -> int:
    """A valid return of just under `megabytes` MB: every council's figure for every
    quarterly indicator, quarter after quarter, each with a note. Returns its rows."""
    rng = random.Random(17)
    quarterly = [i for i in charter.indicators.values() if i.frequency == "quarterly"]
    councils = [a.code for a in known_areas().values() if a.level == COUNCIL][:153]
    limit = int(megabytes * 1024 * 1024)
    header = "indicator,period,value,area,breakdown,group,numerator,denominator,status,note\n"
    size, rows = len(header), 0
    quarter = Period(PeriodKind.FY_QUARTER, 1990, 1)  # earliest_year in council.yaml
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        while True:
            for area in councils:
                for ind in quarterly:
                    if ind.multiplier is not None:
                        den = rng.randint(20, 400)
                        num = rng.randint(0, den)
                        value = round(num / den * ind.multiplier, ind.decimals)
                        line = (
                            f"{ind.id},{quarter.label},{value},{area},,,{num},{den},final,{NOTE}\n"
                        )
                    else:
                        line = f"{ind.id},{quarter.label},{rng.randint(0, 900)},{area},,,,,final,"
                        line += f"{NOTE}\n"
                    if size + len(line) > limit:
                        return rows
                    out.write(line)
                    size, rows = size + len(line), rows + 1
            quarter = quarter.shift(1)


def make_workbook(csv_file: Path, path: Path, megabytes: float = MAX_WORKBOOK_MB - 0.1) -> int:
    """The CSV's first rows as a workbook (sheet 'Return', figures as numbers) of just under
    `megabytes` MB; returns its rows. Written twice: a sample gives the rows per MB."""
    import openpyxl

    def write(rows: int) -> None:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Return")
        with csv_file.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if n > rows:
                    break
                cells: list[object] = list(line.rstrip("\n").split(","))
                if n:  # value, numerator and denominator as numbers, as Excel keeps them
                    cells = [
                        float(str(c)) if k in (2, 6, 7) and c else c for k, c in enumerate(cells)
                    ]
                sheet.append(cells)
        book.save(path)

    sample = 20_000
    write(sample)
    rows = int(sample * megabytes * 1024 * 1024 / path.stat().st_size * 0.97)
    write(rows)
    while path.stat().st_size > megabytes * 1024 * 1024:
        rows = int(rows * 0.95)
        write(rows)
    return rows


def _peak_mb() -> float:
    return peak_mb()


def ours(file: Path, db: Path) -> dict[str, float]:
    """What the upload page does with the file: check it and preview the changes (the page
    keeps that report while the analyst reads it), then store it."""
    from charter import load_charter
    from metrics.ingest import check_file, load_file
    from metrics.store.connection import Store

    charter, store = load_charter(), Store(db)
    with store.connect():
        pass  # the schema exists before anyone uploads
    before = _peak_mb()
    start = time.perf_counter()
    content = file.read_bytes()
    preview = check_file(store, charter, file.name, content, log_as="bench")
    stored = load_file(store, charter, file.name, content, by="bench")
    if preview.outcome != "preview" or stored.outcome != "loaded":
        raise RuntimeError(f"not stored: {preview.summary()} / {stored.summary()}")
    return {"seconds": time.perf_counter() - start, "before": before, "peak": _peak_mb()}


def duckdb_read(file: Path, db: Path) -> dict[str, float]:
    """The baseline: DuckDB reads the CSV into a table in memory (as the EES benchmark does),
    so the table's size shows in the process's peak."""
    import duckdb

    con = duckdb.connect()
    before = _peak_mb()
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header = true)", [str(file)])
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    con.close()
    return {"seconds": seconds, "before": before, "peak": peak}


def _in_process(kind: str, file: Path, db: Path) -> dict[str, float]:
    db.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.upload_memory", kind, str(file), str(db)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"upload memory ({kind}) failed: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(charter: Charter, work: Path) -> list[dict[str, object]]:
    work.mkdir(parents=True, exist_ok=True)
    file, workbook = work / "return-50mb.csv", work / "return.xlsx"
    rows = make_return(charter, file)
    sheet_rows = make_workbook(file, workbook)
    base = _in_process("duckdb", file, work / "upload-duckdb.duckdb")
    base["per_mb"] = (base["peak"] - base["before"]) / _mb(file)
    return [
        *_entries(f"a {_mb(file):.0f} MB return", rows, file, work, base),
        *_entries(f"a {_mb(workbook):.1f} MB workbook", sheet_rows, workbook, work, base),
    ]


def _mb(path: Path) -> float:
    return path.stat().st_size / 1024 / 1024


def _entries(
    what: str, rows: int, file: Path, work: Path, base: dict[str, float]
) -> list[dict[str, object]]:
    mine = _in_process("ours", file, work / "upload-ours.duckdb")
    per_mb = (mine["peak"] - mine["before"]) / _mb(file)
    name = f"upload of {what} ({rows:,} rows: check, preview, store)"
    csv_words = "DuckDB's read_csv of the 50 MB CSV into a table in memory"
    return [
        {
            "name": f"{name}: peak memory",
            "value": round(mine["peak"]),
            "unit": "MB",
            "baseline": round(mine["before"]),
            "ratio": round(mine["peak"] / mine["before"], 2),
            "target": f"under {MEMORY_TARGET_MB} MB (baseline: the same process before the file)",
        },
        {
            "name": f"{name}: memory per MB of input",
            "value": round(per_mb, 1),
            "unit": "MB/MB",
            "baseline": round(base["per_mb"], 1),
            "ratio": round(per_mb / max(base["per_mb"], 0.1), 2),
            "target": f"reported (baseline: {csv_words}, per MB)",
        },
        {
            "name": f"{name}: time",
            "value": round(mine["seconds"], 1),
            "unit": "s",
            "baseline": round(base["seconds"], 1),
            "ratio": round(mine["seconds"] / base["seconds"], 2),
            "target": f"reported (baseline: {csv_words})",
        },
    ]


def misses(entries: list[dict[str, object]]) -> list[str]:
    return [
        f"{e['name']}: {e['value']} MB > {MEMORY_TARGET_MB} MB"
        for e in entries
        if str(e["name"]).endswith("peak memory")
        and "upload of" in str(e["name"])
        and float(str(e["value"])) > MEMORY_TARGET_MB
    ]


if __name__ == "__main__":
    kind, path, database = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    measure = ours if kind == "ours" else duckdb_read
    print(json.dumps(measure(path, database)))
