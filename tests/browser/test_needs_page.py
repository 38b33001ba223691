"""The Needs and resources page in Chromium (issue 33): the locality map drawn (Plotly, from
the charter's boundaries) with its words and table twin, nothing sticking out sideways on a
390 px phone, and axe clean at both widths."""

from __future__ import annotations

import pytest

from tests.browser import pages

URL = "/Needs_and_resources"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_needs_page_fits_the_screen_and_passes_axe(server, browser, width):
    v = pages.visit(browser, server.url + URL, height=4000, width=width)
    page = v.page
    page.get_by_text("Known against expected, by locality").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.get_by_text(
        "About 4 in 10 of the disabled children we would expect in North"
    ).count()
    assert page.get_by_text("The numbers behind this chart").count() >= 1  # the table twin
    overflow = pages.sticking_out(page)
    assert overflow == [], overflow
    violations = [x for x in pages.axe(page) if x["impact"] in ("serious", "critical")]
    assert violations == [], pages.describe(violations)
    pages.screenshot(page, f"needs-{width}")
    assert pages.unexpected_console_errors(v) == [] and v.page_errors == []
    page.close()
