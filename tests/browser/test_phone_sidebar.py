"""On a phone (390 px, Chromium) the sidebar gets out of the way once a role is chosen, and
long indicator names and "Open indicator" links wrap instead of running off the edge
(issue 27 item 26)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import Server
from tests.browser import pages
from tests.browser.conftest import wait_for_app

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_server(demo_db: Path, tmp_path: Path) -> Iterator[Server]:
    """The demo without sign-in (demo mode is opt-in)."""
    db = tmp_path / "phone.duckdb"
    shutil.copy(demo_db, db)
    s = Server(db, env={"OUTCOMES_DEMO": "1"})
    yield s
    s.stop()


def sidebar_open(page) -> bool:
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    return box is not None and box["x"] + box["width"] > 10


def test_the_sidebar_closes_after_choosing_a_role(demo_server, browser):
    v = pages.visit(browser, demo_server.url + "/", **PHONE)
    page = v.page
    assert not sidebar_open(page)  # a phone starts with the sidebar closed
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"]')"
        ".getBoundingClientRect().left >= 0"
    )
    # The role picker sits below the page list: on a phone it is scrolled to, as a person
    # would, so that its list of roles has room to open.
    chooser = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    chooser.scroll_into_view_if_needed()
    page.locator('[data-testid="stSidebarContent"]').evaluate("e => e.scrollTo(0, e.scrollHeight)")
    chooser.click()
    page.get_by_role("option", name="Councillor").click()
    wait_for_app(page)
    page.wait_for_timeout(800)  # the sidebar's closing transition
    assert not sidebar_open(page), "the sidebar still covers the page after choosing a role"
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert "councillor" in picker.locator("input").input_value().lower()  # the choice was kept
    page.close()


def test_long_indicator_names_and_open_indicator_links_wrap(demo_server, browser):
    v = pages.visit(browser, demo_server.url + "/Statement?statement=11", **PHONE)
    page = v.page
    links = page.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
    assert links.count() >= 3
    cut = page.evaluate(
        '() => [...document.querySelectorAll(\'[data-testid="stMain"] '
        '[data-testid="stPageLink"] *\')]'
        ".filter(e => e.scrollWidth > e.clientWidth + 1"
        " || e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.textContent.slice(0, 60))"
    )
    assert cut == [], cut  # every link's label is shown in full, on as many lines as it needs
    longest = "Open indicator: Young people 14+ with an EHC plan who had a preparing-for-adulthood"
    box = page.get_by_text(longest).bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390 and box["height"] > 30  # wrapped
    page.close()


def test_long_indicator_names_in_a_drop_down_wrap_within_their_rows(demo_server, browser):
    v = pages.visit(browser, demo_server.url + "/Indicator?indicator=pfa-review-14-plus", **PHONE)
    page = v.page
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.wait_for_selector('[role="option"]')
    bad = page.evaluate(
        "() => [...document.querySelectorAll('[role=\"option\"]')]"
        ".map(o => [o, o.firstElementChild])"
        ".filter(([o, t]) => t.scrollWidth > t.clientWidth + 1"  # cut at the side
        " || t.getBoundingClientRect().bottom > o.getBoundingClientRect().bottom + 1"  # spills
        " || t.getBoundingClientRect().right > window.innerWidth)"
        ".map(([o, t]) => t.textContent)"
    )
    assert bad == [], bad
    page.close()


def test_on_a_laptop_the_sidebar_stays_open_after_choosing_a_role(demo_server, browser):
    v = pages.visit(browser, demo_server.url + "/", height=900, width=1280)
    page = v.page
    assert sidebar_open(page)
    # The role picker sits below the page list: on a phone it is scrolled to, as a person
    # would, so that its list of roles has room to open.
    chooser = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    chooser.scroll_into_view_if_needed()
    page.locator('[data-testid="stSidebarContent"]').evaluate("e => e.scrollTo(0, e.scrollHeight)")
    chooser.click()
    page.get_by_role("option", name="Councillor").click()
    wait_for_app(page)
    page.wait_for_timeout(800)
    assert sidebar_open(page)
    page.close()
