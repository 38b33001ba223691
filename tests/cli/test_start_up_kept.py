"""`python -m metrics` leaves the objects its start-up made out of the collector's full passes
while the command runs (`gc.freeze`, metrics/__main__.py) and gives them back when it returns;
`main` run in someone else's process never undoes a freeze they made."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import subprocess
import sys

from metrics.cli import parser
from metrics.store.connection import Store
from tests.conftest import ROOT

# In an interpreter of its own (this one has frozen objects already: `ui`'s, imported by
# other tests): every collection during the command, and what is frozen before and after.
WATCHED = """
import contextlib, gc, io, json, runpy, sys
from metrics.cli import parser  # the start-up, as `python -m metrics` imports it
seen = []
gc.callbacks.append(lambda phase, _info: phase == "start" and seen.append(gc.get_freeze_count()))
before = (gc.get_freeze_count(), len(gc.get_objects()))
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        runpy.run_module("metrics", run_name="__main__", alter_sys=True)
    except SystemExit as ended:
        code = ended.code
print(json.dumps({"code": code, "before": before, "seen": seen, "after": gc.get_freeze_count()}))
"""


def _pack(store: Store, fmt: str) -> list[str]:
    out = store.path.parent / f"pack.{fmt}"
    return ["pack", "--db", str(store.path), "--quarter", "2026-27 Q2", "--audience",
            "scrutiny", "--format", fmt, "--out", str(out)]  # fmt: skip


def test_the_start_ups_objects_are_left_out_while_a_command_runs_and_given_back(
    demo_store: Store,
):
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, *_pack(demo_store, "xlsx")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.splitlines()[-1])
    frozen_before, start_up = got["before"]
    assert got["code"] == 0 and frozen_before == 0
    during = [n for n in got["seen"] if n]
    assert during, "no collection saw the start-up frozen"
    assert min(during) >= 0.9 * start_up  # everything the start-up made (the parser's too)
    assert got["after"] == 0  # given back


def test_a_freeze_someone_else_made_is_left_as_it_was(demo_store: Store):
    """An app server's `ui` freezes its libraries for the server's life; a command run in
    the same process must not give them back."""
    made = not gc.get_freeze_count()  # `ui`'s, if another test imported it; else our own
    if made:
        gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert parser.main(["status", "--db", str(demo_store.path)]) == 0
        # An unfreeze would leave none frozen. A few frozen objects may still be freed by
        # their reference count during the command (CI saw 170,804 -> 170,801), so not `>=`.
        assert gc.get_freeze_count() >= 0.9 * frozen
    finally:
        if made:
            gc.unfreeze()


def test_a_command_ends_without_its_objects_reported_as_leaked(demo_store: Store):
    """Left frozen at the interpreter's end, DuckDB's bindings (nanobind) print that their
    objects leaked, on every command's standard error."""
    done = subprocess.run(
        [sys.executable, "-m", "metrics", *_pack(demo_store, "html")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr
