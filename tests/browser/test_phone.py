"""A phone (390 x 844): the overview, a statement and an indicator fit the screen, tables lead
with the status word and latest figure, charts have no toolbar and flat, legible ticks, and
the accessibility scan still passes."""

from __future__ import annotations

import pytest

from tests.browser import pages

PHONE = {
    "overview": "/",
    "statement": "/Statement?statement=5",
    "indicator": pages.PAGES["indicator"],
    "quality": pages.PAGES["quality"],
    "evidence": pages.PAGES["evidence"],
    "self_review": pages.PAGES["self_review"],
}


@pytest.mark.parametrize("name", list(PHONE))
def test_pages_fit_a_phone(server, browser, name):
    v = pages.visit(browser, server.url + PHONE[name], height=844, width=390)
    page = v.page
    overflow = pages.sticking_out(page)
    assert overflow == [], overflow  # nothing sticks out sideways (tables scroll inside)
    assert page.locator(".modebar").count() == 0  # no chart toolbar
    if name == "quality":  # ratings are words, not colours
        assert page.get_by_text("with some concerns").count() > 0
    elif name == "evidence":
        assert page.get_by_text("Parent carer survey result", exact=False).count() > 0
    elif name == "self_review":  # confidence in words
        assert page.get_by_text("Partly confident", exact=False).count() > 0
    else:
        assert page.get_by_text("On track").count() + page.get_by_text("Off track").count() > 0
    if name == "statement":
        table = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        assert table is not None and table["width"] <= 390
    if name == "indicator":  # the trend and SPC charts: flat tick labels
        angles = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
            ".slice(0, 2).flatMap(c => [...c.querySelectorAll('.xtick text')])"
            ".map(t => t.getAttribute('transform') || '')"
        )
        assert angles and not any("rotate" in a for a in angles), angles
    violations = [x for x in pages.axe(page) if x["impact"] in ("serious", "critical")]
    assert violations == [], pages.describe(violations)
    pages.screenshot(page, f"phone-{name}")
    assert pages.unexpected_console_errors(v) == [] and v.page_errors == []
    page.close()
