"""In a real browser: a date box's parts (day, month, year) and its calendar button are tap
targets of at least 24 x 24 CSS px (WCAG 2.2's 2.5.8, target size minimum), on a 1280 px
screen and on a phone. The Evidence page's form has one for every reader who may add."""

from __future__ import annotations

import pytest

from tests.browser import pages

TARGETS = """() => [...document.querySelectorAll(
    '[data-testid="stDateInput"] [role="spinbutton"], [data-testid="stDateInput"] button,'
    + ' [data-testid="stDateInput"] [role="button"]')]
  .map(e => { const r = e.getBoundingClientRect();
              return {name: e.getAttribute('aria-label'), width: r.width, height: r.height}; })"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_date_boxs_parts_are_big_enough_to_tap(server, browser, width):
    v = pages.visit(browser, f"{server.url}/Evidence", width=width)
    targets = v.page.evaluate(TARGETS)
    names = [t["name"] or "" for t in targets]
    assert any(n.startswith("day") for n in names) and any(n.startswith("Choose") for n in names)
    small = [t for t in targets if t["width"] < 24 or t["height"] < 24]
    assert small == [], small
    v.page.close()
