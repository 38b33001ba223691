"""What every script run works from: the store, the charter, the person using the app and the
quarter carried from page to page. `ui` re-exports them (`ui.store()`, `ui.user()`, ...); the
cached reads (ui/reads.py) use them from here, so `ui` and `ui.reads` do not import each other.
"""

from __future__ import annotations

import streamlit as st

from charter import Charter, load_charter
from metrics.access import Actor
from metrics.store.changes import Versions
from metrics.store.connection import Store
from ui import access, keys
from ui.runs import once_per_run as once_per_run  # where it lived first


def user() -> Actor:
    """The person using the app, worked out afresh from their sign-in in every run: what every
    action passes to the domain, which checks the role again (no roles when nobody is signed
    in)."""
    return once_per_run("user", lambda: access.who(charter().council.contact, charter().providers))


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


@st.cache_resource
def _store() -> Store:
    return Store(linger=LINGER)


@st.cache_resource
def charter() -> Charter:
    return load_charter()


CHOSEN_QUARTER = "_chosen_quarter"  # not a widget key: it outlives the page that set it


def carried() -> dict[str, str]:
    """Query parameters every link carries: the quarter being looked at."""
    quarter = (  # the picker's value first: it changes before the page is drawn again
        st.session_state.get(keys.PERIOD)
        or st.query_params.get("quarter")
        or st.session_state.get(CHOSEN_QUARTER)
    )
    return {"quarter": quarter} if quarter else {}
