"""A command leaves the objects its start-up made out of the collector's full passes while it
runs (`gc.freeze`, metrics/cli/parser.py) and gives them back when it returns."""

from __future__ import annotations

import contextlib
import gc
import io
import subprocess
import sys

from metrics.cli import parser
from metrics.store.connection import Store
from tests.conftest import ROOT


def test_the_start_ups_objects_are_left_out_while_a_command_runs_and_given_back(
    demo_store: Store,
):
    seen: list[int] = []

    def collecting(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(gc.get_freeze_count())

    gc.callbacks.append(collecting)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = parser.main(["pack", "--db", str(demo_store.path), "--quarter", "2026-27 Q2",
                                "--audience", "scrutiny", "--format", "xlsx", "--out",
                                str(demo_store.path.parent / "pack.xlsx")])  # fmt: skip
    finally:
        gc.callbacks.remove(collecting)
    assert code == 0
    assert seen, "the pack made no garbage to collect"
    assert seen[-1] > 10_000  # the passes during it (not the parser's, before it runs)
    assert gc.get_freeze_count() == 0  # given back


def test_a_command_ends_without_its_objects_reported_as_leaked(demo_store: Store):
    """Left frozen at the interpreter's end, DuckDB's bindings (nanobind) print that their
    objects leaked, on every command's standard error."""
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "pack", "--db", str(demo_store.path), "--quarter",
         "2026-27 Q2", "--audience", "scrutiny", "--format", "html", "--out",
         str(demo_store.path.parent / "pack.html")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr
