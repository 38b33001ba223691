"""Streamlit's compiled page scripts kept while the server runs, for a crowd.

Streamlit compiles app.py and each page (reading the file, rewriting it for "magic", then
`compile`) once and keeps the code in a cache, which it empties whenever the last session
leaves ("avoid stale cached scripts when all file watchers and sessions are disconnected").
In `make bench`'s crowds every crowd starts with no session, so the first visit of each of
app.py and the six pages compiled its script again while the crowd's other sessions waited
for Python's lock: 0.3 ms of server time a visit, averaged over a crowd (py-spy,
bench/README.md), about a twentieth of a page; and a quiet app pays it on every first visit.

This server never watches its files (`server.fileWatcherType = "none"`, .streamlit/
config.toml): the modules the pages import are never reloaded, so a script compiled again
after an edit would be the only new code running among old modules. Keeping the compiled
scripts makes a server run the code it started with, whole, until it is restarted (which a
deployment does). Where files are watched, Streamlit's own rule stands. Only the version it
was checked against is changed: another version keeps Streamlit's own, and
tests/browser/test_streamlit_scripts.py fails until this is looked at again.
"""

from __future__ import annotations

from typing import Any

import streamlit
from streamlit import config
from streamlit.runtime import runtime

CHECKED_WITH = "1.67.0"


class KeptScripts:
    """The server's script cache, as its session manager sees it: compiled code is handed
    out as before, and emptying it when the last session leaves does nothing."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def get_bytecode(self, script_path: str) -> Any:
        return self.cache.get_bytecode(script_path)

    def clear(self) -> None:
        """Asked only when the last session leaves: the scripts stay (see the module)."""


def keep_compiled_scripts() -> bool:
    """Keep the running server's compiled scripts when its last session leaves; True if
    done (a server that watches no files, on the Streamlit this was checked with)."""
    if streamlit.__version__ != CHECKED_WITH:
        return False
    if config.get_option("server.fileWatcherType") != "none" or not runtime.Runtime.exists():
        return False
    manager: Any = getattr(runtime.Runtime.instance(), "_session_mgr", None)
    cache = getattr(manager, "_script_cache", None)
    if cache is None or isinstance(cache, KeptScripts):  # AppTest's stand-in; done already
        return cache is not None
    # The manager empties its cache when its last session leaves, and hands the cache to
    # each session it makes: sessions made from now on get this one (whose `clear` is for
    # files changed on disk, which this server does not watch).
    manager._script_cache = KeptScripts(cache)
    return True
