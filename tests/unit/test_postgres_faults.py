"""PostgreSQL restarting under the app (issue 29): `pg_ctl restart -m fast` on the test cluster
(the server ends every session at once, as a failover or an upgrade does) while the review's
commentary is being saved and while readers read the charter's status.

Each save is either stored whole, with its audit row, or refused with the plain "try again"
every page shows for a busy store (`StoreError.public`, never the driver's words); nothing
refused is stored; and the store works again by itself within 10 s of the restart (the pool
throws away its dead connections and makes new ones)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from metrics.access import MEMBER, Actor, audit as audit_trail, command_line
from metrics.access.writing import ReviewError
from metrics.assess.rollup import charter_status
from metrics.periods.text import parse_period
from metrics.review import commentary, cycle
from metrics.review.common import indicator_subject
from metrics.store.connection import Store, StoreError, WriteConflict

pytestmark = pytest.mark.slow  # about 20 s each: a restart, then 13 s of load after it

Q = "2026-27 Q2"
MEG = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
RECOVERED_WITHIN = 10.0  # seconds after the restart
PLAIN = {StoreError.public, WriteConflict.public}


@dataclass
class Outcome:
    kind: str  # "saved", "refused" or "broken" (anything else: the test fails on it)
    subject: str
    text: str
    started: float
    finished: float
    detail: str = ""
    version: int = 0


def restart(pg_cluster) -> float:
    """Restart the server (fast: every session ended at once); when it is up again."""
    folder = pg_cluster.folder
    pg_cluster.run(
        "pg_ctl", "restart", "-w", "-m", "fast", "-D", f"{folder}/data", "-l", f"{folder}/log"
    )
    return time.monotonic()


def under_load(work, threads: int, pg_cluster) -> tuple[float, float]:
    """Run `work(n, stop)` in threads; restart PostgreSQL once they are going, keep them
    going until RECOVERED_WITHIN + 3 s after it is up. (down, up) monotonic times."""
    stop = threading.Event()
    running = [threading.Thread(target=work, args=(n, stop)) for n in range(threads)]
    for t in running:
        t.start()
    time.sleep(2)
    down = time.monotonic()
    up = restart(pg_cluster)
    time.sleep(RECOVERED_WITHIN + 3)
    stop.set()
    for t in running:
        t.join(60)
    assert not any(t.is_alive() for t in running)
    return down, up


def test_commentary_saved_while_postgresql_restarts_is_whole_or_refused_plainly(
    pg_cluster, pg_url, charter
):
    store = Store(pg_url)
    subjects = [indicator_subject(i) for i in list(charter.indicators)[:6]]
    outcomes: list[Outcome] = []

    def writer(n: int, stop: threading.Event) -> None:
        mine = subjects[n::3]
        versions = dict.fromkeys(mine, 0)
        count = 0
        while not stop.is_set():
            count += 1
            subject = mine[count % len(mine)]
            text = f"Writer {n}, save {count}."
            began = time.monotonic()
            try:
                saved = commentary.save(store, charter, MEG, Q, subject, (text, "Why.", "Next."),
                                        based_on=versions[subject])  # fmt: skip
                versions[subject] = saved.version
                done = time.monotonic()
                outcomes.append(Outcome("saved", subject, text, began, done, "", saved.version))
            except (StoreError, ReviewError) as err:
                said = err.public if isinstance(err, StoreError) else str(err)
                outcomes.append(Outcome("refused", subject, text, began, time.monotonic(), said))
            except Exception as err:  # the driver's own error reaching the page: a failure
                outcomes.append(
                    Outcome("broken", subject, text, began, time.monotonic(), repr(err))
                )

    down, up = under_load(writer, 3, pg_cluster)

    assert [o for o in outcomes if o.kind == "broken"] == []
    assert any(o.started < up and o.finished > down for o in outcomes)  # met the restart
    refused = [o for o in outcomes if o.kind == "refused"]  # or waited, then were saved
    assert {o.detail for o in refused} <= PLAIN  # "... try again ...", nothing of psycopg's
    assert all("try again" in o.detail.lower() for o in refused)
    saved = [o for o in outcomes if o.kind == "saved"]
    assert any(o.finished < down for o in saved)
    after = [o.finished for o in saved if o.finished > up]
    assert after and min(after) - up <= RECOVERED_WITHIN  # working again by itself

    # Stored whole or not at all: every saved text is there with its audit row, in order,
    # and nothing refused is.
    for subject in subjects:
        kept = [(c.version, c.what) for c in reversed(commentary.history(store, Q, subject))]
        mine = [(o.version, o.text) for o in saved if o.subject == subject]
        assert kept == mine
    admin = command_line()
    audited = {
        (row.object, row.summary)
        # every row: the trail's reader shows the newest 5,000 by default, and an idle
        # machine saves more than that while the server restarts
        for row in audit_trail.entries(
            store, admin, kind="commentary written", limit=len(saved) + len(outcomes) + 100
        )
    }
    assert audited == {(f"{Q}, {o.subject}", f"Version {o.version}") for o in saved}


def test_readers_carry_on_by_themselves_after_postgresql_restarts(pg_cluster, pg_url, charter):
    store = Store(pg_url)
    commentary.save(store, charter, MEG, Q, indicator_subject(next(iter(charter.indicators))),
                    ("What.", "Why.", "Next."), based_on=0)  # fmt: skip
    period = parse_period(Q)
    outcomes: list[Outcome] = []

    def reader(n: int, stop: threading.Event) -> None:
        while not stop.is_set():
            began = time.monotonic()
            try:
                statuses = charter_status(store, charter, period)
                review = cycle.read(store, Q)
                written = commentary.current(store, Q)
                assert len(statuses) == 12 and review.quarter == Q and len(written) == 1
                outcomes.append(
                    Outcome("saved", "", "", began, time.monotonic(), str(store.version()))
                )
            except StoreError as err:
                outcomes.append(Outcome("refused", "", "", began, time.monotonic(), err.public))
            except Exception as err:  # the driver's own error reaching the page: a failure
                outcomes.append(Outcome("broken", "", "", began, time.monotonic(), repr(err)))

    down, up = under_load(reader, 4, pg_cluster)

    assert [o for o in outcomes if o.kind == "broken"] == []
    assert any(o.started < up and o.finished > down for o in outcomes)  # met the restart
    refused = [o for o in outcomes if o.kind == "refused"]  # or waited, then read
    assert {o.detail for o in refused} <= PLAIN
    read = [o.finished for o in outcomes if o.kind == "saved"]
    assert any(t < down for t in read)
    assert [t for t in read if t > up] and min(t for t in read if t > up) - up <= RECOVERED_WITHIN
    # Every reader's last reads worked: none is left stuck on a dead connection.
    assert all(o.kind == "saved" for o in outcomes[-8:])
