"""A committee's worth of users: concurrent sessions over Streamlit's own websocket protocol
(no browser), each opening the overview and then an indicator page, while an analyst's
`python -m metrics load` runs."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

from metrics.config import is_database_url
from metrics.store.on_disk import in_use_elsewhere

T = TypeVar("T")

# (page name, query string, a text the page draws once its figures are in)
Page = tuple[str, str, str]

OVERVIEW: Page = ("", "", "The charter statements")
STATEMENT: Page = ("Statement", "statement=5", "Indicators")
INDICATOR: Page = (
    "Indicator",
    "indicator=ehcp-issued-20-weeks",
    "EHC plans issued within 20 weeks (excluding exceptions)",
)
REVIEW: Page = ("Review", "", "Statements")
SCRUTINY: Page = ("Scrutiny", "", "Questions members may want to ask")
SCORECARD: Page = ("Scorecard", "", "Each cell is the measure's status")

PAGES = [OVERVIEW, INDICATOR]  # what each session of the load test opens
LOADER_NAME = "bench: the analyst's load"  # its PostgreSQL sessions' application_name


@dataclass
class SessionResult:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)  # what each of `times` measured


def _texts(msg: ForwardMsg) -> list[str]:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "heading":
        return [element.heading.body]
    if kind == "markdown":
        return [element.markdown.body]
    if kind == "exception":
        return [f"EXCEPTION: {element.exception.type}: {element.exception.message}"]
    return []


async def open_pages(
    url: str, timeout: float, pages: Sequence[Page] = tuple(PAGES)
) -> SessionResult:
    """One user: open `pages` one after another (the overview, then an indicator page, by
    default) in one browser-like session; each time runs from asking for the page until
    Streamlit says the script has finished."""
    result = SessionResult()
    ws_url = url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    async with websockets.connect(
        f"{ws_url}/_stcore/stream", subprotocols=[Subprotocol("streamlit")], max_size=None
    ) as ws:
        for page_name, query, expected in pages:
            start = time.perf_counter()
            msg = BackMsg()
            msg.rerun_script.page_name = page_name
            msg.rerun_script.query_string = query
            await ws.send(msg.SerializeToString())
            seen: list[str] = []
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(ws.recv(), timeout))
                seen += _texts(forward)
                if forward.WhichOneof("type") == "script_finished":
                    break
            result.times.append(time.perf_counter() - start)
            result.pages.append((page_name, query, expected))
            problems = [t for t in seen if t.startswith("EXCEPTION")]
            if problems:
                result.errors += problems
            elif not any(expected in t for t in seen):
                result.errors.append(f"{page_name or 'overview'}: {expected!r} was not drawn")
    return result


async def _crowd(
    url: str, plans: list[list[Page]], timeout: float
) -> list[SessionResult | BaseException]:
    return await asyncio.gather(
        *(open_pages(url, timeout, plan) for plan in plans), return_exceptions=True
    )


def sessions(
    url: str, plans: list[list[Page]], timeout: float = 120
) -> list[SessionResult | BaseException]:
    """Sessions at once, one per plan (the pages it opens in turn), with nothing else running:
    each session's result, or what made it fail."""
    return _run(lambda: _crowd(url, plans, timeout))


def _run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine in a thread of its own: the caller's thread may already run an event
    loop (Playwright's sync API does)."""
    box: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            box.append(asyncio.run(factory()))
        except BaseException as err:  # handed back to the caller below
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


@dataclass
class LoadReport:
    sessions: int
    times: list[float]
    errors: list[str]
    loads: list[subprocess.CompletedProcess[str]]
    pages: list[Page] = field(default_factory=list)  # what each of `times` measured
    waited: float = 0.0  # seconds from the loader's start to the crowd's: its first load at work

    def times_of(self, page: Page) -> list[float]:
        return [t for t, p in zip(self.times, self.pages, strict=True) if p == page]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)


def write_return(path: Path, quarter: str) -> Path:
    path.write_text(
        "indicator,period,value\n"
        f"short-breaks-receiving,{quarter},{400 + len(quarter)}\n"
        f"local-offer-visits,{quarter},1500\n",
        encoding="utf-8",
    )
    return path


def run(
    url: str,
    db: Path | str,
    work: Path,
    sessions: int = 20,
    timeout: float = 120,
    plans: list[list[Page]] | None = None,
    quarters: Sequence[str] = ("2015-16 Q1", "2015-16 Q2"),
) -> LoadReport:
    """`sessions` users at once (each opening the pages of its plan: by default the overview
    and then an indicator), while the analyst loads a return for each of `quarters` into
    `db`: the users start once the first load is at work on `db` (`_at_work`)."""
    plans = plans or [list(PAGES)] * sessions
    work.mkdir(parents=True, exist_ok=True)
    since = time.time()
    loader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import subprocess, sys\n"
                "for f in sys.argv[2:]:\n"
                "    r = subprocess.run([sys.executable, '-m', 'metrics', 'load', f, '--db',"
                " sys.argv[1],"
                " '--user', 'scheduled job'], capture_output=True, text=True)\n"
                "    print(r.returncode, r.stdout.strip().splitlines()[-1] if r.stdout else '',"
                " r.stderr.strip(), flush=True)\n"
            ),
            str(db),
            *(str(write_return(work / f"r{n}.csv", q)) for n, q in enumerate(quarters)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PGAPPNAME": LOADER_NAME},  # its sessions, to PostgreSQL
    )
    # The crowd starts once the first load is at work on the database, so that its commit
    # (some 0.15 s later) lands part-way through the crowd and our caches go cold under it.
    # Started with the loader, the crowd (about 0.5 s) was over before the first command had
    # even imported its modules (0.6 s): it met the loads' start-up, never their data.
    try:
        started = _at_work(db, loader, since)
    except BaseException:
        loader.kill()
        loader.wait()
        raise
    waited = time.time() - since
    results = _run(lambda: _crowd(url, plans, timeout))
    out, _ = loader.communicate(timeout=600)
    times: list[float] = []
    errors: list[str] = []
    measured: list[Page] = []
    for r in results:
        if isinstance(r, BaseException):
            errors.append(f"session failed: {r!r}")
        else:
            times += r.times
            errors += r.errors
            measured += r.pages
    loads = [
        subprocess.CompletedProcess(["load"], int(line.split()[0]), line, "")
        for line in out.strip().splitlines()
        if line[:1].isdigit()
    ]
    if loader.returncode != 0 or len(loads) != len(quarters):
        errors.append(f"the analyst's loads did not run: {out}")
    elif not started:
        errors.append("the first load was not seen at work on the database within 60 s")
    return LoadReport(len(plans), times, errors, loads, measured, waited)


def _at_work(db: Path | str, loader: subprocess.Popen[str], since: float) -> bool:
    """Wait until the loader's first `python -m metrics load` is at work on `db`: for a
    DuckDB file, the command's mark in /proc/locks (metrics/store/on_disk.py); for a
    PostgreSQL URL, a client session of the loader's (LOADER_NAME, begun since `since`; the
    app servers' listeners and the server's own workers open sessions too). False if it was
    not seen within 60 s, or the loader ended."""
    deadline = time.monotonic() + 60
    if isinstance(db, str) and is_database_url(db):
        import psycopg

        with psycopg.connect(db, autocommit=True) as con:
            while loader.poll() is None and time.monotonic() < deadline:
                row = con.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name = %s AND backend_type = 'client backend'"
                    " AND backend_start >= to_timestamp(%s)",
                    (LOADER_NAME, since),
                ).fetchone()
                if row is not None and row[0] > 0:
                    return True
                time.sleep(0.005)
        return False
    while loader.poll() is None and time.monotonic() < deadline:
        using = in_use_elsewhere(Path(db))
        if using is None:
            raise RuntimeError("the bench needs Linux's /proc/locks to see a load at work")
        if using.command:  # (the app server may hold the file itself)
            return True
        time.sleep(0.005)
    return False


def single(url: str, timeout: float = 120, pages: Sequence[Page] = tuple(PAGES)) -> float:
    """One user alone: the median time of `pages`, opened in turn in one session."""
    result = _run(lambda: open_pages(url, timeout, pages))
    if result.errors:
        raise RuntimeError(result.errors)
    return statistics.median(result.times)
