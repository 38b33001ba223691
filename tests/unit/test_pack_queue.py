"""Pack builds are queued and bounded (issue 25, section 6): one at a time on the server, one
per person, a bounded number waiting, each waiting build saying how many are ahead. Three
packs made at once on a quarter with 3,000 actions took the server to 2.7 GB. Real threads
make real packs; a test holds a turn open where it needs the queue to be busy."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from metrics import packs as pack
from metrics.access.people import MEMBER, Actor
from metrics.packs.queue import PackBusy, PackQueue

Q = "2026-27 Q2"


def person(n: int) -> Actor:
    return Actor(f"p{n}", f"Person {n}", f"p{n}@x.example", "app", frozenset({MEMBER}))


def test_packs_asked_for_at_once_are_made_one_after_another(demo_store, charter):
    queue = PackQueue(running=1, waiting=4)
    spans: dict[int, list[float]] = {}
    said: dict[int, list[str]] = {n: [] for n in range(3)}
    start = threading.Barrier(3)

    def make(n: int) -> None:
        start.wait()
        pack.make(demo_store, charter, Q, pack.PLANNING_GROUP, ("html",), person(n),
                  progress=lambda words, n=n: note(n, words), queue=queue)  # fmt: skip
        spans[n].append(time.monotonic())

    def note(n: int, words: str) -> None:
        said[n].append(words)
        if words.startswith("Gathering"):
            spans[n] = [time.monotonic()]

    threads = [threading.Thread(target=make, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    ordered = sorted(spans.values())
    assert len(ordered) == 3
    for (_, end), (begin, _) in itertools.pairwise(ordered):
        assert begin >= end  # never two builds at once
    waited = [w for words in said.values() for w in words if w.startswith("Waiting")]
    assert "Waiting for 2 packs ahead of yours to be made" in waited
    assert "Waiting for 1 pack ahead of yours to be made" in waited


def test_one_pack_per_person_and_a_bounded_queue(demo_store, charter):
    queue = PackQueue(running=1, waiting=1)
    with queue.turn("p0", lambda _: None):  # a pack being made, held open by the test
        with pytest.raises(PackBusy, match="You are already making a pack"):
            pack.make(demo_store, charter, Q, pack.SCRUTINY, ("html",), person(0), queue=queue)
        said: list[str] = []
        waiting = threading.Thread(
            target=pack.make,
            args=(demo_store, charter, Q, pack.SCRUTINY, ("html",), person(1)),
            kwargs={"progress": said.append, "queue": queue},
        )
        waiting.start()
        deadline = time.monotonic() + 30
        while "p1" not in queue.people() and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(PackBusy, match="2 packs are being made or waiting"):
            pack.make(demo_store, charter, Q, pack.SCRUTINY, ("html",), person(2), queue=queue)
        assert said == ["Waiting for 1 pack ahead of yours to be made"]
    waiting.join(120)
    assert said[-1] == "Writing the HTML" and queue.people() == set()


def test_a_failed_build_gives_up_its_turn(demo_store, charter):
    queue = PackQueue(running=1, waiting=1)
    with pytest.raises(ValueError, match="format is one of"):
        pack.make(demo_store, charter, Q, pack.SCRUTINY, ("docx",), person(0), queue=queue)

    def interrupted(words: str) -> None:  # the page went away while the pack was being made
        raise RuntimeError(f"stopped at: {words}")

    with pytest.raises(RuntimeError, match="stopped at: Gathering"):
        pack.make(demo_store, charter, Q, pack.SCRUTINY, ("html",), person(0),
                  progress=interrupted, queue=queue)  # fmt: skip
    assert queue.people() == set()
    pack.make(demo_store, charter, Q, pack.SCRUTINY, ("html",), person(0), queue=queue)


@pytest.mark.parametrize("value", ["two", "0", "", " ", "²", "-1", "1.5"])
def test_a_mistyped_number_of_builds_is_an_error_not_a_default(value, monkeypatch):
    """Refused where a pack asks, and as a problem of the app's settings, which locks the
    app (ui/access.py) rather than failing the Packs page's import; '²' is a digit to
    Python's isdigit(), and int() then gave its own message."""
    from metrics.config import settings_problem
    from metrics.deployment import SettingError

    monkeypatch.setenv("OUTCOMES_PACK_BUILDS", value)
    said = f"OUTCOMES_PACK_BUILDS must be a whole number from 1, not {value!r}"
    with pytest.raises(SettingError) as err:
        _ = PackQueue().running
    assert str(err.value) == said
    assert settings_problem().said == said
    monkeypatch.setenv("OUTCOMES_PACK_BUILDS", " 3 ")
    assert PackQueue().running == 3 and settings_problem() is None
