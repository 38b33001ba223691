"""Keyboard only: from the overview to a statement and on to an indicator with Tab and Enter,
the focus visible at every stop."""

from __future__ import annotations

from tests.browser import pages
from tests.browser.conftest import wait_for_app

# Is the focused element (or the widget wrapper around it) visibly marked?
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {text: '', visible: false};
  let node = el, visible = false;
  for (let i = 0; i < 4 && node && !visible; i++, node = node.parentElement) {
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    visible = outline || shadow;
  }
  // a ring inside something drawn transparent (a table's toolbar at opacity 0) is not seen
  for (let up = el; up && visible; up = up.parentElement) {
    if (parseFloat(getComputedStyle(up).opacity) === 0) visible = false;
  }
  // st.dataframe is a canvas grid (glide-data-grid) that draws its focus ring on the canvas,
  // where CSS cannot see it: a cell of a grid that holds the focus counts as visibly focused.
  const grid = el.closest('[data-testid="stDataFrame"]');
  if (!visible && grid && grid.querySelector('canvas')) visible = true;
  return {text: (el.innerText || el.getAttribute('aria-label') || el.value || '').trim(),
          tag: el.tagName, visible};
}"""


def tab_to(page, wanted: str, limit: int = 120) -> list[dict]:
    """Press Tab until the focused element's text contains `wanted`; every stop recorded."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_VISIBLE)
        stops.append(focus)
        if focus["tag"] == "A" and focus["text"].startswith(wanted):
            return stops
    raise AssertionError(f"{wanted!r} never took the focus; stops: {[s['text'] for s in stops]}")


def follow(page, path: str, query: str) -> None:
    """Streamlit changes pages in the browser's history, without a page load."""
    page.wait_for_function(
        "([p, q]) => location.pathname.endsWith(p) && location.search.includes(q)",
        arg=[path, query],
    )


def test_overview_to_indicator_with_the_keyboard(server, browser):
    v = pages.visit(browser, server.url + "/")
    page = v.page
    stops = tab_to(page, "Open statement 5")
    assert all(s["visible"] for s in stops), [s for s in stops if not s["visible"]]
    page.keyboard.press("Enter")
    follow(page, "/Statement", "statement=5")
    wait_for_app(page)
    assert page.get_by_role("heading", name="5. Timely assessment").count() == 1

    stops = tab_to(page, "Open indicator: EHC plans issued within 20 weeks")
    assert all(s["visible"] for s in stops), [s for s in stops if not s["visible"]]
    page.keyboard.press("Enter")
    follow(page, "/Indicator", "indicator=ehcp-issued-20-weeks")
    wait_for_app(page)
    heading = "EHC plans issued within 20 weeks (excluding exceptions)"
    assert page.get_by_role("heading", name=heading).count() == 1
    assert pages.unexpected_console_errors(v) == [] and v.page_errors == []
    page.close()


def test_focus_moving_back_up_a_phone_page_is_never_under_the_header(server, browser):
    """Shift+Tab scrolled the focused link to the very top, under Streamlit's sticky header
    (WCAG 2.4.11): it stops below it now."""
    v = pages.visit(browser, server.url + "/", width=390)
    page = v.page
    tab_to(page, "Open statement 12")
    header = page.evaluate(
        "() => document.querySelector('[data-testid=\"stHeader\"]').getBoundingClientRect().bottom"
    )
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        top = page.evaluate("() => document.activeElement.getBoundingClientRect().top")
        text = page.evaluate("() => document.activeElement.innerText")
        assert top >= header - 1, (text, top, header)
    page.close()
