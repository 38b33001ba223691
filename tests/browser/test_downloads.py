"""Downloads written when asked for (issue 17): a chart's numbers and an evidence item's
attachment are made on the click, not on every page view; in a real browser the file that
arrives must be the right one, and a chart's CSV formula-safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from metrics.store.connection import Store
from metrics.store.queries import series
from tests.browser.conftest import wait_for_app


def test_a_charts_numbers_download_as_csv(server, browser):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{server.url}/Indicator?indicator=ehcp-issued-20-weeks")
    wait_for_app(page)
    numbers = page.locator('[data-testid="stExpander"]').filter(
        has_text="The numbers behind this chart"
    )
    numbers.first.locator("summary").click()
    # Opening it reruns the page (ui/lazy.py): a click on the button while that rerun was
    # still drawing it once started no download (CI). The rerun's table first, then idle.
    expect(numbers.first.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
    wait_for_app(page)
    with page.expect_download() as arrived:
        numbers.first.get_by_role("button", name="Download these numbers (CSV)").click()
    download = arrived.value
    assert download.suggested_filename == "ehcp-issued-20-weeks.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["indicator"] for r in rows} == {"ehcp-issued-20-weeks"}
    stored = series(Store(server.db), "ehcp-issued-20-weeks", "E99000001")
    # the chart is the quarterly series: the measure's published years sit beside it (issue 32)
    quarters = [(s.period, s.value) for s in stored if s.period_kind == "fy_quarter"]
    assert len(quarters) < len(stored)  # the demo has both
    assert [(r["period"], float(r["value"])) for r in rows] == quarters
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)
    page.close()


def test_a_keyboard_user_opens_a_charts_numbers_and_keeps_their_place(server, browser):
    """A chart's table runs only once its expander is opened (ui/lazy.py `opened`): the
    opening reruns the page, and the reader's focus must stay on what they opened."""
    page = browser.new_page()
    page.goto(f"{server.url}/Indicator?indicator=ehcp-issued-20-weeks")
    wait_for_app(page)
    numbers = page.locator('[data-testid="stExpander"]').filter(
        has_text="The numbers behind this chart"
    )
    first = numbers.first
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(first.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
    expect(first.get_by_role("button", name="Download these numbers (CSV)")).to_be_visible()
    focused = page.evaluate("document.activeElement.closest('summary')?.innerText ?? ''")
    assert "The numbers behind this chart" in focused
    assert numbers.nth(1).locator('[data-testid="stDataFrame"]').count() == 0  # still shut
    page.close()


def test_an_evidence_attachment_downloads_for_staff(server, browser):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{server.url}/Evidence")  # demo mode: an analyst, who may open attachments
    wait_for_app(page)
    button = page.get_by_role("button", name="Open the attachment: ehc-plan-audit-summary.pdf")
    with page.expect_download() as arrived:
        button.first.click()
    download = arrived.value
    assert download.suggested_filename == "ehc-plan-audit-summary.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    page.close()
