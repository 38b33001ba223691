"""`python -m metrics published`: every cell a public reader sees for a quarter, as CSV
(issue 26), run as a user runs it."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from metrics.store.errors import StoreError
from metrics.store.replacing import write_out
from tests.cli.test_cli import run

COLUMNS = ["indicator", "period", "area", "breakdown", "group", "value", "numerator",
           "denominator", "status"]  # fmt: skip


def test_published_writes_every_public_cell_with_small_numbers_as_c(demo_db: Path, charter):
    out = run("published", "--quarter", "2026-27 Q2", "--format", "csv", db=demo_db).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(COLUMNS) <= set(rows[0])
    ours = [r for r in rows if r["area"] == charter.council.code]
    # the whole figure has empty breakdown and group; every indicator with figures has one
    assert {r["indicator"] for r in ours if not r["breakdown"] and not r["group"]} >= {
        "short-breaks-receiving", "ehcp-issued-20-weeks"}  # fmt: skip
    withheld = [r for r in ours if r["value"] == "[c]"]
    assert withheld and all(r["numerator"] == r["denominator"] == "[c]" for r in withheld)
    supplied = next(r for r in withheld if r["indicator"] == "consultation-participation"
                    and r["group"] == "0 to 4" and r["period"] == "2026-27 Q2")  # fmt: skip
    assert supplied["breakdown"] == "age_band"
    for r in ours:  # no published count is a small number
        ind = charter.indicators[r["indicator"]]
        counts = [r["numerator"], r["denominator"]] + ([r["value"]] if ind.unit == "count" else [])
        assert not any(c not in ("", "[c]") and 1 <= float(c) <= 5 for c in counts), r
    # a withheld whole figure's status is withheld too; a published one says its status
    statuses = {r["status"] for r in ours if r["status"]}
    assert "Withheld" in statuses and "On track" in statuses
    assert not any(r["status"] not in ("", "Withheld") for r in withheld)
    # nothing after the quarter
    assert not any(r["period"].startswith("2026-27 Q3") for r in rows)


def test_published_refuses_a_period_it_cannot_read(demo_db: Path):
    result = run("published", "--quarter", "next spring", db=demo_db, check=False)
    assert result.returncode == 2 and "--quarter" in result.stderr


def test_published_takes_only_a_quarter(demo_db: Path):
    """'2026-27' was read as its Q4 and '2026' as well: a different cut, exit 0."""
    for other in ("2026-27", "2026", "Apr 2026"):
        result = run("published", "--quarter", other, db=demo_db, check=False)
        assert result.returncode == 2 and "financial-year quarter is needed" in result.stderr


def test_an_output_file_is_written_whole_or_refused_naming_it(demo_db: Path, tmp_path):
    """A folder, a folder that is not there, or a write that fails: a message, exit 2, and
    the file that was there as it was (no traceback, no half-written file)."""
    for out, said in ((tmp_path, "it is a folder"), (tmp_path / "nope" / "x.csv", "no folder")):
        result = run("published", "--quarter", "2026-27 Q2", "--out", str(out), db=demo_db,
                     check=False)  # fmt: skip
        assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    target = tmp_path / "cells.csv"
    target.write_text("the analyst's own file\n")
    blocker = tmp_path / "blocked.csv"
    blocker.write_text("kept as it was\n")
    (tmp_path / f".blocked.csv.part-{os.getpid()}").mkdir()  # the write of the part fails
    with pytest.raises(StoreError, match="cannot write"):
        write_out(blocker, b"new")
    assert blocker.read_text() == "kept as it was\n"
    ok = run("published", "--quarter", "2026-27 Q2", "--out", str(target), db=demo_db)
    assert ok.returncode == 0 and target.read_text().startswith("indicator,period")
