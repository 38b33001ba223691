"""A real `streamlit run` set up wrongly fails closed (issue 25): no data, and exactly what is
wrong on the page and in the server log; a demo on a network address is warned about loudly."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.server import Server
from tests.browser.conftest import wait_for_app


def body(page) -> str:
    return page.locator("body").inner_text().replace("\u2060", "")


def links(page) -> list[str]:
    """The sidebar's navigation: Streamlit's own (app.py), each page a link."""
    return page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()


def logged(server: Server, text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.log.read_text()
        if text in log:
            return log
        time.sleep(0.2)
    raise AssertionError(f"{text!r} is not in the server log:\n{server.log.read_text()}")


def test_a_secrets_file_that_does_not_parse_locks_the_app_and_says_where(
    demo_db: Path, tmp_path: Path, browser
):
    db = tmp_path / "locked.duckdb"
    shutil.copy(demo_db, db)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://127.0.0.1:1/oauth2callback"\nclient_id = "outcomes\n'
    )
    server = Server(db, args=["--secrets.files", str(secrets)], env={"OUTCOMES_DEMO": ""})
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        page.goto(server.url + "/Audit")
        wait_for_app(page)
        text = body(page)
        assert "Sign-in is not configured" in text and "secrets.toml line 3:" in text
        assert str(tmp_path) not in page.content()  # the page names the file, not the path
        assert links(page) == [] and "Wrenfield" not in text and "Demo:" not in text
        assert page.locator('[data-testid="stSelectbox"]').count() == 0
        logged(server, f"{secrets} line 3:")
    finally:
        page.context.close()
        server.stop()


def test_a_demo_on_a_network_address_is_warned_about_loudly(demo_db: Path, tmp_path: Path, browser):
    db = tmp_path / "exposed.duckdb"
    shutil.copy(demo_db, db)
    server = Server(db, args=["--server.address", "0.0.0.0"])  # OUTCOMES_DEMO=1: the demo
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        page.goto(server.url + "/")
        wait_for_app(page)
        assert "Demo: no sign-in" in body(page)
        log = logged(server, "DEMO MODE ON A NETWORK ADDRESS (0.0.0.0)")
        assert "anyone who reaches this server can act as any role" in log
    finally:
        page.context.close()
        server.stop()


def started(tmp_path: Path, options: list[str], env: dict[str, str]) -> tuple[Path, str]:
    """`python serve.py OPTIONS` until healthy: its log, read before any page is opened."""
    import os
    import subprocess
    import sys
    import urllib.request

    from bench.server import ROOT, free_port

    port = free_port()
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "serve.py", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", *options],
        cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    return log, log.read_text()
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"serve.py did not start:\n{log.read_text()}")
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_serve_says_what_is_wrong_at_start_up_before_any_page(tmp_path: Path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "outcomes"\nclient_secret = "unclosed\n')
    _, text = started(
        tmp_path,
        ["--server.address", "127.0.0.1", "--secrets.files", str(secrets)],
        {"OUTCOMES_DEMO": "", "OUTCOMES_DB": str(tmp_path / "none.duckdb")},
    )
    assert f"Sign-in is not configured; the app serves no data: {secrets} line 3: " in text
    assert not (tmp_path / "none.duckdb").exists()  # nothing opened: no page has run


def test_serve_warns_at_start_up_of_a_demo_on_a_network_address(tmp_path: Path):
    _, text = started(
        tmp_path,
        ["--server.address", "0.0.0.0"],
        {"OUTCOMES_DEMO": "1", "OUTCOMES_DB": str(tmp_path / "none.duckdb")},
    )
    assert "DEMO MODE ON A NETWORK ADDRESS (0.0.0.0): anyone who reaches this server" in text


def test_make_runs_demo_never_stands_in_for_a_broken_sign_in(tmp_path: Path):
    """`make run` always sets OUTCOMES_DEMO=1: with a secrets file whose sign-in section is
    misnamed, serve.py says at start-up that the app is locked and why, and starts no demo;
    with no secrets file (a fresh clone) the same command starts the demo."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[oauth]\nclient_id = "outcomes"\n')
    env = {"OUTCOMES_DEMO": "1", "OUTCOMES_DB": str(tmp_path / "none.duckdb")}
    _, text = started(
        tmp_path, ["--server.address", "127.0.0.1", "--secrets.files", str(secrets)], env
    )
    assert (
        "Sign-in is not configured; the app serves no data: "
        f"{secrets} has a sign-in section [oauth] (the section is named [auth]). "
        "OUTCOMES_DEMO asks for the demo" in text
    )
    assert "Demo mode" not in text
    _, fresh_clone = started(
        tmp_path,
        ["--server.address", "127.0.0.1", "--secrets.files", str(tmp_path / "absent.toml")],
        env,
    )
    assert "Demo mode (OUTCOMES_DEMO=1)" in fresh_clone and "not configured" not in fresh_clone


def test_a_misnamed_sign_in_section_locks_the_demo_in_the_browser(
    demo_db: Path, tmp_path: Path, browser
):
    db = tmp_path / "locked.duckdb"
    shutil.copy(demo_db, db)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[Auth]\nclient_id = "outcomes"\n')
    server = Server(db, args=["--secrets.files", str(secrets)], env={"OUTCOMES_DEMO": "1"})
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        page.goto(server.url + "/Audit")
        wait_for_app(page)
        text = body(page)
        assert "Sign-in is not configured" in text
        assert "secrets.toml has a sign-in section [Auth]" in text
        assert "remove OUTCOMES_DEMO and fix the sign-in" in text
        assert links(page) == [] and "Wrenfield" not in text and "Demo:" not in text
        assert page.locator('[data-testid="stSelectbox"]').count() == 0  # no role picker
    finally:
        page.context.close()
        server.stop()
