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
        (["--statement", "13"], "--statement: '13' is not a statement"),
        (["--owner", "nobody"], "--owner: 'nobody' is not an owner"),
        (["--organisation", "nowhere"], "--organisation: 'nowhere' is not an organisation"),
    ],
)
def test_bad_options_are_refused_plainly(demo_db: Path, args, message):
    result = run("scorecard", *args, db=demo_db, check=False)
    assert result.returncode == 2 and message in result.stderr and not result.stdout


def test_forecast_gives_each_projected_period_its_interval_method_and_error(demo_db: Path):
    out = run("forecast", "--indicator", "ehcp-issued-20-weeks", "--quarter", QUARTER,
              "--format", "json", db=demo_db).stdout  # fmt: skip
    found = json.loads(out)
    assert found["kind"] == "projection" and found["method"].startswith(("Holt", "simple"))
    assert found["backtest_mae"] > 0 and found["backtest_origins"] == 6
    periods = found["periods"]
    assert [p["period"] for p in periods] == ["2026-27 Q3", "2026-27 Q4", "2027-28 Q1",
                                              "2027-28 Q2"]  # fmt: skip
    assert all(p["kind"] == "projection" and p["low"] <= p["central"] <= p["high"]
               for p in periods)  # fmt: skip
    text = run("forecast", "--indicator", "ehcp-issued-20-weeks", "--periods", "2",
               db=demo_db).stdout  # fmt: skip
    assert "On the current course, about " in text and "(projection)" in text
    rows = list(csv.DictReader(io.StringIO(run(
        "forecast", "--indicator", "ehcp-issued-20-weeks", "--format", "csv", db=demo_db
    ).stdout)))  # fmt: skip
    assert len(rows) == 4 and {r["kind"] for r in rows} == {"projection"}


def test_forecast_says_when_there_are_too_few_figures(demo_db: Path):
    found = json.loads(run("forecast", "--indicator", "ehcp-mainstream", "--format", "json",
                           db=demo_db).stdout)  # fmt: skip
    assert found["periods"] == [] and found["method"] is None
    assert found["why_none"].startswith("Too few figures to forecast")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--indicator", "nothing"], "'nothing' is not an indicator of the charter"),
        (["--indicator", "ehcp-mainstream", "--periods", "9"], "--periods: 1 to 8"),
    ],
)
def test_forecast_refuses_bad_options(demo_db: Path, args, message):
    result = run("forecast", *args, db=demo_db, check=False)
    assert result.returncode == 2 and message in result.stderr
