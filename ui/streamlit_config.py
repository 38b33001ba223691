"""Streamlit's config option reads without its lock, for a crowd.

Streamlit asks `config.get_option("global.minCachedMessageSize")` for every message a script
sends (forward_msg_cache.populate_hash_if_needed), and `get_option` takes the config's
module-wide lock each time. With twenty people opening pages at once, twenty script threads
queue on that one lock for every element they draw: py-spy on `make bench`'s crowd (quiet
machine) found the script threads waiting there for over half of their time, and a page of
ours draws about a hundred elements (the floor app ten).

The options are parsed once, at start-up; Streamlit's own `get_config_options()` already
hands out the parsed options without the lock once they exist (its "fast path"). `get_option`
below reads through that same path and answers exactly as Streamlit's does, including the
error for an unknown key. Streamlit's maintainers raised the same point when the lock was
added (streamlit/streamlit pull request 2860: "we're taking a lock every time a config option
is accessed"). Only the version it was checked against is changed: another version keeps
Streamlit's own, and tests/app/test_streamlit_config.py fails until this is looked at again.
"""

from __future__ import annotations

from typing import Any

import streamlit
from streamlit import config

CHECKED_WITH = "1.67.0"
STREAMLITS_OWN = config.get_option  # kept for the tests' comparison


def _get_option(key: str) -> Any:
    options = config.get_config_options()  # Streamlit's lock-free read once parsed
    if key not in options:
        raise RuntimeError(f'Config key "{key}" not defined.')
    return options[key].value


def read_without_lock() -> bool:
    """Make `config.get_option` (and `st.get_option`) read without the lock; True if done."""
    if streamlit.__version__ != CHECKED_WITH:
        return False
    config.get_option = _get_option
    return True
