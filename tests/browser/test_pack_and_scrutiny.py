"""In a real browser: the meeting pack's HTML passes the axe-core scan, and on a phone
(390 x 844) the scrutiny view shows each statement's status word and lead figure without
scrolling sideways."""

from __future__ import annotations

from datetime import date

import pytest

from metrics import packs as pack
from metrics.access.people import command_line
from metrics.store.connection import Store
from tests.browser import pages

QUARTER = "2026-27 Q2"


@pytest.mark.parametrize("audience", pack.AUDIENCES)
def test_the_pack_html_passes_axe(demo_db, charter, browser, audience):
    _, files = pack.make(
        Store(demo_db), charter, QUARTER, audience, ("html",), command_line("t"),
        today=date(2026, 11, 26),
    )  # fmt: skip
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_content(files["html"].decode())
        violations = [x for x in pages.axe(page) if x["impact"] in ("serious", "critical")]
        assert violations == [], pages.describe(violations)
        alts = page.evaluate("() => [...document.images].map(i => i.alt)")
        # every chart says what it is: the trends, and the benchmark focus charts (issue 32)
        assert alts and all(a.startswith(("Line chart of ", "Bar chart of ")) for a in alts)
        assert any(a.startswith("Bar chart of ") for a in alts)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width  # tables scroll inside their own region, the page does not
        page.close()


def test_the_scrutiny_view_fits_a_phone(server, browser, charter):
    v = pages.visit(browser, f"{server.url}/Scrutiny?quarter=2026-27+Q2", height=844, width=390)
    page = v.page
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
        " && getComputedStyle(e).position !== 'fixed')"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert overflow == [], overflow
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    badges = page.locator(".status-badge")
    assert badges.count() == len(charter.statements)
    for k in range(badges.count()):
        box = badges.nth(k).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    for s in charter.statements:  # each statement's lead figure, wrapped, never cut off
        lead = page.get_by_text(f"{s.number}. {s.short_title}", exact=True).first
        box = lead.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
    # tap targets: axe's WCAG 2.2 target-size rule (24 px, or spaced apart) is in the scan
    violations = [x for x in pages.axe(page) if x["impact"] in ("serious", "critical")]
    assert violations == [], pages.describe(violations)
    pages.screenshot(page, "phone-scrutiny")
    page.close()
