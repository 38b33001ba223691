"""AppTest fixtures: the app against a private copy of the demo database."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from tests.conftest import ROOT
from ui import access
from ui.charts import NUMBERS


@pytest.fixture(autouse=True)
def demo_mode(monkeypatch):
    """Pages run as the demo, asked for as an operator does (OUTCOMES_DEMO=1): without it,
    and without a working [auth], the app is locked (issue 25). A test of a signed-in or a
    locked installation sets its own secrets or settings."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")


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


@pytest.fixture
def fresh(demo_store, monkeypatch):
    """An AppTest of a page against a private demo copy, not yet run."""
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()
    st.cache_data.clear()

    def make(path: str = ui.OVERVIEW, **state: object) -> Opened:
        return Opened(path, state)

    make.store = demo_store  # type: ignore[attr-defined]
    return make


def nav_labels(at: AppTest) -> list[str]:
    """The pages the sidebar lists, in order. Through app.py, Streamlit's own navigation of
    the pages it routed for the person (AppTest keeps what was routed; the landing page of
    someone who may read nothing is a function, hidden from the navigation). AppTest runs a
    page it switches to straight from the pages/ folder, without app.py: that page, like any
    page file run on its own, draws the links itself (ui.navigation)."""
    links = [link.value for link in at.sidebar.get("page_link")]
    pages = at._registered_pages.values()
    routed = [p["page_name"] for p in pages if p.get("script_path") and "url_pathname" in p]
    return links or routed


NOT_ROUTED = "Could not find a navigation page"  # AppTest.switch_page on a page not routed


class Opened:
    """A page opened as Streamlit does on a deep link: app.py runs first and routes the pages
    the person may open (ui/registry.py), then the page is switched to, with the secrets,
    user and state given. A page app.py does not route for this person cannot be reached
    that way (in a browser, Streamlit says "Page not found"); the page file is then run on
    its own, as `streamlit run pages/...` would, so its own `ui.page()` check is what the
    test sees (`routed` is False)."""

    def __init__(self, path: str, state: dict[str, object]):
        self.path, self.state = path, state
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        self.routed = True

    def run(self) -> AppTest:
        for key, value in self.state.items():
            self.at.session_state[key] = value
        self.at.run()
        if self.path == ui.OVERVIEW:
            return self.at
        try:
            self.at.switch_page(self.path)
        except ValueError as err:
            if NOT_ROUTED not in str(err):
                raise
            self.routed = False
            self.at = directly(self.path, self.at, self.state)
            return self.at.run()
        return self.at.run()


def directly(path: str, at: AppTest, state: dict[str, object]) -> AppTest:
    """An AppTest of the page file itself as the main script (not through app.py), with
    `at`'s secrets, user and query string and the session `state` given."""
    page = AppTest.from_file(str(ROOT / path), default_timeout=60)
    page.secrets.update(at.secrets)
    page.user = dict(at.user)
    page.query_params.update(at.query_params)
    for key, value in state.items():
        page.session_state[key] = value
    return page


def opened_in_quarter(fresh, quarter: str, path: str, role: str) -> AppTest:
    """A page opened afresh by a demo `role` at `quarter`, run without an exception."""
    page = fresh(path, **{access.DEMO_ROLE: role})
    page.at.query_params["quarter"] = quarter
    at = page.run()
    assert not at.exception, at.exception
    return at


def open_expanders(at: AppTest, *labels: str) -> AppTest:
    """Open every expander whose label starts with one of `labels` (a chart's numbers, by
    default) as a reader would, and run the page again: a chart's table twin and download
    run only while their expander is open (ui/lazy.py `opened`). Opening one is setting its
    state, under the key it was given (its id is "$$ID-<hash>-<key>")."""
    starts = labels or (NUMBERS,)
    keys = [
        e.proto.id.split("-", 2)[2]
        for e in at.expander
        if e.proto.id and e.label.startswith(starts)  # an id: it keeps its state
    ]
    assert keys, f"no expander {starts} to open"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at
