"""AppTest fixtures: the app against a private copy of the demo database."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture
def app(demo_store, monkeypatch):
    """A fresh AppTest of app.py whose store is a private demo copy."""
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()  # caches outlive an AppTest: start each test from scratch
    st.cache_data.clear()

    def make() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception, at.exception
        return at

    make.store = demo_store  # type: ignore[attr-defined]
    return make
