"""Shared Streamlit helpers: every page (and app.py) starts with `ui.page(...)`.

Streamlit runs a file in `pages/` on its own when a deep link opens it (legacy multipage
mode), so nothing may rely on app.py having run first: `page()` sets the page up, draws the
role-aware navigation and refuses users without the role, on every page.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from charter import Charter, load_charter
from metrics.store import Store

APP_NAME = "Outcomes for disabled children"

ANALYST = "analyst"
MEMBER = "planning group"
COUNCILLOR = "councillor"
READERS = frozenset({ANALYST, MEMBER, COUNCILLOR})
ANALYSTS = frozenset({ANALYST})

# (file, label, roles) in the order the navigation shows them.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("app.py", "Charter overview", READERS),
    ("pages/5_Upload_history.py", "Upload history", READERS),
]


def current_roles() -> frozenset[str]:
    """Until sign-in arrives everyone on this installation has every role (laptop demo)."""
    return READERS


@st.cache_resource
def store() -> Store:
    return Store()


@st.cache_resource
def charter() -> Charter:
    return load_charter()


def navigation(roles: Iterable[str]) -> None:
    allowed = set(roles)
    with st.sidebar:
        st.markdown(f"**{APP_NAME}**")
        for file, label, needs in PAGES:
            if needs & allowed:
                st.page_link(file, label=label)


def page(title: str, roles: frozenset[str] = READERS) -> None:
    """Set the page up, draw the navigation and stop here for users without `roles`."""
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide")
    user_roles = current_roles()
    navigation(user_roles)
    if not roles & user_roles:
        st.error("You do not have access to this page. Ask your performance team for access.")
        st.stop()
    st.title(title)
