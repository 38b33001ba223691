"""The link behind a staff-only download stops answering a moment after the click (issue 25,
section 4). Streamlit serves `/media/<id>` to whoever has the link, without asking who they
are: an internal planning-group pack (small numbers not withheld) still answered 120 s after
it was made, an attachment 12 s. In a real browser, the download arrives whole; a few seconds
later the same address, asked for over plain HTTP, is gone."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import Server
from tests.browser.conftest import wait_for_app
from ui.downloads import LINK_SECONDS

GONE_AFTER = 2 * LINK_SECONDS + 2  # two sweeps, and a margin for a busy machine


@pytest.fixture
def demo_server(demo_db: Path, tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "server.duckdb"
    shutil.copy(demo_db, db)
    s = Server(db, env={"OUTCOMES_DEMO": "1"})  # demo mode only when asked for
    yield s
    s.stop()


def answers(url: str) -> int:
    """The HTTP status of a plain request for `url` (no browser, no cookie)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            r.read()
            return int(r.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_an_internal_packs_link_stops_answering_after_the_download(demo_server, browser):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{demo_server.url}/Packs?quarter=2026-27+Q2")  # demo mode: an analyst
    wait_for_app(page)
    page.get_by_text("Planning group", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Make the pack").click()
    button = page.get_by_role("button", name="Download the web page (HTML)")
    button.wait_for(timeout=180_000)
    wait_for_app(page)
    with page.expect_download() as arrived:
        button.click()
    download = arrived.value
    assert download.suggested_filename == "charter-pack-2026-27-Q2-planning-group.html"
    assert b"2026-27 Q2" in Path(download.path()).read_bytes()
    assert "/media/" in download.url
    time.sleep(GONE_AFTER)
    assert answers(download.url) == 404
    page.close()


def test_an_attachments_link_stops_answering_after_the_download(demo_server, browser):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{demo_server.url}/Evidence")
    wait_for_app(page)
    button = page.get_by_role("button", name="Open the attachment: ehc-plan-audit-summary.pdf")
    with page.expect_download() as arrived:
        button.first.click()
    download = arrived.value
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    time.sleep(GONE_AFTER)
    assert answers(download.url) == 404
    page.close()


def test_a_survey_returns_link_stops_answering_after_the_download(demo_server, browser):
    """The survey return (analysts only) was registered when the page was drawn and
    answered anyone with the link for as long as the page stayed open."""
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{demo_server.url}/Evidence")  # demo mode: an analyst
    wait_for_app(page)
    button = page.get_by_role("button", name="Download as a return for Parents satisfied")
    with page.expect_download() as arrived:
        button.first.click()
    download = arrived.value
    assert download.suggested_filename.startswith("survey-")
    assert Path(download.path()).read_bytes().startswith(b"indicator,")
    assert "/media/" in download.url
    time.sleep(GONE_AFTER)
    assert answers(download.url) == 404
    page.close()
