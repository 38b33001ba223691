"""The app stops quietly (issue 27 item 27): no "nanobind: leaked ..." lines at exit. They came
from ui's gc.freeze(): frozen objects escaped the collections at shutdown, so DuckDB's module
objects outlived its bindings. Run in a fresh interpreter, as a server or test run ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

APP_RUN = """
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60).run()
assert not at.exception, at.exception
print("ran")
"""


def python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, **env},
    )  # fmt: skip


def test_importing_the_app_leaves_nothing_leaked_at_exit():
    done = python("import ui")
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr, done.stderr[:500]


def test_running_a_page_leaves_nothing_leaked_at_exit(demo_db: Path, tmp_path: Path):
    db = tmp_path / "quiet.duckdb"
    db.write_bytes(demo_db.read_bytes())
    done = python(APP_RUN.format(app=str(ROOT / "app.py")), OUTCOMES_DB=str(db), OUTCOMES_DEMO="1")
    assert "ran" in done.stdout, done.stderr[-2000:]
    assert "leaked" not in done.stderr, done.stderr[:500]
