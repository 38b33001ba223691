"""`python -m metrics scorecard` (issue 31), run as a user runs it: one row per indicator,
one column per quarter, each cell its status and figure; small numbers withheld unless the
staff view is asked for; bad options refused with a clear message."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from metrics.scrutiny import scorecard as sc
from metrics.store.connection import Store
from tests.cli.test_cli import run

QUARTER = "2026-27 Q2"


def test_csv_has_a_row_per_indicator_and_a_column_per_quarter(demo_db: Path, charter):
    out = run("scorecard", "--quarter", QUARTER, "--quarters", "4", db=demo_db).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    quarters = ["2025-26 Q3", "2025-26 Q4", "2026-27 Q1", QUARTER]
    assert list(rows[0]) == ["Measure", "Statements", "Lead", "Organisation", *quarters]
    assert sorted(r["Measure"] for r in rows) == sorted(
        i.title for i in charter.indicators.values()
    )
    card = sc.build(Store(demo_db), charter, QUARTER, 4, public=True)
    assert [r["Measure"] for r in rows] == [r.title for r in card.rows]  # attention first
    for row, expected in zip(rows, card.rows, strict=True):
        assert [row[q] for q in quarters] == [c.text for c in expected.cells]
    assert any(row[q] == "[c] Withheld" for row in rows for q in quarters)


def test_json_cells_carry_status_word_and_figure_and_staff_see_real_figures(demo_db: Path):
    public = json.loads(run("scorecard", "--quarter", QUARTER, "--format", "json",
                            db=demo_db).stdout)  # fmt: skip
    staff = json.loads(run("scorecard", "--quarter", QUARTER, "--format", "json",
                           "--audience", "staff", db=demo_db).stdout)  # fmt: skip
    assert len(public["quarters"]) == 8 and public["published_view"] is True
    cells = [c for i in public["indicators"] for c in i["cells"]]
    assert {c["status"] for c in cells} >= {"withheld", "off_track", "on_track"}
    assert all(c["figure"] == "[c]" and c["value"] is None for c in cells
               if c["status"] == "withheld")  # fmt: skip
    assert staff["published_view"] is False
    assert not any(c["status"] == "withheld" for i in staff["indicators"] for c in i["cells"])


def test_filters_on_the_command_line(demo_db: Path, charter):
    out = run("scorecard", "--quarter", QUARTER, "--statement", "5", "--status", "off_track",
              "--format", "json", db=demo_db).stdout  # fmt: skip
    found = json.loads(out)["indicators"]
    assert found and all(5 in i["statements"] for i in found)
    assert all(i["cells"][-1]["status"] == "off_track" for i in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarters", "9"], "A scorecard shows 1 to 8 quarters (not 9)."),
        (["--quarter", "2026 Q7"], "error:"),
        (["--statement", "13"], "--statement: there is no statement 13"),
        (["--owner", "nobody"], "--owner: 'nobody' is not an owner"),
        (["--organisation", "nowhere"], "--organisation: 'nowhere' is not an organisation"),
    ],
)
def test_bad_options_are_refused_plainly(demo_db: Path, args, message):
    result = run("scorecard", *args, db=demo_db, check=False)
    assert result.returncode == 2 and message in result.stderr and not result.stdout
