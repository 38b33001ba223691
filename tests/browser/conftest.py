"""A real `streamlit run` server on a free port, and Debian's Chromium driven by Playwright.

Waiting follows Streamlit's own end-to-end tests: the app is connected, the script is not
running, and no skeleton placeholders are left.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, db: Path, port: int):
        self.db, self.port = db, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = db.with_suffix(".log")
        env = {**os.environ, "OUTCOMES_DB": str(db)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(demo_db: Path, tmp_path: Path) -> Iterator[Server]:
    """A fresh server on a private copy of the demo database."""
    db = tmp_path / "server.duckdb"
    shutil.copy(demo_db, db)
    s = Server(db, free_port())
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
