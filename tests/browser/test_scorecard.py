"""The Scorecard page in Chromium (issue 31): at 1280 px every quarter as a table, at a
390 px phone one measure at a time with the latest quarters (the table hidden), nothing
sticking out sideways, status in symbol and word, and axe clean at both widths."""

from __future__ import annotations

import pytest

from tests.browser import pages

URL = "/Scorecard?quarter=2026-27+Q2"
WIDE = '[class*="st-key-scorecard_wide"]'
NARROW = '[class*="st-key-scorecard_narrow"]'


@pytest.mark.parametrize(("width", "phone"), [(1280, False), (390, True)])
def test_the_scorecard_fits_the_screen_and_passes_axe(server, browser, width, phone):
    v = pages.visit(browser, server.url + URL, height=3000, width=width)
    page = v.page
    assert page.locator(WIDE).is_visible() is not phone
    assert page.locator(NARROW).is_visible() is phone
    if phone:
        cards = page.locator(f"{NARROW} li")
        assert cards.count() > 0
        first = cards.first.inner_text()
        assert first.startswith("2026-27 Q2: ") and any(
            w in first for w in ("Off track", "At risk", "On track", "Withheld", "No recent data")
        )
        overflow = pages.sticking_out(page)
        assert overflow == [], overflow
    violations = [x for x in pages.axe(page) if x["impact"] in ("serious", "critical")]
    assert violations == [], pages.describe(violations)
    pages.screenshot(page, f"scorecard-{width}")
    assert pages.unexpected_console_errors(v) == [] and v.page_errors == []
    page.close()
