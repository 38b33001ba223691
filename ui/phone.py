"""On a phone the sidebar lies over the page: once a choice in it is made (a role, in demo
mode), it closes, as Streamlit closes it after a page link. Streamlit has no call to close
it, and a changed `initial_sidebar_state` loses to the open state it remembers, so a tiny
component clicks the sidebar's own close button, only on a narrow screen and only on the run
after the choice changed."""

from __future__ import annotations

import streamlit as st

NARROW = 768  # px: Streamlit's "md" breakpoint, below which the sidebar overlays the page
LAST = "_phone_last_choice"
COUNT = "_phone_closings"

_CLOSE = f"""
export default function () {{
  if (window.innerWidth > {NARROW}) return;
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (sidebar && close && sidebar.getBoundingClientRect().right > 0) close.click();
}}
"""
_closer = st.components.v2.component("outcomes_close_sidebar_on_phone", js=_CLOSE)


def close_sidebar_after_choice(key: str) -> None:
    """Close the sidebar on a phone when the widget `key` has just changed."""
    now = st.session_state.get(key)
    before = st.session_state.get(LAST, now)
    st.session_state[LAST] = now
    if now != before:
        st.session_state[COUNT] = st.session_state.get(COUNT, 0) + 1
        _closer(key=f"close_sidebar_{st.session_state[COUNT]}")  # a new one: its code runs
