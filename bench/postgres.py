"""The PostgreSQL backend against the DuckDB file, in the same run (issue 29).

PostgreSQL is a throwaway cluster (deploy/postgres.py, as `make cluster` starts it: Debian's
PostgreSQL in a temporary folder, run as the `postgres` user, reached over 127.0.0.1 with a
password, default settings), one for the pages and one for the national demo, each removed
afterwards. Both backends hold the same data, built by the same code through the store
(`build_demo`, `build_national`), and are measured the same way:

- **pages**: our app served by `streamlit run` on each backend, both servers running,
  measured as bench/pages.py measures it (warm: fresh sessions alone, the median of 9 per
  page; crowd: 24 sessions, two pages each, while an analyst loads two returns, three
  rounds, the backends taking turns round by round). One entry for warm (the median over our
  six pages) and one for the crowd (the median of every page time).
- **status**: the whole charter's status for one council in the 153-council national demo,
  the fastest of five, on each backend.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import load, pages
from bench.builds import status_time
from bench.load import Page
from bench.server import Server
from charter import Charter
from deploy.cluster import free_port
from deploy.postgres import Postgres
from metrics.demo.council import build_demo
from metrics.demo.national import build_national
from metrics.store import bulk
from metrics.store.connection import Store
from metrics.store.postgres import close_pool

WARM_TARGET = CROWD_TARGET = 1.2
STATUS_TARGET = 2.0
VS = "PostgreSQL vs DuckDB"


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster of its own with an empty `outcomes` database: its URL."""
    folder = Path(tempfile.mkdtemp(prefix="outcomes-bench-pg-"))
    server = Postgres(folder, free_port())
    try:
        server.start()
        yield server.url
    finally:
        try:
            close_pool(server.url)  # this process's connections, before the server stops
            server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Backend:
    """Our pages on one backend: each page's warm time, every page time of the crowds, and
    every error (a page that failed or did not draw; a load that did not run)."""

    warm: dict[Page, float] = field(default_factory=dict)
    crowd: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    opened: int = 0  # pages asked for in the crowds


def _crowd(server: Server, db: Path | str, work: Path, n: int, out: Backend) -> None:
    """Round `n` of the crowds on one backend (its loads' quarters are round n's)."""
    plans = pages.crowd_plans(list(pages.OURS.values()))
    quarters = [f"{2010 + n}-{11 + n:02d} Q{q}" for q in (1, 2)]
    report = load.run(server.url, db, work / f"crowd-{n}", plans=plans, quarters=quarters)
    out.crowd += report.times
    out.errors += report.errors
    out.opened += sum(len(plan) for plan in plans)


def measure(
    backends: dict[str, Path | str], work: Path, rounds: int = pages.ROUNDS
) -> dict[str, Backend]:
    """Our app on each of `backends` (a DuckDB file or a postgresql:// URL, by name),
    measured as bench/pages.py measures it: each server started and its warm pages timed,
    then the crowds taking turns, round by round, the first backend first in even rounds and
    last in odd ones, so that neither has the machine's quieter minutes to itself. Errors are
    counted (a MISSED), not raised, so the other entries still come."""
    ours = list(pages.OURS.values())
    out = {name: Backend() for name in backends}
    servers: dict[str, Server] = {}
    try:
        for name, db in backends.items():
            (work / name).mkdir(parents=True, exist_ok=True)
            servers[name] = Server(db, log=work / name / "server.log")
            try:
                out[name].warm = pages.warm(servers[name].url, ours)
            except RuntimeError as err:
                out[name].errors.append(f"warm: {err}")
        for n in range(rounds):
            names = list(backends) if n % 2 == 0 else list(reversed(backends))
            for name in names:
                _crowd(servers[name], backends[name], work / name, n, out[name])
    finally:
        for server in servers.values():
            server.stop()
    return out


def page_times(charter: Charter, demo_db: Path, work: Path) -> tuple[Backend, Backend]:
    """Our pages on a copy of the demo DuckDB file and on the demo built in PostgreSQL."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "duckdb.duckdb"
    shutil.copyfile(demo_db, copy)
    with throwaway_postgres() as url:
        build_demo(Store(url), charter)
        close_pool(url)
        both = measure({"duckdb": copy, "postgres": url}, work)
    return both["duckdb"], both["postgres"]


def status_times(charter: Charter, national_db: Path, work: Path) -> tuple[float, float, int]:
    """The whole charter's status for one council, national scale: DuckDB's seconds,
    PostgreSQL's, and how many figure versions each holds (the same number)."""
    duckdb = Store(national_db)
    on_duckdb = status_time(duckdb, charter)
    with duckdb.connect() as con:
        rows = bulk.figure_versions(con)
    with throwaway_postgres() as url:
        postgres = Store(url)
        build_national(postgres, charter, work)
        with postgres.connect() as con:
            if bulk.figure_versions(con) != rows:
                raise RuntimeError("the national demo differs between DuckDB and PostgreSQL")
        on_postgres = status_time(postgres, charter)
    return on_duckdb, on_postgres, rows


def run(charter: Charter, work: Path, demo_db: Path, national_db: Path) -> list[dict[str, object]]:
    on_duckdb, on_postgres = page_times(charter, demo_db, work / "postgres-pages")
    status = status_times(charter, national_db, work / "postgres-national")
    return results(on_duckdb, on_postgres, *status)


def _median(times: list[float]) -> float:
    return statistics.median(times) if times else float("inf")


def results(
    on_duckdb: Backend,
    on_postgres: Backend,
    status_duckdb: float,
    status_postgres: float,
    rows: int,
) -> list[dict[str, object]]:
    warm_d, warm_p = (
        _median(list(on_duckdb.warm.values())),
        _median(list(on_postgres.warm.values())),
    )
    crowd_d, crowd_p = _median(on_duckdb.crowd), _median(on_postgres.crowd)
    crowd_words = f"{pages.SESSIONS} sessions, 2 pages each, during a load"
    errors = len(on_duckdb.errors) + len(on_postgres.errors)
    opened = on_duckdb.opened + on_postgres.opened
    return [
        {
            "name": f"our pages, warm, single session (median of our six pages), {VS}",
            "value": round(warm_p, 3),
            "unit": "s",
            "baseline": round(warm_d, 3),
            "ratio": round(warm_p / warm_d, 2),
            "target": f"ratio <= {WARM_TARGET} (baseline: the same pages on the DuckDB file)",
        },
        {
            "name": f"our pages, crowd median ({crowd_words}), {VS}",
            "value": round(crowd_p, 3),
            "unit": "s",
            "baseline": round(crowd_d, 3),
            "ratio": round(crowd_p / crowd_d, 2),
            "target": f"ratio <= {CROWD_TARGET} (baseline: the same crowds on the DuckDB file)",
        },
        {
            "name": f"our pages, errors in the crowds, {VS}",
            "value": errors,
            "unit": "pages",
            "baseline": opened,
            "ratio": round(errors / opened, 3) if opened else 1.0,
            "target": "ratio = 0: no page fails on either backend (baseline: pages asked for)",
        },
        {
            "name": f"charter status for one council, national scale ({rows:,} rows), {VS}",
            "value": round(status_postgres * 1000, 1),
            "unit": "ms",
            "baseline": round(status_duckdb * 1000, 1),
            "ratio": round(status_postgres / status_duckdb, 2),
            "target": f"ratio <= {STATUS_TARGET} (baseline: the same on the DuckDB file)",
        },
    ]


def misses(entries: list[dict[str, object]]) -> list[str]:
    """This benchmark's entries whose ratio is over its target."""
    limits = {"warm,": WARM_TARGET, "crowd median": CROWD_TARGET, "charter status": STATUS_TARGET}
    out = []
    for e in entries:
        name = str(e["name"])
        if not name.endswith(VS):
            continue
        for words, limit in limits.items():
            if words in name and not float(str(e["ratio"])) <= limit:
                out.append(f"{name}: ratio {e['ratio']} > {limit}")
        if "errors in the crowds" in name and float(str(e["ratio"])) != 0:
            out.append(f"{name}: {e['value']} of {e['baseline']} pages failed")
    return out
