"""The two test tiers (issue 28): `make test`, what CI runs, runs every test, `slow` ones too,
with --no-skips (tests/conftest.py) where ../shared is, so a skipped test fails CI ("0 skipped"
is checked by a tool, not by someone reading the summary); `make test-fast` runs tests/unit
without the `slow` ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TESTS = """
import pytest


def test_runs():
    assert True


def test_is_skipped():
    pytest.skip("../shared is absent")
"""


def pytest_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in its own process on `folder`, whose conftest takes our two hooks."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--rootdir", str(folder), "-c", str(folder / "pytest.ini"), str(folder), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_a_skipped_test_fails_the_run_only_with_no_skips(tmp_path: Path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_addoption, pytest_sessionfinish  # noqa: F401\n"
    )
    (tmp_path / "test_some.py").write_text(TESTS)
    plain = pytest_run(tmp_path)
    assert plain.returncode == 0 and "1 passed, 1 skipped" in plain.stdout, plain.stdout
    strict = pytest_run(tmp_path, "--no-skips")
    assert strict.returncode == 1, strict.stdout
    assert "--no-skips: 1 skipped; CI must run every test" in strict.stdout
    none_skipped = pytest_run(tmp_path, "--no-skips", "-k", "runs")
    assert none_skipped.returncode == 0, none_skipped.stdout


def pytest_command(target: str) -> str:
    """The pytest line `make TARGET` would run (make -n: printed, not run)."""
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    [line] = [line for line in done.stdout.splitlines() if " -m pytest" in line]
    return line


def test_make_test_runs_every_test_and_test_fast_leaves_out_the_slow_ones():
    in_ci = (ROOT.parent / "shared" / "data").is_dir()  # a fresh clone may skip, CI may not
    every = pytest_command("test").split(" -m pytest", 1)[1]
    no_skips = ["--no-skips"] if in_ci else []
    assert every.split() == ["-n", "2", "--dist", "loadfile", *no_skips]  # no -m, no -k
    fast = pytest_command("test-fast").split(" -m pytest", 1)[1]
    assert fast.split() == ["tests/unit", "-n", "2", "-m", '"not', 'slow"']
