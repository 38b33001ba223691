"""Each indicator's statuses kept by the version of its own figures (issue 34).

After an upload every page that shows statuses (the overview, a statement, the review, the
scrutiny view and its eight quarters, the scorecard) works them out again, and each time
read every indicator's figures again and asked `indicator_status` about every indicator at
every quarter: for the scorecard some 500 statuses, whose memory key alone (a hash of every
figure) cost more than the page's warm visit (bench/README.md). An upload of a return
changes the figures of the indicators in it only, and the store says which
(metrics/store/changes.py, `for_indicator`): an indicator's status at a quarter is kept here
by the version of the kinds of data its status is worked out from, narrowed to that
indicator (`KINDS`: its figures, their periods and uploads, its published figures; and what
is not told apart by indicator: the chair's trajectories, the dates published figures are as
at). After an upload of indicator X only X's statuses are worked out again, from X's figures
only; every other indicator's are taken as they were.

The versions are read before the figures, on the same connection (as
metrics/store/remembered.py does): a status is never older than the versions it is kept
under. Inside a transaction nothing is kept or taken (it may have written what it reads).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from charter import Charter
from metrics.assess import status_stored, status_work
from metrics.assess.status import IndicatorStatus
from metrics.assess.status_work import (  # re-exported: what a status is worked out from
    KINDS as KINDS,
    work_out as work_out,
)
from metrics.periods.model import Period
from metrics.store import statuses as stored_statuses
from metrics.store.changes import for_indicator
from metrics.store.connection import Connection, Store

log = logging.getLogger(__name__)

# (database, when it was made, the indicator's version, indicator, quarter, id(charter)) ->
# (charter, status). The entry holds the charter so its id is not reused while it lives.
Key = tuple[str, int, int, str, str, int]
_KEPT: OrderedDict[Key, tuple[Charter, IndicatorStatus]] = OrderedDict()
_LOCK = threading.Lock()
KEPT_MAX = 4_000  # some eight versions of a 60-indicator charter at eight quarters
_MISSING = threading.Lock()  # held while missing statuses are worked out (`statuses`)
# A status missed at one quarter is worked out at the eight quarters to it too: the scrutiny
# view's and the scorecard's (each page after an upload then reads the changed indicators'
# figures once, not once per page).
WINDOW = 8


# False while statuses are asked by a reader that must not write (a server's file watch,
# ui/refresh.py, which only reads: its own write would change the file it watches).
_KEEPING = contextvars.ContextVar("keeping_statuses", default=True)


@contextlib.contextmanager
def in_memory_only() -> Iterator[None]:
    """Statuses worked out in this block are kept in this process's memory, not the store."""
    token = _KEEPING.set(False)
    try:
        yield
    finally:
        _KEEPING.reset(token)


def worked_out() -> int:
    """How many indicator statuses have been worked out (not taken as kept) so far."""
    return status_work.worked_out()


def statuses(
    store: Store, charter: Charter, quarters: list[Period]
) -> dict[str, list[IndicatorStatus]]:
    """Every indicator's status at each of `quarters` (in their order), by indicator; each a
    copy of its own, which the caller may change."""
    with store.connect() as con:
        source = con.source
        if con.in_transaction or source is None:
            return _copies(work_out(store, charter, quarters, list(charter.indicators)))
        now = con.versions()  # before the figures: see the module's docstring
        versions = {i: now.of(for_indicator(KINDS, i)) for i in charter.indicators}

        def key(ident: str, quarter: Period) -> Key:
            return (source, now.born, versions[ident], ident, quarter.label, id(charter))

        found = _taken(versions, quarters, key)
        if len(found) < len(versions):
            # One thread at a time works missing statuses out: a cold page's read-ahead
            # threads (the review's quarter, the scrutiny view's eight) miss the same
            # indicators at once, and the one that waited takes what the first worked out.
            with _MISSING:
                found |= _taken([i for i in versions if i not in found], quarters, key)
                missing = [i for i in charter.indicators if i not in found]
                if missing:  # kept in the store by another process, or by this one before
                    found |= _stored(con, charter, now.born, versions, missing, quarters, key)
                    missing = [i for i in missing if i not in found]
                if missing:
                    wider = _window(quarters)
                    worked = work_out(store, charter, wider, missing)
                    _remember(worked, wider, charter, key)
                    _store(con, charter, now.born, versions, worked, wider)
                    at = {q.label: n for n, q in enumerate(wider)}
                    for ident, each in worked.items():
                        found[ident] = [each[at[q.label]] for q in quarters]
    return _copies({i: found[i] for i in charter.indicators})


def _taken(
    indicators: Iterable[str], quarters: list[Period], key: Callable[[str, Period], Key]
) -> dict[str, list[IndicatorStatus]]:
    """The indicators whose statuses at every quarter are kept, with them."""
    found = {}
    with _LOCK:
        for ident in indicators:
            keys = [key(ident, q) for q in quarters]
            kept = [_KEPT.get(k) for k in keys]
            if all(k is not None for k in kept):
                for k in keys:
                    _KEPT.move_to_end(k)
                found[ident] = [k[1] for k in kept if k is not None]
    return found


def _stored(
    con: Connection,
    charter: Charter,
    born: int,
    versions: dict[str, int],
    indicators: list[str],
    quarters: list[Period],
    memory_key: Callable[[str, Period], Key],
) -> dict[str, list[IndicatorStatus]]:
    """The indicators whose statuses at every quarter the store keeps, with them; each also
    kept in this process's memory from now on (under `memory_key`)."""
    made = status_stored.charter_hash(charter)
    keys = {
        (i, q.label): status_stored.key(born, versions[i], i, q.label, made)
        for i in indicators
        for q in quarters
    }
    kept = stored_statuses.taken(con, list(keys.values()))
    found: dict[str, list[IndicatorStatus]] = {}
    for ident in indicators:
        texts = [kept.get(keys[(ident, q.label)]) for q in quarters]
        read = [None if t is None else status_stored.from_json(t) for t in texts]
        taken = [s for s in read if s is not None]
        if len(taken) == len(quarters):
            found[ident] = taken
    _remember(found, quarters, charter, memory_key)
    return found


def _remember(
    found: dict[str, list[IndicatorStatus]],
    quarters: list[Period],
    charter: Charter,
    key: Callable[[str, Period], Key],
) -> None:
    """Keep each indicator's statuses at `quarters` in this process's memory."""
    with _LOCK:
        for ident, each in found.items():
            for quarter, status in zip(quarters, each, strict=True):
                _KEPT[key(ident, quarter)] = (charter, status)
        while len(_KEPT) > KEPT_MAX:
            _KEPT.popitem(last=False)


def _store(
    con: Connection,
    charter: Charter,
    born: int,
    versions: dict[str, int],
    worked: dict[str, list[IndicatorStatus]],
    quarters: list[Period],
) -> None:
    """Keep statuses just worked out in the store, for the next process to read (best
    effort: the caller has them; a status that cannot be kept is said in the log)."""
    if not _KEEPING.get():
        return
    made = status_stored.charter_hash(charter)
    try:
        rows = [
            (status_stored.key(born, versions[i], i, q.label, made), i, q.label,
             status_stored.to_json(status))
            for i, each in worked.items()
            for q, status in zip(quarters, each, strict=True)
        ]  # fmt: skip
    except TypeError as err:  # a field of a type the codec is not taught (a fault: logged)
        log.error("indicator statuses were worked out but cannot be kept: %s", err)
        return
    stored_statuses.keep(con, rows, datetime.now())


def _window(quarters: list[Period]) -> list[Period]:
    """The quarters asked, and the `WINDOW` quarters to the latest of them: an indicator
    missed at one quarter is worked out at those too, where the next page looks."""
    latest = max(quarters, key=lambda q: q.start)
    wider = {q.label: q for q in quarters}
    for k in range(WINDOW):
        earlier = latest.shift(-k)
        wider.setdefault(earlier.label, earlier)
    return list(wider.values())


def afresh(
    store: Store, charter: Charter, quarters: list[Period]
) -> dict[str, list[IndicatorStatus]]:
    """`statuses` worked out from the store as it is now, nothing kept or taken: what the
    kept ones must equal (tests/unit/test_status_kept.py)."""
    return work_out(store, charter, quarters, list(charter.indicators))


def _copies(found: dict[str, list[IndicatorStatus]]) -> dict[str, list[IndicatorStatus]]:
    return {i: [_copy(s) for s in each] for i, each in found.items()}


def _copy(status: IndicatorStatus) -> IndicatorStatus:
    """A shallow copy, as `dataclasses.replace` makes, at a twentieth of its cost (a scorecard
    copies some 500): the same fields, no __init__ run again."""
    copied = object.__new__(IndicatorStatus)
    copied.__dict__.update(status.__dict__)
    copied.history = list(status.history)  # its list of its own: a caller may append
    return copied
