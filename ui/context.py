"""What every script run works from: the store, the charter, the person using the app and the
quarter carried from page to page. `ui` re-exports them (`ui.store()`, `ui.user()`, ...); the
cached reads (ui/reads.py) use them from here, so `ui` and `ui.reads` do not import each other.
"""

from __future__ import annotations

import itertools
import logging
import threading

import streamlit as st

from charter import Charter, load_charter
from metrics.access import Actor
from metrics.ingest.template import latest_complete_quarter
from metrics.store import audit as audit_store
from metrics.store.changes import Versions
from metrics.store.connection import Store
from ui import access, keys
from ui.runs import once_per_run as once_per_run  # where it lived first


def user() -> Actor:
    """The person using the app, worked out afresh from their sign-in in every run: what every
    action passes to the domain, which checks the role again (no roles when nobody is signed
    in)."""
    return once_per_run("user", lambda: access.who(charter().council.contact, charter().providers))


def default_quarter(options: list[str]) -> str | None:
    """The quarter a page opens on when none is asked for: the latest complete quarter with
    figures, else the latest with any (`options`: latest first). The quarter picker, the
    read-ahead and the server's reading of a load (ui/refresh.py) ask this one rule."""
    latest = latest_complete_quarter().label
    return latest if latest in options else next(iter(options), None)


def data_versions() -> Versions:
    """The version of each kind of data in the store as this run first saw it
    (metrics/store/changes.py): what the cached reads are keyed on (ui/reads.py)."""
    return once_per_run("data versions", lambda: store().versions())


def data_version() -> int:
    """The store's data version (of any kind) as this run first saw it."""
    return data_versions().latest


# Seconds the app keeps the database open after its last read (metrics/store/keeper.py):
# long enough to serve a page, and everyone who opens one at the same moment, from one
# opening of the file; short enough that a scheduled load waits no longer than that.
LINGER = 0.3


def store() -> Store:
    """The app's store. Every cached read asks for it (its file is half of the read's key),
    and each asking of a `cache_resource` takes Streamlit's one lock for all its caches:
    in a crowd, the overview's threads queued there for a tenth of their time (py-spy
    --gil). So a run asks Streamlit once."""
    return once_per_run("store", _store)


@st.cache_resource(show_spinner=False)  # (asked from the store's watch too: no run there)
def _store() -> Store:
    return Store(linger=LINGER)


def charter() -> Charter:
    """The charter as this run first saw it: every read of one run uses the same one, so a
    reload part way through a run cannot mix two (the disclosure rules are in it)."""
    return _charter_loaded_for_run()[1]


def charter_serial() -> int:
    """Which loading of the charter this run uses: part of every cached read's key
    (ui/read_keys.py), so nothing worked out under one charter is served under another."""
    return _charter_loaded_for_run()[0]


def _charter_loaded_for_run() -> tuple[int, Charter]:
    return once_per_run("charter", _charter_loaded)


def follow_reloads_once() -> None:
    """`follow_reloads`, at the start of a run (before its charter is read): never inside a
    cached read, whose reads must be of its own kinds of data only."""
    once_per_run("reloads followed", _followed)


def _followed() -> bool:
    follow_reloads()
    return True


# For each database (its path#born, as the cached reads name it): the audit's version and
# the number of charter reloads this server last saw. A reload done on another app server
# (metrics/access/reload.py audits each) is followed here.
_SEEN: dict[str, tuple[int, int]] = {}
_SEEN_LOCK = threading.Lock()


def follow_reloads() -> None:
    """Load the charter files and the access list again when an administrator reloaded them on
    any app server since this one last looked: without it, a person taken off the access
    list kept their roles on every other server until it restarted. Asked only when the
    audit has changed (a number every run reads anyway), so a run costs nothing more."""
    try:
        versions = data_versions()
    except Exception:  # a setting or the store is wrong: the run says so itself (ui.page)
        log.warning("charter reloads not followed this run: the store could not be read")
        return
    where, seen = f"{store().path}#{versions.born}", versions.of(["audit"])
    if _SEEN.get(where, (None,))[0] == seen:
        return
    with _SEEN_LOCK:
        before = _SEEN.get(where)
        if before is not None and before[0] == seen:
            return
        try:
            with store().connect() as con:
                reloads = audit_store.charter_reloads(con)
        except Exception:  # the store went away: asked again at the next run
            log.warning("charter reloads not followed this run: the audit could not be read")
            return
        if before is not None and reloads != before[1]:
            forget_charter()
            access.forget_access_list()
        _SEEN[where] = (seen, reloads)


log = logging.getLogger(__name__)
_SERIALS = itertools.count(1)


# No spinner: a cache miss with one enqueues a message, where Streamlit raises a session's
# stop or rerun, and a shared read would hand that to other sessions waiting on it.
@st.cache_resource(show_spinner=False)
def _charter_loaded() -> tuple[int, Charter]:
    return next(_SERIALS), load_charter()


def forget_charter() -> None:
    """The next run loads the charter files again (runs under way keep theirs)."""
    _charter_loaded.clear()


CHOSEN_QUARTER = "_chosen_quarter"  # not a widget key: it outlives the page that set it


def carried() -> dict[str, str]:
    """Query parameters every link carries: the quarter being looked at."""
    quarter = (  # the picker's value first: it changes before the page is drawn again
        st.session_state.get(keys.PERIOD)
        or st.query_params.get("quarter")
        or st.session_state.get(CHOSEN_QUARTER)
    )
    return {"quarter": quarter} if quarter else {}
