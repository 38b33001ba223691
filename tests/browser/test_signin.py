"""Sign-in for real: `streamlit run` with `[auth]` configured against a real OpenID Connect
provider on 127.0.0.1, driven in Debian's Chromium. Roles come from the token's `roles`
claim (Ana, Cleo) or, without one, from the access list (Dee; Nora is on neither)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import ROOT, Server
from metrics.access import audit, command_line
from metrics.store.connection import Store
from metrics.store.queries import uploads
from tests.browser.conftest import wait_for_app
from tests.browser.signin import CLIENT_SECRET, COOKIE_SECRET, Provider, sign_in, signed_in_server

GOOD = "indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    p = Provider(tmp_path_factory.mktemp("oidc") / "oidc.log")
    yield p
    p.stop()


@pytest.fixture(scope="module")
def app(demo_db: Path, provider: Provider, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("signed-in")
    db = folder / "app.duckdb"
    shutil.copy(demo_db, db)
    server = signed_in_server(db, folder, provider)
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def links(page) -> list[str]:
    """The sidebar's navigation: Streamlit's own (app.py), each page a link."""
    return page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()


def body(page) -> str:
    return page.locator("body").inner_text().replace("\u2060", "")  # word joiners: no links


def assert_nothing_secret(page) -> None:
    html = page.content()
    for secret in (CLIENT_SECRET, COOKIE_SECRET, str(ROOT)):
        assert secret not in html


def test_an_analyst_signs_in_uploads_and_is_named_in_the_log_and_the_audit(
    app: Server, page, tmp_path
):
    sign_in(page, app, "ana")
    assert "Signed in as Ana Analyst" in body(page)
    assert "Upload a return" in links(page) and "Audit trail" not in links(page)
    assert "Demo: no sign-in" not in body(page)
    page.goto(app.url + "/Upload")
    wait_for_app(page)
    region = page.get_by_role("region", name="Quarterly return (.xlsx or .csv)")
    path = tmp_path / "ana-q3.csv"
    path.write_text(GOOD)
    region.locator('input[type="file"]').set_input_files(str(path))
    page.wait_for_timeout(300)
    wait_for_app(page)
    page.get_by_role("button", name="Store these figures").click()
    page.get_by_text("Loaded: 1 added").filter(visible=True).first.wait_for()
    page.goto(app.url + "/Upload_history")
    wait_for_app(page)
    assert page.get_by_text("ana-q3.csv").count() >= 1
    assert_nothing_secret(page)
    store = Store(app.db)
    assert uploads(store)[0]["uploaded_by"] == "Ana Analyst"
    row = audit.entries(store, command_line())[0]
    assert (row.subject, row.name, row.email, row.via, row.kind) == (
        "ana",
        "Ana Analyst",
        "ana@council.example",
        "app",
        "upload",
    )


def page_not_found(page) -> bool:
    """Streamlit's own answer to an address the app does not route: a "Page not found"
    dialog over the app's main page."""
    dialog = page.get_by_role("dialog")
    return dialog.count() == 1 and "Page not found" in dialog.inner_text()


def test_a_councillor_has_no_upload_link_and_the_deep_link_is_refused(app: Server, page):
    sign_in(page, app, "cleo")  # roles claim "Councillor": read without regard to case
    assert "Charter overview" in links(page)
    assert "Upload a return" not in links(page) and "Upload history" not in links(page)
    assert "Audit trail" not in links(page)
    for address in ("/Upload", "/Audit"):  # not routed for a councillor at all (issue 28)
        page.goto(app.url + address)
        wait_for_app(page)
        assert page_not_found(page), body(page)
        assert page.get_by_role("heading", name="Charter overview").count() == 1
        assert page.locator('input[type="file"]').count() == 0 and "entries" not in body(page)
        assert_nothing_secret(page)
    page.goto(app.url + "/Indicator?indicator=ehcp-issued-20-weeks")  # their own deep link
    wait_for_app(page)
    assert not page_not_found(page)
    heading = "EHC plans issued within 20 weeks (excluding exceptions)"
    assert page.get_by_role("heading", name=heading).count() == 1


def test_someone_with_no_role_sees_only_who_to_ask(app: Server, page):
    sign_in(page, app, "nora")
    assert page.get_by_role("heading", name="You do not have access yet").count() == 1
    assert "Access Desk, access@council.example" in body(page)
    assert links(page) == []
    page.goto(app.url + "/Indicator?indicator=ehcp-issued-20-weeks")  # a deep link
    wait_for_app(page)
    assert page.get_by_role("heading", name="You do not have access yet").count() == 1
    assert links(page) == [] and "EHC plans" not in body(page)


def test_the_access_list_gives_roles_and_sign_out_works(app: Server, page):
    sign_in(page, app, "dee")  # no roles claim; Dee@Listed.example is an admin on the list
    assert "Audit trail" in links(page)
    page.goto(app.url + "/Audit")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Audit trail").count() == 1
    assert "entries. Nothing in the app can change or remove an entry." in body(page)
    page.get_by_role("button", name="Sign out").click()
    # Streamlit ends the provider's session too (RP-initiated logout); the mock provider
    # asks for a click, as some real ones do, then sends the browser back to the app.
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Sign in").wait_for()
    wait_for_app(page)
    assert links(page) == []
    page.goto(app.url + "/Audit")  # signed out: the deep link shows only the sign-in
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").count() == 1
    assert "entries" not in body(page) and links(page) == []


def test_other_sites_may_not_call_the_server(app: Server):
    import urllib.request

    request = urllib.request.Request(
        app.url + "/_stcore/health", headers={"Origin": "https://evil.example"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed in (None, app.url)  # never the other site, never "*"


def test_the_hardening_settings_stay_on():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == 50
    assert config["client"]["showErrorDetails"] == "none"


def test_a_provider_signs_in_sends_a_return_and_an_analyst_accepts_it(
    app: Server, page, browser, tmp_path
):
    """Tom signs in for the short-breaks charity (listed in providers.yaml): he sees only his
    pages and what is due from him, sends a return; Ana accepts it."""
    from charter import load_charter
    from metrics.store.queries import series

    sign_in(page, app, "tom")
    assert "Signed in as Tom Okafor" in body(page)
    assert set(links(page)) == {"Partners' returns", "Help and definitions",
                                "Support and contact", "Accessibility statement"}  # fmt: skip
    page.goto(app.url + "/Returns")
    wait_for_app(page)
    text = body(page)
    assert "Brightside Short Breaks" in text and "What is due for" in text
    assert "Wrenfield Community Health" not in text  # another provider's returns
    council = load_charter().council.code
    latest = series(Store(app.db), "short-breaks-receiving", council)[-1]
    path = tmp_path / "brightside.csv"
    path.write_text(f"indicator,period,value\nshort-breaks-receiving,{latest.period},"
                    f"{latest.value:g}\n")  # fmt: skip
    region = page.get_by_role("region", name="Your return (.xlsx or .csv)")
    region.locator('input[type="file"]').set_input_files(str(path))
    page.wait_for_timeout(300)
    wait_for_app(page)
    page.get_by_role("button", name="Send this return").click()
    page.get_by_text("Submitted: 1 figures waiting").first.wait_for()
    analyst = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(analyst, app, "ana")
    analyst.goto(app.url + "/Returns")
    wait_for_app(analyst)
    assert "Sent by Tom Okafor on" in body(analyst)  # the waiting return, chosen
    analyst.get_by_role("button", name="Accept and store").click()
    # the click's rerun may not have started when the app first looks idle: wait for its answer
    analyst.get_by_text("No provider's return is waiting.").wait_for(timeout=60_000)
    with Store(app.db).connect() as con:
        state = con.execute(
            "SELECT s.state, s.decided_by FROM submissions s JOIN uploads u USING (upload_id) "
            "WHERE u.file_name = 'brightside.csv'"
        ).fetchall()
    assert state == [("accepted", "Ana Analyst")]
    analyst.context.close()


def test_a_provider_named_by_the_token_claim_signs_in_for_it(app: Server, page):
    """Pat's token carries roles ["provider"] and outcomes_provider "community-health": a
    real sign-in (where Streamlit overwrites st.user["provider"]) lands on that provider's
    returns only."""
    sign_in(page, app, "pat")
    assert "Signed in as Pat Health" in body(page)
    assert "Partners' returns" in links(page) and "Charter overview" not in links(page)
    page.goto(app.url + "/Returns")
    wait_for_app(page)
    text = body(page)
    assert "Wrenfield Community Health NHS Trust" in text and "What is due for" in text
    assert "Brightside Short Breaks" not in text


def test_an_address_verified_only_as_a_string_gets_no_role(app: Server, page):
    sign_in(page, app, "sid")  # members.example is a member domain; "true" is not true
    assert page.get_by_role("heading", name="You do not have access yet").count() == 1
    assert links(page) == []
