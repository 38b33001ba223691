"""Our pages against Streamlit's own floor, in the same run.

The floor app (bench/floor/) is the least a Streamlit dashboard page can be: a title, twelve
lines of text, one Plotly line chart of 40 points and one 40-row table, on two pages. It is
served exactly as our app is (`streamlit run` with the project's .streamlit/config.toml) and
measured the same ways:

- **warm**: one session alone opens a page whose data is already cached (the median of
  several fresh sessions, after one visit to warm it);
- **crowd**: twenty-four sessions at once, each opening two pages, while an analyst's
  `python -m metrics load` stores two returns: the crowd starts once the first load is at
  work on the database (bench/load.py), so it shares the machine with the load's reading,
  checking and storing, and the load's commit changes the data under it (on the 2-core
  machine, near the crowd's end); the median and the worst page time. Both servers run
  side by side and the crowds take turns (floor, ours, ours, floor, ...): the ratio is the
  median of each turn's ratio, so a change in the machine's load between the two apps'
  crowds no longer moves it (bench/README.md);
- **cold** (ours only): the first visit to a page straight after an upload, against the same
  page's warm time.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench import load
from bench.load import Page
from bench.server import ROOT, Server

FLOOR_APP = Path(__file__).resolve().parent / "floor" / "app.py"
FLOOR_PAGES: list[Page] = [("", "", "Floor app"), ("Second", "", "Second page")]
OURS: dict[str, Page] = {
    "overview": load.OVERVIEW,
    "statement": load.STATEMENT,
    "indicator": load.INDICATOR,
    "review": load.REVIEW,
    "scrutiny": load.SCRUTINY,
    "scorecard": load.SCORECARD,  # 8 quarters of every measure (issue 31)
}
# Each of our six pages opened by 8 sessions of the crowd, 4 times first and 4 times second.
SESSIONS = 24
WARM_SAMPLES = 9
ROUNDS = 3  # cold visits per page
TURNS = 4  # crowds per app, taking turns with the other app's: floor, ours, ours, floor
WARM_TARGET, CROWD_TARGET, COLD_TARGET = 1.5, 1.3, 1.5  # cold: issue 34 (was 3)
FLOOR_WORDS = "the floor app: a title, 12 lines, a 40-point Plotly chart, a 40-row table"


@dataclass
class Measured:
    warm: dict[Page, float]  # the median of fresh sessions, each opening the page alone
    crowd: dict[Page, list[float]]  # every time the page took in the crowds
    cold: dict[Page, list[float]]  # first visits after an upload
    warm_before_cold: dict[Page, float] = field(default_factory=dict)  # after the crowds
    resident_mb: float = 0.0  # the server's memory once everything above has been served
    # each crowd's times, in the order of the turns (the floor app's turn n beside ours)
    turns: list[dict[Page, list[float]]] = field(default_factory=list)


def resident_mb(pid: int) -> float:
    """A process's resident memory now (VmRSS), in MB: with Streamlit's collection after every
    run switched off (.streamlit/config.toml), what the server holds after the crowds."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def warm(url: str, pages: list[Page], samples: int = WARM_SAMPLES) -> dict[Page, float]:
    out = {}
    for page in pages:
        load.single(url, pages=[page])  # the first visit fills the caches
        out[page] = statistics.median(load.single(url, pages=[page]) for _ in range(samples))
    return out


def warm_in_turns(
    floor: tuple[str, list[Page]], ours: tuple[str, list[Page]], samples: int = WARM_SAMPLES
) -> tuple[dict[Page, float], dict[Page, float]]:
    """`warm` for both apps, their samples taking turns (a floor sample of each of its pages,
    then one of each of ours, `samples` times): a change in the machine's load meets both."""
    apps = (floor, ours)
    for url, pages in apps:
        for page in pages:
            load.single(url, pages=[page])  # the first visit fills the caches
    times: list[dict[Page, list[float]]] = [{p: [] for p in pages} for _, pages in apps]
    for _ in range(samples):
        for (url, pages), out in zip(apps, times, strict=True):
            for page in pages:
                out[page].append(load.single(url, pages=[page]))
    floor_warm, ours_warm = ({p: statistics.median(t) for p, t in out.items()} for out in times)
    return floor_warm, ours_warm


def crowd_plans(pages: list[Page], sessions: int = SESSIONS) -> list[list[Page]]:
    """Each session opens two pages; over the crowd every page is opened equally often,
    first and second."""
    step = 1 if len(pages) <= 2 else 2
    return [[pages[i % len(pages)], pages[(i + step) % len(pages)]] for i in range(sessions)]


def crowd(
    url: str, db: Path | str, work: Path, pages: list[Page], turn: int
) -> dict[Page, list[float]]:
    """One crowd of SESSIONS during the analyst's two loads into `db`; each page's times."""
    quarters = [f"{2010 + turn}-{11 + turn:02d} Q{q}" for q in (1, 2)]
    report = load.run(url, db, work / f"crowd-{turn}", plans=crowd_plans(pages), quarters=quarters)
    if report.errors:
        raise RuntimeError(f"the crowd had errors: {report.errors[:5]}")
    return {page: report.times_of(page) for page in pages}


def upload(db: Path | str, work: Path, quarter: str) -> None:
    """An analyst stores a return: the data changes, so every cached page is cold."""
    path = load.write_return(work / f"cold-{quarter.replace(' ', '-')}.csv", quarter)
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(db)]
    done = subprocess.run([*command, "--user", "bench"], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"the upload failed: {done.stdout} {done.stderr}")


def cold(
    url: str, db: Path | str, work: Path, pages: list[Page]
) -> tuple[dict[Page, float], dict[Page, list[float]]]:
    """Each page's first visits after an upload, and its warm time measured just before
    them (the server has served the crowds by then, as in real use)."""
    again = warm(url, pages, samples=5)
    out: dict[Page, list[float]] = {p: [] for p in pages}
    for n in range(ROUNDS):
        for k, page in enumerate(pages):
            year = 2000 + n * len(pages) + k  # a quarter of its own: always a change
            upload(db, work, f"{year}-{(year + 1) % 100:02d} Q3")
            out[page].append(load.single(url, pages=[page]))
    return again, out


def run(demo_db: Path, work: Path) -> list[dict[str, object]]:
    """Both apps served side by side, each against its own copy of the demo database (the
    floor app never reads it, but the analyst's loads run against it all the same), measured
    taking turns: warm samples alternately, then TURNS crowds each, in the order floor, ours,
    ours, floor, ... (each app as often first as second in a pair); then our cold visits."""
    work.mkdir(parents=True, exist_ok=True)
    copies = [work / "floor.duckdb", work / "ours.duckdb"]
    for copy in copies:
        shutil.copyfile(demo_db, copy)
    ours_pages = list(OURS.values())
    floor = Measured({}, {p: [] for p in FLOOR_PAGES}, {})
    ours = Measured({}, {p: [] for p in ours_pages}, {})
    servers: list[Server] = []
    try:
        servers.append(Server(copies[0], app=FLOOR_APP))
        servers.append(Server(copies[1], app=ROOT / "app.py"))
        apps = [
            (floor, servers[0], copies[0], work / "floor", FLOOR_PAGES),
            (ours, servers[1], copies[1], work / "ours", ours_pages),
        ]
        floor.warm, ours.warm = warm_in_turns(
            (servers[0].url, FLOOR_PAGES), (servers[1].url, ours_pages)
        )
        for turn in range(TURNS):
            for measured, server, db, folder, pages in apps if turn % 2 == 0 else apps[::-1]:
                times = crowd(server.url, db, folder, pages, turn)
                measured.turns.append(times)
                for page, t in times.items():
                    measured.crowd[page] += t
        ours.warm_before_cold, ours.cold = cold(
            servers[1].url, copies[1], work / "ours", ours_pages
        )
        floor.resident_mb = resident_mb(servers[0].process.pid)
        ours.resident_mb = resident_mb(servers[1].process.pid)
    finally:
        for server in servers:
            server.stop()
    return results(floor, ours)


def crowd_ratio(floor: Measured, ours: Measured, page: Page) -> float:
    """Our page's crowd median against the floor app's: the median of each turn's ratio
    (our page's median in turn n over the floor app's median in its turn n) when both were
    measured taking turns, else the ratio of the two medians."""
    if floor.turns and len(floor.turns) == len(ours.turns):
        per_turn = [
            statistics.median(mine[page])
            / statistics.median([t for ts in base.values() for t in ts])
            for base, mine in zip(floor.turns, ours.turns, strict=True)
        ]
        return statistics.median(per_turn)
    floor_crowd = [t for times in floor.crowd.values() for t in times]
    return statistics.median(ours.crowd[page]) / statistics.median(floor_crowd)


def _entry(
    name: str,
    value: float,
    baseline: float,
    target: str,
    unit: str = "s",
    ratio: float | None = None,
) -> dict[str, object]:
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": round(baseline, 3),
        "ratio": round(value / baseline if ratio is None else ratio, 2),
        "target": target,
    }


def results(floor: Measured, ours: Measured) -> list[dict[str, object]]:
    floor_warm = statistics.median(floor.warm.values())
    floor_crowd = [t for times in floor.crowd.values() for t in times]
    crowd_words = f"{SESSIONS} sessions, 2 pages each, during a load"
    turns_words = (
        f"ratio: the median of {len(ours.turns)} turns' ratios, the apps' crowds taking turns"
        if floor.turns and len(floor.turns) == len(ours.turns)
        else "ratio: of the two medians"
    )
    out = []
    for label, page in OURS.items():
        out += [
            _entry(
                f"{label} page, warm, single session, vs floor",
                ours.warm[page],
                floor_warm,
                f"ratio <= {WARM_TARGET} (baseline: {FLOOR_WORDS}, warm, same run)",
            ),
            _entry(
                f"{label} page, crowd median ({crowd_words}), vs floor",
                statistics.median(ours.crowd[page]),
                statistics.median(floor_crowd),
                f"ratio <= {CROWD_TARGET} (baseline: the floor app's crowd median, same run; "
                f"{turns_words})",
                ratio=crowd_ratio(floor, ours, page),
            ),
            _entry(
                f"{label} page, crowd worst ({crowd_words}), vs floor",
                max(ours.crowd[page]),
                max(floor_crowd),
                "reported, no target (baseline: the floor app's worst page in its crowd)",
            ),
        ]
        if ours.cold.get(page):
            out.append(
                _entry(
                    f"{label} page, cold (first visit after an upload), vs its warm time",
                    statistics.median(ours.cold[page]),
                    ours.warm_before_cold.get(page, ours.warm[page]),
                    f"ratio <= {COLD_TARGET} (baseline: the same page, warm, just before)",
                )
            )
    if floor.resident_mb and ours.resident_mb:
        out.append(
            _entry(
                "app server's resident memory after the crowds and cold visits, vs floor",
                ours.resident_mb,
                floor.resident_mb,
                "reported, no target (baseline: the floor app's server after its crowds)",
                unit="MB",
            )
        )
    return out


def misses(entries: list[dict[str, object]]) -> list[str]:
    """The entries of this benchmark whose ratio is over its target."""
    limits = {"warm,": WARM_TARGET, "crowd median": CROWD_TARGET, "cold": COLD_TARGET}
    out = []
    for e in entries:
        if "no target" in str(e["target"]):  # reported only, as the server's memory
            continue
        for words, limit in limits.items():
            if words in str(e["name"]) and float(str(e["ratio"])) > limit:
                out.append(f"{e['name']}: ratio {e['ratio']} > {limit}")
    return out
