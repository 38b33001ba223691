"""A quarterly return uploaded through the page's file input, as an analyst would."""

from __future__ import annotations

from tests.browser import pages
from tests.browser.conftest import wait_for_app


def choose_file(page, path) -> None:
    region = page.get_by_role("region", name="Quarterly return (.xlsx or .csv)")
    region.locator('input[type="file"]').set_input_files(str(path))
    page.wait_for_timeout(300)
    wait_for_app(page)


BEFORE = "At risk: 2 of 5 assessed indicators on track, 1 at risk, 2 off track."
AFTER = "Off track: 1 of 5 assessed indicators on track, 1 at risk, 3 off track."


def test_upload_bad_then_good_file(server, browser, tmp_path):
    v = pages.visit(browser, server.url + "/")
    page = v.page
    assert page.get_by_text(BEFORE).count() == 1  # statement 5 on the overview
    page.goto(server.url + "/Upload")
    wait_for_app(page)
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,period,value\nshort-breaks-receiving,2021-22 Q3,lots\n")
    choose_file(page, bad)
    rejected = "Rejected: 1 problem in 1 row; nothing was stored."
    # in the status box, and said to a screen reader as an alert (ui/working.py)
    page.get_by_text(rejected).filter(visible=True).first.wait_for()
    assert page.get_by_role("alert").filter(has_text=rejected).count() >= 1
    assert page.get_by_text("Download the errors (CSV)").count() == 1

    good = tmp_path / "good.csv"
    good.write_text(
        "indicator,period,value,numerator,denominator\nehcp-issued-20-weeks,2026-27 Q2,,20,50\n"
    )  # revises the demo's 75.0%
    choose_file(page, good)  # replaces the first file
    page.get_by_text("Figures to revise").first.wait_for()
    store = page.get_by_role("button", name="Store these figures")
    assert store.is_disabled()  # a revision needs a reason first
    page.get_by_role("textbox", name="Why are figures being revised?").fill("Recount after audit")
    page.keyboard.press("Enter")
    wait_for_app(page)
    assert store.is_disabled()  # 40.0% after 75.0% is far outside the usual range
    page.get_by_text("I have checked these figures and they are right").click()
    wait_for_app(page)
    store.click()
    wait_for_app(page)
    # shown (the same words are said, out of sight, to a screen reader: ui/working.py)
    page.get_by_text("Loaded: 0 added, 1 revised, 0 unchanged.").filter(
        visible=True
    ).first.wait_for()
    # then the page shows the stored outcome only: the Store button goes away
    page.get_by_role("button", name="Store these figures").wait_for(state="detached")
    wait_for_app(page)
    assert page.get_by_text("Loaded: 0 added, 1 revised, 0 unchanged.").count() >= 1

    page.goto(server.url + "/Indicator?indicator=ehcp-issued-20-weeks")
    wait_for_app(page)
    reason = page.get_by_text("40.0% in 2026-27 Q2 against a target of 70%").first.inner_text()
    assert reason.startswith("Off track")
    page.goto(server.url + "/")
    wait_for_app(page)
    assert page.get_by_text(AFTER).count() == 1 and page.get_by_text(BEFORE).count() == 0
    assert pages.unexpected_console_errors(v) == [] and v.page_errors == []
    page.close()
