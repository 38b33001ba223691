"""Roles under AppTest: demo mode (banner, role picker, writes recorded as demo), a locked
installation (sign-in required but not configured), and every page refusing every role that
is not its own, for a signed-in person."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from metrics.access import EVERY_ROLE, audit as audit_trail, command_line
from metrics.store.queries import uploads
from tests.app.conftest import NOT_ROUTED, Opened, directly, nav_labels
from tests.conftest import ROOT
from ui import access, keys

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-but-long-enough-0123456789",
    "client_id": "outcomes",
    "client_secret": "not-real",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
NAV = {entry.file: entry.label for entry in ui.PAGES}
GOOD = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"


def signed_in(opened: Opened, **claims: object) -> Opened:
    opened.at.secrets["auth"] = AUTH
    opened.at.user = {"is_logged_in": True, "sub": "s-1", "name": "Pat Person", **claims}
    return opened


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.error, *at.info, *at.warning, *at.title)]
    return "\n".join(str(p) for p in parts)


def nav_links(at: AppTest) -> list[str]:
    return nav_labels(at)


# -- demo mode -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [entry.file for entry in ui.PAGES])
def test_demo_mode_says_so_on_every_page_and_offers_a_role_picker(fresh, path):
    at = fresh(path).run()
    assert not at.exception, at.exception
    assert access.DEMO_BANNER in [i.value for i in at.info]
    picker = at.sidebar.selectbox(key=access.ROLE_PICKER)
    assert picker.value == "analyst" and list(picker.options) == [
        "analyst",
        "planning group member",
        "planning group chair",
        "councillor",
        "administrator",
        "provider",
    ]


def test_a_demo_councillor_has_no_upload_link_and_is_refused_the_upload_page(fresh):
    at = fresh().run()
    at.sidebar.selectbox(key=access.ROLE_PICKER).set_value("councillor").run()
    links = nav_links(at)
    assert "Upload a return" not in links and "Upload history" not in links
    assert "Charter overview" in links
    with pytest.raises(ValueError, match=NOT_ROUTED):  # the role outlives the page that chose
        at.switch_page(ui.UPLOAD_PAGE)  # it: app.py no longer routes the upload page
    at = directly(ui.UPLOAD_PAGE, at, {access.DEMO_ROLE: at.session_state[access.DEMO_ROLE]})
    at.run()  # the page file run on its own still refuses (ui.page)
    assert at.title[0].value == "You do not have access to this page"
    assert "This page is for the analyst role" in at.error[0].value
    assert not at.get("file_uploader") and not at.get("download_button")


def test_demo_writes_are_recorded_as_demo_with_the_role(fresh):
    at = fresh(ui.UPLOAD_PAGE).run()
    at.file_uploader(key=keys.UPLOAD).upload("q3.csv", GOOD, "text/csv").run()
    at.button(key=keys.COMMIT).click().run()
    assert not at.exception, at.exception
    assert any("Loaded: 1 added" in s.value for s in at.success)
    assert uploads(fresh.store)[0]["uploaded_by"] == "demo (analyst)"
    row = audit_trail.entries(fresh.store, command_line())[0]
    assert (row.name, row.via, row.subject, row.kind) == (
        "demo (analyst)",
        "demo",
        "demo",
        "upload",
    )


def test_the_upload_action_checks_the_role_even_if_the_page_check_did_not_run(fresh, monkeypatch):
    """A button handler never trusts the page's check: with it removed, a councillor's
    upload is still refused where the action happens, and nothing is stored or logged."""
    monkeypatch.setattr(ui, "page", lambda title, roles=ui.READERS: st.title(title))
    at = fresh(ui.UPLOAD_PAGE, **{access.DEMO_ROLE: "councillor"}).run()
    at.file_uploader(key=keys.UPLOAD).upload("q3.csv", GOOD, "text/csv").run()
    assert not at.exception, at.exception
    assert any("may not upload a return" in e.value for e in at.error)
    assert uploads(fresh.store)[0]["file_name"] != "q3.csv"  # the demo's own, not ours


# -- a locked installation ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [entry.file for entry in ui.PAGES])
def test_sign_in_required_but_not_configured_serves_no_data(fresh, monkeypatch, path):
    monkeypatch.setenv(access.REQUIRE_SIGNIN, "1")
    at = fresh(path).run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Sign-in is not configured")
    assert not nav_links(at) and not at.get("selectbox") and not at.get("dataframe")
    assert not at.get("plotly_chart") and not at.get("file_uploader")
    assert "Wrenfield" not in texts(at) and access.DEMO_BANNER not in texts(at)


def locked_message(at: AppTest) -> str:
    assert not at.exception, at.exception
    assert not nav_links(at) and not at.get("dataframe") and not at.get("selectbox")
    assert "Wrenfield" not in texts(at) and access.DEMO_BANNER not in texts(at)
    assert at.error[0].value.startswith("Sign-in is not configured")
    return at.error[0].value.replace("\\", "")  # as read: markdown's escapes removed


def test_no_secrets_and_no_demo_asked_for_is_locked_and_says_why(fresh, monkeypatch):
    monkeypatch.delenv(access.DEMO_SETTING)  # demo mode is asked for, never a fallback
    said = locked_message(fresh(ui.OVERVIEW).run())
    assert "What is wrong: no secrets file" in said


@pytest.mark.parametrize(
    ("setting", "value"), [("OUTCOMES_DEMO", "maybe"), ("OUTCOMES_REQUIRE_SIGNIN", "sometimes")]
)
def test_an_unknown_yes_no_value_locks_the_app(fresh, monkeypatch, setting, value):
    monkeypatch.setenv(setting, value)
    said = locked_message(fresh(ui.OVERVIEW).run())
    assert f"{setting}='{value}' is neither yes nor no" in said


def test_an_auth_section_lacking_a_key_is_locked_even_with_the_demo_asked_for(fresh):
    opened = fresh(ui.AUDIT_PAGE)
    opened.at.secrets["auth"] = {k: v for k, v in AUTH.items() if k != "client_id"}
    said = locked_message(opened.run())
    assert "What is wrong: [auth] lacks client_id" in said
    assert not opened.at.get("button")  # no "Sign in" that would only fail


def test_a_secrets_file_that_does_not_parse_is_named_with_its_line(fresh, monkeypatch, tmp_path):
    from streamlit import config

    monkeypatch.delenv(access.DEMO_SETTING)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "outcomes"\nclient_secret = "unclosed\n')
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(secrets)])
    try:
        said = locked_message(fresh(ui.OVERVIEW).run())
    finally:
        config.set_option("secrets.files", before)
    assert "What is wrong: secrets.toml line 3: " in said and str(tmp_path) not in said


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('[Auth]\nclient_id = "outcomes"\n', "secrets.toml has a sign-in section [Auth]"),
        ('[auth]\nclient_id = "outcomes"\nclient_secret = "unclosed\n', "secrets.toml line 3: "),
    ],
)
def test_the_demo_asked_for_by_make_run_never_stands_in_for_a_broken_sign_in(
    fresh, monkeypatch, tmp_path, content, said
):
    from streamlit import config

    monkeypatch.setenv(access.DEMO_SETTING, "1")  # as `make run` always sets it
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(content)
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(secrets)])
    try:
        text = locked_message(fresh(ui.AUDIT_PAGE).run())
    finally:
        config.set_option("secrets.files", before)
    assert f"What is wrong: {said}" in text and "remove OUTCOMES_DEMO and fix the sign-in" in text


def test_sign_in_without_the_servers_hardening_is_locked(fresh):
    from streamlit import config

    before = config.get_option("server.enableXsrfProtection")
    config.set_option("server.enableXsrfProtection", False)  # e.g. a flag overriding it
    try:
        said = locked_message(signed_in(fresh(ui.OVERVIEW), roles=["admin"]).run())
    finally:
        config.set_option("server.enableXsrfProtection", before)
    assert "the server option server.enableXsrfProtection is False, not True" in said


# -- signed in -----------------------------------------------------------------------------------


def test_nobody_signed_in_sees_only_the_sign_in_button(fresh):
    opened = fresh(ui.INDICATOR_PAGE)
    opened.at.secrets["auth"] = AUTH
    opened.at.user = {"is_logged_in": False}
    at = opened.run()
    assert [b.label for b in at.button] == ["Sign in"]
    assert not nav_links(at) and not at.get("dataframe") and not at.get("plotly_chart")


def test_a_signed_in_person_with_no_role_sees_only_who_to_ask(fresh):
    at = signed_in(fresh(ui.OVERVIEW), email="stranger@nowhere.example").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "You do not have access yet"
    body = texts(at)
    assert "Pat Person" in body and "stranger" in body
    assert "Performance and Intelligence Team" in body  # the access list's `ask`
    assert not nav_links(at) and not at.get("dataframe") and not at.get("selectbox")
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_the_signed_in_name_and_sign_out_are_in_the_sidebar(fresh):
    name = "Cllr <b>Khan</b> [x](http://e.example)"
    at = signed_in(fresh(), name=name, roles=["councillor"]).run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.sidebar.markdown if m.value.startswith("Signed in as")]
    assert shown and "<b>" not in shown[0] and "](" not in shown[0]  # shown as text
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert access.DEMO_BANNER not in texts(at)


CASES = [(entry.file, role) for entry in ui.PAGES for role in sorted(EVERY_ROLE)]


@pytest.mark.parametrize(("path", "role"), CASES, ids=[f"{p}-{r}" for p, r in CASES])
def test_every_page_admits_exactly_its_roles(fresh, path, role):
    allowed = ui.BY_FILE[path].roles
    opened = signed_in(fresh(path), roles=[role])
    at = opened.run()
    assert not at.exception, at.exception
    refused = at.title[0].value == "You do not have access to this page"
    assert refused == (role not in allowed)
    assert opened.routed == (role in allowed)  # app.py routes exactly the person's pages
    links = nav_links(at)
    assert [NAV[e.file] for e in ui.PAGES if role in e.roles] == links


# -- routing: app.py routes only a person's pages; a page file on its own still refuses -------


def routed(at: AppTest, path: str) -> bool:
    try:
        at.switch_page(path)
    except ValueError as err:
        assert NOT_ROUTED in str(err)
        return False
    return True


def test_a_councillor_s_app_does_not_route_the_upload_or_audit_pages(fresh):
    at = signed_in(fresh(), roles=["councillor"]).run()
    assert at.title[0].value == "Charter overview"
    assert not routed(at, ui.UPLOAD_PAGE) and not routed(at, ui.AUDIT_PAGE)
    assert routed(at, ui.INDICATOR_PAGE)  # the check can pass: their own pages are routed
    analyst = signed_in(fresh(), roles=["analyst"]).run()
    assert routed(analyst, ui.UPLOAD_PAGE) and not routed(analyst, ui.AUDIT_PAGE)


@pytest.mark.parametrize("setting", [access.REQUIRE_SIGNIN, None])
def test_a_locked_app_or_nobody_signed_in_routes_only_the_landing_page(fresh, monkeypatch, setting):
    opened = fresh()
    if setting:  # locked: sign-in required but not configured
        monkeypatch.setenv(setting, "1")
    else:  # sign-in configured, nobody signed in yet
        opened.at.secrets["auth"] = AUTH
        opened.at.user = {"is_logged_in": False}
    at = opened.run()
    assert not any(routed(at, entry.file) for entry in ui.PAGES)  # not even the overview
    assert not at.get("dataframe") and not at.get("plotly_chart")


@pytest.mark.parametrize("path", [ui.UPLOAD_PAGE, ui.AUDIT_PAGE, ui.HISTORY_PAGE])
def test_a_page_file_run_on_its_own_still_refuses_a_councillor(fresh, path):
    """Defence in depth: not through app.py (`streamlit run pages/...`), ui.page refuses."""
    fresh(path)  # the private demo copy
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state[access.DEMO_ROLE] = "councillor"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "You do not have access to this page"
    assert not at.get("file_uploader") and not at.get("dataframe")
    assert not at.get("download_button") and not at.get("button")
    allowed = AppTest.from_file(str(ROOT / path), default_timeout=60)
    allowed.session_state[access.DEMO_ROLE] = "admin" if path == ui.AUDIT_PAGE else "analyst"
    assert allowed.run().title[0].value != "You do not have access to this page"


# -- the audit page ---------------------------------------------------------------------------


def test_the_audit_page_lists_filters_and_downloads_formula_safe_entries(fresh):
    from metrics.ingest import load_file
    from metrics.publish.tables import csv_bytes

    load_file(fresh.store, ui.charter(), "q3.csv", GOOD, by="=SUM(1)")  # --user "=SUM(1)"
    at = fresh(ui.AUDIT_PAGE, **{access.DEMO_ROLE: "admin"}).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table["Who"].iloc[0] == "=SUM(1)" and table["Object"].iloc[0].endswith("q3.csv")
    # the demo build (its generator at the command line, its providers' pretend people), then
    # this one
    assert len(table) > 1 and set(table["From"]) == {"cli", "demo"}
    at.selectbox(key="audit_who").set_value("=SUM(1)").run()
    assert list(at.dataframe[0].value["Who"]) == ["=SUM(1)"]
    assert [b.label for b in at.get("download_button")] == ["Download these entries (CSV)"]
    rows = audit_trail.entries(fresh.store, command_line(), who="=SUM(1)")
    text = csv_bytes([r.as_row() for r in rows], fieldnames=audit_trail.HEADINGS).decode()
    assert text.startswith("Entry,When,Subject,Who,Email,From,What,Object,Summary,Before,After")
    assert ",'=SUM(1)," in text  # the download never holds a live formula


def test_reloading_the_charter_from_the_audit_page_is_audited(fresh):
    at = fresh(ui.AUDIT_PAGE, **{access.DEMO_ROLE: "admin"}).run()
    at.button(key="audit_reload").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "Reloaded: no change." for s in at.success)
    row = audit_trail.entries(fresh.store, command_line())[0]
    assert (row.kind, row.name, row.via) == ("charter reload", "demo (admin)", "demo")


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("OUTCOMES_DB", "  ", "$OUTCOMES_DB is set but empty"),
        ("OUTCOMES_DB", "postgresql+psycopg://app:s3cret@db/o", "is an address"),
        ("OUTCOMES_PACK_BUILDS", "²", "OUTCOMES_PACK_BUILDS must be a whole number from 1"),
    ],
)
@pytest.mark.parametrize("page", [ui.OVERVIEW, ui.PACKS_PAGE])
def test_a_wrong_setting_locks_the_demo_and_says_which(fresh, monkeypatch, setting, value,
                                                       said, page):  # fmt: skip
    """The demo asked for, but the database setting empty or an address of the wrong kind,
    or the packs made at once not a number: no page served on the default database (or a
    new file named after the address), the setting named on the page (the Packs page's too)
    instead of a failure with its details withheld."""
    opened = fresh(page)
    monkeypatch.setenv(setting, value)
    at = opened.run()
    assert not at.exception, at.exception
    assert not nav_links(at) and not at.get("dataframe") and "Wrenfield" not in texts(at)
    text = at.error[0].value.replace("\\", "")
    assert text.startswith(access.NOT_SET_UP) and said in text and "s3cret" not in text
