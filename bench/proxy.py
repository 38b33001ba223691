"""A crowd through the proxy: the same crowd on 2 app servers against 1 (issue 29).

Each measurement starts `make cluster`'s machinery (deploy/cluster.py: HAProxy in front of N
`serve.py` app servers) with each app server on its own copy of the demo DuckDB file, warms
every server with a small crowd, then sends crowds of 40 sessions at once through the proxy,
each opening the overview and then an indicator page, as a scrutiny link sent to every
member would. Nothing writes during these crowds, so each server having its own copy
measures the same use of the second core as one shared PostgreSQL database would.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import load
from bench.load import Page
from deploy.cluster import Cluster, free_port

SESSIONS = 40
ROUNDS = 3  # crowds measured per cluster
PLAN: list[Page] = [load.OVERVIEW, load.INDICATOR]
TARGET = 0.65  # the median page on 2 app servers against 1
CROWD_WORDS = f"crowd of {SESSIONS} through the proxy (overview, then an indicator page)"


@dataclass
class Crowds:
    """Every page time of a cluster's crowds, how long each crowd took to be all done, and
    what went wrong (one line per failed session)."""

    servers: int
    times: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    sessions: int = 0
    served: dict[str, int] = field(default_factory=dict)  # sessions the proxy sent each server
    cpu: float = 0.0  # the app servers' CPU seconds (user + system) during the measured crowds
    wall: float = 0.0  # seconds from the first measured crowd to the end of the last

    @property
    def cores(self) -> float:
        """How many cores the app servers kept busy on average while the crowds ran."""
        return self.cpu / self.wall if self.wall else 0.0


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user + system), from /proc: why a ratio is what it is
    (a server using more than one core alone, say, leaves less for the second to gain)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def crowd(url: str, sessions: int, into: Crowds) -> None:
    start = time.perf_counter()
    results = load.sessions(url, [list(PLAN)] * sessions)
    into.done.append(time.perf_counter() - start)
    into.sessions += sessions
    for r in results:
        if isinstance(r, BaseException):
            into.failed.append(f"session failed: {r!r}")
        elif r.errors or len(r.times) != len(PLAN):
            into.failed.append("; ".join(r.errors) or "a page was not opened")
        else:
            into.times += r.times


def measure(demo_db: Path, servers: int, sessions: int = SESSIONS, rounds: int = ROUNDS) -> Crowds:
    """Crowds through HAProxy on `servers` app servers, each on its own copy of `demo_db`."""
    cluster = Cluster(servers=servers, port=free_port(), duckdb_copies=True, source_db=demo_db)
    out = Crowds(servers)
    with cluster:
        # Every server's caches filled first: a few sessions at once per server, which the
        # proxy (leastconn) spreads over them. Not measured, but a failure there counts.
        warm = Crowds(servers)
        crowd(cluster.url, 4 * servers, warm)
        out.failed += warm.failed
        before = cluster.sessions_served()
        pids = [app.process.pid for app in cluster.apps]
        cpu_before, start = sum(map(cpu_seconds, pids)), time.perf_counter()
        for _ in range(rounds):
            crowd(cluster.url, sessions, out)
        out.wall = time.perf_counter() - start
        out.cpu = sum(map(cpu_seconds, pids)) - cpu_before
        after = cluster.sessions_served()
    out.served = {name: after[name] - before.get(name, 0) for name in after}
    idle = [name for name, n in out.served.items() if n == 0]
    if idle:
        out.failed.append(f"the proxy sent no session to {', '.join(idle)}: {out.served}")
    return out


def run(demo_db: Path, sessions: int = SESSIONS, rounds: int = ROUNDS) -> list[dict[str, object]]:
    one = measure(demo_db, 1, sessions, rounds)
    two = measure(demo_db, 2, sessions, rounds)
    return results(one, two)


def _median(times: list[float]) -> float:
    return statistics.median(times) if times else float("inf")


def results(one: Crowds, two: Crowds) -> list[dict[str, object]]:
    words = CROWD_WORDS.replace(f"of {SESSIONS}", f"of {two.sessions // max(len(two.done), 1)}")
    failed = len(one.failed) + len(two.failed)
    sessions = one.sessions + two.sessions
    return [
        {
            "name": f"{words}, median page, 2 app servers vs 1",
            "value": round(_median(two.times), 3),
            "unit": "s",
            "baseline": round(_median(one.times), 3),
            "ratio": round(_median(two.times) / _median(one.times), 2),
            "target": f"ratio <= {TARGET} (baseline: the same crowds through the proxy on 1 app "
            "server, same run; each server on its own copy of the demo DuckDB file)",
        },
        {
            "name": f"{words}, all sessions done, 2 app servers vs 1",
            "value": round(_median(two.done), 3),
            "unit": "s",
            "baseline": round(_median(one.done), 3),
            "ratio": round(_median(two.done) / _median(one.done), 2),
            "target": "reported, no target (the median crowd's time until its last page)",
        },
        {
            "name": f"{words}, cores the app servers kept busy, 2 app servers vs 1",
            "value": round(two.cores, 2),
            "unit": "cores",
            "baseline": round(one.cores, 2),
            "ratio": round(two.cores / one.cores, 2) if one.cores else 0.0,
            "target": "reported, no target (CPU seconds of the app servers / wall seconds of "
            "the crowds: 1 app server alone can keep more than one core partly busy)",
        },
        {
            "name": f"{words}, failed sessions, 1 and 2 app servers",
            "value": failed,
            "unit": "sessions",
            "baseline": sessions,
            "ratio": round(failed / sessions, 3) if sessions else 1.0,
            "target": "ratio = 0: no failed session, each server used (baseline: every session)",
        },
    ]


def misses(entries: list[dict[str, object]]) -> list[str]:
    """This benchmark's entries over their targets: a slow median, or any failed session."""
    out = []
    for e in entries:
        name, ratio = str(e["name"]), float(str(e["ratio"]))
        if "through the proxy" not in name:
            continue
        if "median page" in name and not ratio <= TARGET:
            out.append(f"{name}: ratio {e['ratio']} > {TARGET}")
        if "failed sessions" in name and ratio != 0:
            out.append(f"{name}: {e['value']} of {e['baseline']} sessions failed")
    return out
