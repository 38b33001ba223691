"""In a real browser: making a pack is said to a screen reader, in a live region (role
"status"), while it is being made and when it is ready; Streamlit's status box alone has
no live region (WCAG 4.1.3)."""

from __future__ import annotations

from tests.browser import pages
from tests.browser.conftest import wait_for_app

# The words of every live region on the page (role status or alert, or aria-live), by role.
LIVE = """() => [...document.querySelectorAll('[role="status"], [role="alert"], [aria-live]')]
  .map(e => (e.getAttribute('role') || e.getAttribute('aria-live')) + ': ' + e.textContent)"""


def said(page, words: str, role: str = "status") -> None:
    page.wait_for_function(
        f"""() => ({LIVE})().some(x => x.startsWith({role!r} + ': ') && x.includes({words!r}))""",
        timeout=180_000,
    )


def test_making_a_pack_is_said_in_a_live_region(server, browser):
    v = pages.visit(browser, f"{server.url}/Packs?quarter=2026-27+Q2")
    page = v.page
    page.get_by_text("Planning group", exact=True).click()  # demo mode: an analyst
    wait_for_app(page)
    page.get_by_role("button", name="Make the pack").click()
    said(page, "Making the planning group pack for 2026-27 Q2")
    said(page, "The planning group pack for 2026-27 Q2 is ready")
    page.get_by_role("button", name="Download the web page (HTML)").wait_for()
    region = page.locator('[class*="st-key-live_status_"]', has_text="is ready")
    box = region.bounding_box()  # out of sight (clipped): the status box shows the same words
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    page.close()
