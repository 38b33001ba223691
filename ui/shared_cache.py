"""The app's cached reads, shared by every session as they are: `shared(max_entries)`.

`st.cache_data` gives every caller its own copy: it pickles a result once and unpickles it
at every hit, and hashes the arguments with Streamlit's hasher at every call. In a crowd
that was 13-20 % of the server's work on the overview and the indicator page (py-spy
--gil, bench/README.md). Here a result is kept as the object itself, keyed on the plain
tuple of its arguments (a database path, a data version, a quarter, ...: all hashable), so
a hit is a dictionary look-up. Our own, not `st.cache_resource`: that hashes its arguments
as `st.cache_data` does, and takes one lock for all resource caches at every call.

Sharing is safe only if nobody changes what they are given: the pages, the disclosure
policy and the reads built on other reads. `watch()` keeps a pickle of every result as it
was stored and `changed()` says which are no longer the same; tests/app/test_shared_reads.py
runs every page under it for staff, a public reader and the chair, on the same caches.

Like Streamlit's caches: a result is worked out once while others asking for it wait (a
crowd opening the same page starts one read, and the page finds what `ui.prefetch` read
ahead); an exception is not kept; the least recently used entry goes first.
`st.cache_resource.clear()` (the tests between apps) empties these too, and `forget()` does
when the charter is reloaded (to free memory, and as a second guard: a read's key names the
loading of the charter its run uses, ui/read_keys.py, so nothing worked out under the old
charter's disclosure rules is found under the new one's keys)."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from functools import update_wrapper
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

from ui.runs import once_per_run

P = ParamSpec("P")
R = TypeVar("R")

_ALL: list[SharedRead[Any, Any]] = []
_WATCHING = threading.Event()  # set by the tests: keep a pickle of each result stored


@st.cache_resource(show_spinner=False)
def _generation() -> object:
    """A token that `st.cache_resource.clear()` replaces: the shared reads start afresh."""
    return object()


def _current_generation() -> object:
    return once_per_run("shared reads' generation", _generation)


class _Abandoned(Exception):
    """The thread working a read out was stopped before it had an answer."""


class SharedRead(Generic[P, R]):
    """`read`, its results kept per arguments and shared by every session."""

    def __init__(
        self,
        read: Callable[P, R],
        max_entries: int,
        key_of: Callable[[tuple[Any, ...]], tuple[Hashable, ...]] | None = None,
    ):
        self._read, self._max, self._key_of = read, max_entries, key_of
        self.name = f"{read.__module__}.{read.__qualname__}"
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[Hashable, ...], R] = OrderedDict()
        self._pending: dict[tuple[Hashable, ...], Future[R]] = {}
        self._pickled: dict[tuple[Hashable, ...], bytes] = {}
        self._generation: object = None
        self._epoch = 0  # moved on by every clearing: a read begun before it is not kept
        update_wrapper(self, read)
        _ALL.append(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:
            raise TypeError(f"{self._read.__name__}: shared reads take positional arguments")
        key: tuple[Hashable, ...] = args if self._key_of is None else self._key_of(args)
        while True:
            generation = _current_generation()
            with self._lock:
                if generation is not self._generation:
                    self._forget(generation)
                epoch = self._epoch
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
                pending = self._pending.get(key)
                if pending is None:
                    pending = self._pending[key] = Future()
                    break  # this thread works it out
            try:
                return pending.result()  # worked out by another thread; its failure raised here
            except _Abandoned:
                continue  # its session was stopped or rerun: ask again
        try:
            value = self._read(*args, **kwargs)  # (none: refused above)
        except Exception as err:
            with self._lock:
                self._let_go(key, pending)
            pending.set_exception(err)
            raise
        except BaseException:
            # Streamlit's stop or rerun of this thread's session (or the interpreter ending):
            # not the read's answer, and not for the sessions waiting on it, which ask again.
            with self._lock:
                self._let_go(key, pending)
            pending.set_exception(_Abandoned())
            raise
        try:
            with self._lock:
                self._let_go(key, pending)
                if self._generation is generation and self._epoch == epoch:  # not cleared
                    self._kept[key] = value
                    if _WATCHING.is_set():
                        self._pickled[key] = pickle.dumps(value)
                    while len(self._kept) > self._max:
                        dropped, _ = self._kept.popitem(last=False)
                        self._pickled.pop(dropped, None)
        finally:
            pending.set_result(value)  # whatever happened to the keeping (waiters never hang)
        return value

    def _let_go(self, key: tuple[Hashable, ...], pending: Future[R]) -> None:
        if self._pending.get(key) is pending:  # (not one begun after a clearing)
            del self._pending[key]

    def _forget(self, generation: object) -> None:
        """Start afresh: nothing kept, and a read under way is neither kept when it ends nor
        waited for by anyone asking from now on (it may have read the charter as it was)."""
        self._kept.clear()
        self._pickled.clear()
        self._pending.clear()
        self._generation = generation
        self._epoch += 1

    def clear(self) -> None:
        with self._lock:  # a read under way now is not kept: it may have read the
            # charter as it was
            self._forget(object())

    def holds(self, *args: Any) -> bool:
        """Whether a result for `args` is kept (asked without working one out)."""
        key = args if self._key_of is None else self._key_of(args)
        with self._lock:
            return key in self._kept and self._generation is _current_generation()

    def changed(self) -> list[tuple[Hashable, ...]]:
        """The keys whose result is no longer what was stored (while watching)."""
        with self._lock:
            kept = list(self._kept.items())
        return [k for k, v in kept if k in self._pickled and pickle.dumps(v) != self._pickled[k]]

    def watched(self) -> int:
        with self._lock:
            return len(self._pickled)


def shared(
    max_entries: int, key_of: Callable[[tuple[Any, ...]], tuple[Hashable, ...]] | None = None
) -> Callable[[Callable[P, R]], SharedRead[P, R]]:
    """A read's results kept per arguments (or per `key_of(arguments)`), shared by every
    session, at most `max_entries`. Nobody may change what it returns (see the module's
    docstring)."""

    def wrap(read: Callable[P, R]) -> SharedRead[P, R]:
        return SharedRead(read, max_entries, key_of)

    return wrap


def forget() -> None:
    """Every shared read starts afresh (the charter has been reloaded)."""
    for read in _ALL:
        read.clear()


def watch(on: bool = True) -> None:
    """Keep a pickle of every result stored from now on, for `changed()` (tests)."""
    (_WATCHING.set if on else _WATCHING.clear)()


def changed() -> dict[str, list[tuple[Hashable, ...]]]:
    """Each shared read's keys whose result someone has changed since it was stored."""
    found = {read.name: read.changed() for read in _ALL}
    return {name: keys for name, keys in found.items() if keys}


def watched() -> int:
    """How many results are being watched."""
    return sum(read.watched() for read in _ALL)
