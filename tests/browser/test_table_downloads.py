"""Streamlit's own table toolbar never writes a live formula (issue 25): its "Download as CSV"
wrote `=HYPERLINK(...)` typed by a user as it was, while the app's own CSV buttons neutralise
such cells. In Chromium, on tables holding such text: the toolbar offers no download (nor
copying cells, which pastes formulas into a spreadsheet just the same), and the app's own CSV
still arrives, formula-safe."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench.server import Server
from charter import load_charter
from metrics.access import command_line
from metrics.ingest import load_file
from metrics.review import actions
from metrics.store.connection import Store
from tests.browser.conftest import wait_for_app

LIVE = '=HYPERLINK("https://evil.example/sso","Sign in again")'
GOOD = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"


@pytest.fixture(scope="module")
def planted(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo with an upload made by a person whose name is a formula (the command line's
    `--user`), shown in the upload history, and an action whose title is one."""
    db = tmp_path_factory.mktemp("formula") / "formula.duckdb"
    shutil.copy(demo_db, db)
    charter = load_charter()
    load_file(Store(db), charter, "q3.csv", GOOD, by=LIVE)
    due = date.today() + timedelta(days=30)
    actions.add(Store(db), charter, command_line(), title=LIVE, owner="designated-clinical-officer",
                due=due, quarter="2026-27 Q2", statement=3)  # fmt: skip
    server = Server(db)
    yield server
    server.stop()


def toolbar_buttons(page, table) -> list[str]:
    """The labels of the buttons Streamlit's toolbar shows on `table` when hovered."""
    table.hover()
    page.wait_for_timeout(300)
    buttons = table.locator('[data-testid="stElementToolbar"] button')
    return [b.get_attribute("aria-label") or "" for b in buttons.all()]


# Chromium's save dialog cannot be answered headless: without it Streamlit's toolbar falls back
# to an ordinary download, which Playwright receives.
NO_SAVE_DIALOG = "window.showSaveFilePicker = async () => { throw new Error('no dialog'); };"


def opened(browser, url: str):
    page = browser.new_page(accept_downloads=True)
    page.add_init_script(NO_SAVE_DIALOG)
    page.goto(url)
    wait_for_app(page)
    return page


def live_formulas(text: str) -> list[str]:
    """Cells a spreadsheet would run: text starting with = + - @ (a signed number is data)."""
    cells = [v for row in csv.reader(io.StringIO(text)) for v in row]
    return [v for v in cells if v[:1] in ("=", "+", "-", "@") and not _number(v)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("path", ["/Upload_history", "/Actions", "/Data_quality"])
def test_no_table_toolbar_writes_a_live_formula(planted: Server, browser, path):
    """Press every table's toolbar download, if there is one: what arrives holds no live
    formula. (The toolbar wrote them as typed; now it offers no download at all.)"""
    page = opened(browser, planted.url + path)
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() >= 1
    for table in tables.all():
        labels = toolbar_buttons(page, table)
        assert "Search" in labels, labels  # the toolbar itself is there
        if "Download as CSV" in labels:
            with page.expect_download() as arrived:
                table.get_by_role("button", name="Download as CSV").click()
            text = Path(arrived.value.path()).read_text(encoding="utf-8-sig")
            assert live_formulas(text) == [], f"the toolbar wrote live formulas on {path}"
        assert "Download as CSV" not in labels  # the app's own CSV buttons are the way out
    page.close()


def test_the_formula_is_on_screen_but_the_only_csv_is_the_apps_and_it_is_safe(
    planted: Server, browser
):
    """The audit trail shows the formula-named person as typed, and its own CSV button gives
    the cell made inert."""
    page = browser.new_page(accept_downloads=True)
    page.goto(planted.url + "/")
    wait_for_app(page)
    picker = page.get_by_role("combobox", name="Try the app as")
    picker.click()
    picker.fill("administrator")
    picker.press("Enter")
    page.get_by_role("link", name="Audit trail").click()  # the same session: still the admin
    page.get_by_role("heading", name="Audit trail").wait_for()
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    assert "Download as CSV" not in toolbar_buttons(page, table)
    with page.expect_download() as arrived:
        page.get_by_role("button", name="Download these entries (CSV)").click()
    text = Path(arrived.value.path()).read_text(encoding="utf-8-sig")
    cells = [v for row in csv.reader(io.StringIO(text)) for v in row]
    assert "'" + LIVE in cells and live_formulas(text) == []
    page.close()


def test_the_table_export_stays_off():
    import tomllib

    from bench.server import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
