"""In a real browser, user text never becomes a live link (issue #9, item 3): Streamlit's
Markdown (with GFM autolinks) and Plotly's chart HTML both see only escaped text."""

from __future__ import annotations

import shutil

from bench.server import Server
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.store.connection import Store
from tests.browser.conftest import wait_for_app
from tests.unit.test_ees import HEADER as EES_HEADER

LINK = "[sign in again](https://evil.example/sso)"
HTML = "<a href='https://evil.example/sso'>Hartlepool</a>"


def test_planted_links_stay_text(demo_db, tmp_path, browser, charter):
    import yaml

    from charter.ees_models import load_mapping

    db = tmp_path / "planted.duckdb"
    shutil.copy(demo_db, db)
    store = Store(db)
    content = b"indicator,period,value\nehcp-issued-20-weeks,2021-22 Q3,55\n"
    assert load_file(store, charter, f"{LINK}.csv", content, by=LINK).outcome == "loaded"
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "title": "Rate",
                "file": "x.csv",
                "source": "test",
                "measures": [{"indicator": "ehcp-issued-20-weeks", "value": "PersonalBudgets"}],
            }
        )
    )
    row = (
        "202627,Financial year Q2,Local authority,E92000001,England,E12000001,North East,805,"
        f'E06000001,"{HTML}",55'
    )
    published = f"{EES_HEADER}\n{row}\n".encode()
    report = import_ees(store, charter, "r.csv", published, load_mapping(mapping, charter))
    assert report.outcome == "imported"

    server = Server(db)
    try:
        page = browser.new_page()
        page.goto(server.url + "/Indicator?indicator=ehcp-issued-20-weeks")
        wait_for_app(page)
        assert page.get_by_text("evil.example", exact=False).count() >= 1  # shown as text
        links = page.locator('a[href*="evil"], [*|href*="evil"]')  # HTML and SVG links
        found = [
            links.nth(i).evaluate("a => a.parentElement.outerHTML") for i in range(links.count())
        ]
        assert found == []
        page.close()
    finally:
        server.stop()


def test_a_planted_agreed_reason_stays_text_in_the_cards(demo_db, tmp_path, browser, charter):
    """The overview's statement cards and the scrutiny view's are each one Markdown element
    with HTML allowed (for the badge): the chair's typed reason in them is still text."""
    from metrics.review import agreed
    from metrics.review.common import statement_subject
    from metrics.scrutiny import view as scrutiny
    from tests.unit.test_said_the_same_way import CHRIS, Q

    db = tmp_path / "agreed.duckdb"
    shutil.copy(demo_db, db)
    store = Store(db)
    facts = scrutiny.build(store, charter, Q, public=False)
    computed = next(s.status for s in facts.statements if s.number == 5)
    other = "off_track" if computed != "off_track" else "at_risk"
    reason = f"{LINK} {HTML} <img src=x onerror=alert(1)> **bold**"
    agreed.agree(store, charter, CHRIS, Q, statement_subject(5), other, computed, reason)

    server = Server(db)
    try:
        for path in ("/", "/Scrutiny"):
            page = browser.new_page()
            page.goto(f"{server.url}{path}?quarter={Q.replace(' ', '+')}")
            wait_for_app(page)
            page.get_by_text("evil.example", exact=False).first.wait_for()  # shown as text
            assert page.locator('a[href*="evil"], img[src="x"], strong:text("bold")').count() == 0
            assert page.get_by_text("**bold**", exact=False).count() >= 1
            page.close()
    finally:
        server.stop()
