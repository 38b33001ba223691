"""The shared cache of the app's reads (ui/shared_cache.py): one result per key, the very
object, worked out once however many ask at the same moment; a failure is not kept; the least
recently used goes first; `st.cache_resource.clear()` and `forget()` empty it; while watching,
a result someone changed is found."""

from __future__ import annotations

import threading
import time

import pytest
import streamlit as st

from ui import shared_cache
from ui.shared_cache import shared


def counted(max_entries: int = 4):
    calls: list[tuple[object, ...]] = []

    @shared(max_entries=max_entries)
    def read(*args: object) -> list[object]:
        calls.append(args)
        return list(args)

    return read, calls


def test_a_hit_is_the_same_object_and_not_worked_out_again():
    read, calls = counted()
    first = read("db", 1, "2026-27 Q2")
    assert read("db", 1, "2026-27 Q2") is first
    assert read("db", 2, "2026-27 Q2") is not first  # another version of the data
    assert calls == [("db", 1, "2026-27 Q2"), ("db", 2, "2026-27 Q2")]


def test_a_crowd_asking_at_once_works_it_out_once():
    calls = []
    started = threading.Event()

    @shared(max_entries=4)
    def slow(key: str) -> list[str]:
        calls.append(key)
        started.set()
        time.sleep(0.2)
        return [key]

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(slow("k"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["k"]
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_a_failure_is_raised_to_everyone_waiting_and_not_kept():
    attempts = []

    @shared(max_entries=4)
    def flaky(key: str) -> str:
        attempts.append(key)
        if len(attempts) == 1:
            raise ValueError("the database is busy")
        return key

    with pytest.raises(ValueError, match="busy"):
        flaky("k")
    assert flaky("k") == "k"
    assert attempts == ["k", "k"]


def test_the_least_recently_used_goes_first():
    read, calls = counted(max_entries=2)
    read("a")
    read("b")
    read("a")  # now b is the least recently used
    read("c")
    read("a")
    read("b")
    assert calls == [("a",), ("b",), ("c",), ("b",)]


def test_clearing_streamlits_resource_caches_or_forgetting_starts_afresh():
    read, calls = counted()
    read("a")
    st.cache_resource.clear()  # as the tests do between apps
    read("a")
    shared_cache.forget()  # the charter reloaded
    read("a")
    assert calls == [("a",)] * 3


def test_a_result_changed_by_its_reader_is_found_while_watching():
    read, _ = counted()
    shared_cache.watch()
    try:
        kept = read("x", 1)
        read("y", 2)
        assert shared_cache.changed() == {}
        kept.append("changed by a page")
        found = shared_cache.changed()
    finally:
        shared_cache.watch(False)
    assert list(found.values()) == [[("x", 1)]]


def test_a_shared_read_takes_positional_arguments_only():
    read, _ = counted()
    with pytest.raises(TypeError, match="positional"):
        read(db="x")


def test_a_read_under_way_when_the_charter_is_reloaded_is_neither_kept_nor_handed_on():
    """`forget()` (a charter reload) while a read is working from the old charter: asked
    again after it, the read works from the new one, at once and afterwards."""
    charter = {"value": "old"}
    reading, release = threading.Event(), threading.Event()

    @shared(max_entries=4)
    def read(key: int) -> str:
        seen = charter["value"]
        if seen == "old":
            reading.set()
            release.wait(10)
        return seen

    early: list[str] = []
    worker = threading.Thread(target=lambda: early.append(read(1)))
    worker.start()
    assert reading.wait(10)
    charter["value"] = "new"
    shared_cache.forget()
    assert read(1) == "new"  # not the old read's answer, waited for
    release.set()
    worker.join(10)
    assert early == ["old"]
    assert read(1) == "new"  # and the old read's answer was not kept


def test_a_session_stopped_while_working_a_read_out_hands_waiters_no_exception_of_its_own():
    """Streamlit stops or reruns a session by raising in its thread (not an `Exception`):
    a session waiting on the same read must not get it (it would rerun with the other
    session's widget states), but work the read out itself."""

    class Stopped(BaseException):  # as Streamlit's StopException and RerunException are
        pass

    started, attempts = threading.Event(), []

    @shared(max_entries=4)
    def read(key: str) -> str:
        attempts.append(key)
        if len(attempts) == 1:
            started.set()
            time.sleep(0.3)
            raise Stopped("session X's rerun")
        return key

    got: dict[str, object] = {}

    def session(name: str) -> None:
        if name == "y":
            started.wait()
        try:
            got[name] = read("k")
        except Stopped as err:
            got[name] = err

    threads = [threading.Thread(target=session, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert isinstance(got["x"], Stopped)
    assert got["y"] == "k" and attempts == ["k", "k"]


def test_waiters_are_answered_even_if_keeping_the_result_fails():
    """While watching, a result is pickled as it is kept: a result that cannot be pickled
    fails its own caller, never leaves the others waiting."""
    started, release = threading.Event(), threading.Event()

    @shared(max_entries=4)
    def read(key: str) -> object:
        started.set()
        release.wait(5)
        return lambda: key  # not picklable

    shared_cache.watch()
    try:
        got: list[object] = []
        failed: list[BaseException] = []

        def keeper() -> None:
            try:
                read("k")
            except Exception as err:  # pickling the result: this caller's own failure
                failed.append(err)

        first = threading.Thread(target=keeper)
        first.start()
        started.wait(5)
        waiter = threading.Thread(target=lambda: got.append(read("k")))
        waiter.start()
        time.sleep(0.2)
        release.set()
        first.join(5)
        waiter.join(5)
        assert not waiter.is_alive() and callable(got[0])
        assert failed  # the one keeping it was told
    finally:
        shared_cache.watch(False)
