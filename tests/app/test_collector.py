"""The app server's collector looks at its young objects far less often than Python's
default (ui's `YOUNG_GENERATION_OBJECTS`): a page's run makes thousands of short-lived
objects, and at Python's 700 the young generation was collected five or six times a warm
run. In a fresh interpreter, as a server starts: the setting is the whole process's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

RUNS = """
import gc, json
from streamlit.testing.v1 import AppTest
before = gc.get_threshold()
import ui
young = []
gc.callbacks.append(lambda phase, info: phase == "start" and young.append(info["generation"]))
for _ in range(3):
    at = AppTest.from_file({app!r}, default_timeout=60).run()
    assert not at.exception, at.exception
print(json.dumps({{"before": before, "after": gc.get_threshold(),
                  "setting": ui.YOUNG_GENERATION_OBJECTS, "collections": len(young)}}))
"""


def test_a_pages_runs_leave_the_young_generation_mostly_uncollected(demo_db: Path, tmp_path: Path):
    db = tmp_path / "collector.duckdb"
    db.write_bytes(demo_db.read_bytes())
    done = subprocess.run(
        [sys.executable, "-c", RUNS.format(app=str(ROOT / "app.py"))],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "OUTCOMES_DB": str(db), "OUTCOMES_DEMO": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.splitlines()[-1])
    assert got["after"] == [got["setting"], *got["before"][1:]]  # the older ones as they were
    # Three runs of the overview, the first cold: 38 collections (young ones, and the older
    # ones they lead to) at Python's 700, none at the setting (measured); a few allowed for
    # a machine whose first run makes more objects.
    assert got["collections"] <= 3
