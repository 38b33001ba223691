"""A real `streamlit run` server on a free port, and Debian's Chromium driven by Playwright.

Waiting follows Streamlit's own end-to-end tests: the app is connected, the script is not
running, and no skeleton placeholders are left.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(demo_db: Path, tmp_path: Path) -> Iterator[Server]:
    """A fresh server on a private copy of the demo database."""
    db = tmp_path / "server.duckdb"
    shutil.copy(demo_db, db)
    s = Server(db)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make test` installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def wait_for_app(page: object, timeout: float = 30_000) -> None:
    """Connected, script finished, no skeletons: the page is fully drawn."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]',  # type: ignore[attr-defined]
        timeout=timeout,
    )
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]',  # type: ignore[attr-defined]
        timeout=timeout,
    )
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout,
    )
    # Elements fade in: colours are only final once the animations have finished.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.getAnimations().every(a => a.playState !== 'running')", timeout=timeout
    )
