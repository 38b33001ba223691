"""Expanders whose content runs only while a reader has them open.

Streamlit's cost is per element sent in every run (bench/README.md). What sits in a closed
expander is sent all the same unless the expander tracks its state (`on_change="rerun"`):
then opening it reruns the page and only what is open is drawn. A chart's table twin and
download (py-spy: a fifth of the indicator page's server work, 40 % of what it sent) and
the review's stories for its readers are read by few, so they wait until opened. The key
keeps it open for that reader across reruns; the focus stays on it (tests/browser)."""

from __future__ import annotations

from typing import Any

import streamlit as st


def opened(label: str, key: str, lazy: bool = True) -> Any:
    """The expander to draw into, or None while it is shut and `lazy`. Not lazy: always
    drawn, as where a reader types into it (closing it must not lose what was typed)."""
    box = st.expander(label, key=key, on_change="rerun" if lazy else "ignore")
    return box if not lazy or box.open else None
