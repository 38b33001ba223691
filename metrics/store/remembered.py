"""Reads of the store remembered by the version of the kinds of data they read.

After an upload of a return every page works its statuses out again, and each time it read
again what no return changes: which periods have published figures, every council's
published values, the dates they are as at, the chair's trajectories (a fifth of a cold
page's queries, profiled in bench/README.md). A named query wrapped here is asked again only
when a write of one of its kinds has committed since (metrics/store/changes.py): in this
process or any other, on either backend, since the versions are read from the database.

The versions are read before the query, on the same connection: what is remembered is never
older than the versions it is kept under (a write committed in between makes it newer,
and the next reader's versions miss it). Inside a transaction nothing is remembered or
answered from memory: the transaction may have written what it reads, uncommitted.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, TypeVar

from metrics.store.connection import Connection
from metrics.store.read_kinds import kinds_read, saw

P = ParamSpec("P")
R = TypeVar("R")

# Each query keeps this many answers (by database, version and arguments): the few sets of
# arguments pages ask with, at the latest versions. Few: what is kept is live Python objects,
# which Python's full collections walk (a large answer is better kept as an Arrow table).
ENTRIES = 8


Read = Callable[Concatenate[Connection, P], R]


def remembered(*queries: str, entries: int = ENTRIES) -> Callable[[Read[P, R]], Read[P, R]]:
    """A named query `read(con, *args)` that runs `queries`, remembered by (database, the
    version of the kinds of data the queries read, args). The kinds are worked out from the
    queries' text (`kinds_read`), so they cannot be forgotten or misstated. The answer is
    shared by every caller, who must not change it (lists of tuples or Arrow tables, whose
    callers build their own objects from them)."""
    kinds = frozenset().union(*(kinds_read(q) for q in queries))

    def wrap(read: Read[P, R]) -> Read[P, R]:
        known: OrderedDict[Hashable, R] = OrderedDict()
        lock = threading.Lock()
        # A lock per key being read: threads asking the same at once (a cold page's prefetch
        # threads, each working out statuses) wait for the first one's answer.
        reading: dict[Hashable, threading.Lock] = {}

        def remembering(con: Connection, /, *args: P.args, **kw: P.kwargs) -> R:
            saw(kinds)  # what a test watching this thread's reads is told (read_kinds.watching)
            where = con.source
            if con.in_transaction or where is None:
                return read(con, *args, **kw)
            now = con.versions()  # `born`: which database at this address (see Versions)
            key = (where, now.born, now.of(kinds), _hashable(args), _hashable(kw))
            with lock:
                if key in known:
                    known.move_to_end(key)
                    return known[key]
                one = reading.setdefault(key, threading.Lock())
            with one:
                with lock:
                    if key in known:  # read by the thread this one waited for
                        return known[key]
                try:
                    found = read(con, *args, **kw)
                except BaseException:
                    with lock:
                        reading.pop(key, None)  # the next thread asks for itself
                    raise
                with lock:
                    known[key] = found
                    reading.pop(key, None)
                    while len(known) > entries:
                        known.popitem(last=False)
            return found

        functools.update_wrapper(remembering, read)
        remembering.kinds = kinds  # type: ignore[attr-defined]
        return remembering

    return wrap


def _hashable(value: object) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value
