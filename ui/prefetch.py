"""Reading ahead: what a page is about to read, worked out in the background while the page
sets itself up, into the same caches as the page's own reads (ui/reads.py)."""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import streamlit as st

from metrics.ingest.template import latest_complete_quarter
from metrics.periods.text import parse_period
from metrics.scrutiny import scorecard as scorecards

# The reads' keyed forms (`reads._review(db, version, ...)`): the read-ahead is the reads' own
# machinery, in a module of its own for its size, and calls them with the keys it took.
from ui import context, keys, reads
from ui.reads import EVIDENCE, QUARTERS, REVIEW_EXTRAS, data_key, indicator_key, public

log = logging.getLogger(__name__)

# What has been read ahead, by everything that decides it: a crowd opening the same page at
# the same version of the data starts one read-ahead, not twenty.
_PREFETCHED: set[tuple[object, ...]] = set()
_PREFETCHED_LOCK = threading.Lock()
# Reads under way in the background. At exit they are let finish (a read cut off by the
# interpreter's end leaves DuckDB's objects behind it: "nanobind: leaked ..." on a busy
# machine, issue 27 item 27); registered after the store keeper's close, so it runs before.
_PREFETCHING: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


@atexit.register
def _let_prefetches_finish() -> None:
    for thread in list(_PREFETCHING):
        thread.join(timeout=30)


def prefetch(names: Iterable[str]) -> None:
    """Start working out, in the background, what the page is about to read: the quarters
    and, side by side, the chosen quarter's review and the page's `names` ("quality",
    "scrutiny", "review extras", "statement": the evidence about the statement in the link
    or last picked, "indicator": that indicator's data and its first breakdown). While the
    page sets itself up, one read waits on DuckDB as another works out statuses; the page's
    own calls then wait for, and find, the results in the cache. Nothing is drawn here, and
    a read that fails here fails again, with its message, where the page makes it."""
    # Read on the page's thread: each read's key, as the page will make it.
    key, public_view, today = data_key(), public(), date.today()
    kinds = {n: data_key(*k) for n, k in (("q", QUARTERS), ("x", REVIEW_EXTRAS), ("e", EVIDENCE))}
    carried = context.carried().get("quarter")
    statement = st.session_state.get(keys.STATEMENT) or st.query_params.get("statement")
    indicator = st.session_state.get(keys.INDICATOR) or st.query_params.get("indicator")
    dimension = st.session_state.get(keys.DIMENSION)
    ind = context.charter().indicators.get(indicator or "")
    ind_key = indicator_key(ind.id) if ind is not None else key
    asked = (key, public_view, carried, statement, indicator, dimension, tuple(names))
    with _PREFETCHED_LOCK:
        if asked in _PREFETCHED:  # already under way or done for this version of the data
            return
        if len(_PREFETCHED) > 1000:
            _PREFETCHED.clear()
        _PREFETCHED.add(asked)

    def indicator_page(quarter: str) -> None:
        assert ind is not None
        found = reads._indicator_view(*ind_key, ind.id, quarter, public_view)
        reads._outlook(*ind_key, ind.id, quarter, public_view)
        dim = dimension if dimension in ind.breakdowns else next(iter(ind.breakdowns), None)
        if dim:
            reads._groups(*ind_key, ind.id, dim, found.upto)

    def jobs_for(quarter: str) -> list[Callable[[], object]]:
        jobs: dict[str, Callable[[], object]] = {
            "review": lambda: reads._review(*key, quarter, public_view),
            "quality": lambda: reads._quality(*key, quarter, today),
            "scrutiny": lambda: reads._scrutiny(*key, quarter, public_view),
            "review extras": lambda: reads._review_extras(*kinds["x"], quarter),
            "scorecard": lambda: reads._scorecard(*key, quarter, scorecards.QUARTERS, public_view),
        }
        if statement and statement.isdigit():
            until = parse_period(quarter).end
            jobs["statement"] = lambda: reads._evidence(*kinds["e"], int(statement), until)
        if ind is not None:
            jobs["indicator"] = lambda: indicator_page(quarter)
        return [jobs[n] for n in dict.fromkeys(("review", *names)) if n in jobs]

    def run() -> None:
        # The quarter is the one carried, else the latest with figures; the latest complete
        # quarter is a good guess at that, so its reads need not wait for the quarters'.
        guess = carried or latest_complete_quarter().label
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="read") as pool:
            found = pool.submit(reads._quarters, *kinds["q"])
            started = [pool.submit(job) for job in jobs_for(guess)]
            options = found.result()
            quarter = carried if carried in options else context.default_quarter(options)
            if quarter is not None and quarter != guess:
                started += [pool.submit(job) for job in jobs_for(quarter)]
            for done in started:
                done.exception()  # the page reports a failure when it reads the same

    def quietly() -> None:
        try:
            run()
        except Exception:  # the page's own read of the same says what went wrong
            log.debug("prefetch failed", exc_info=True)

    thread = threading.Thread(target=quietly, name="prefetch", daemon=True)
    _PREFETCHING.add(thread)
    thread.start()
