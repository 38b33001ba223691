"""`python -m metrics needs`, `costs`, `load-needs`, `load-finance` and `import-s251`
(issue 33), run as users run them, against the demo."""

from __future__ import annotations

import csv
import io
import json
import shutil

from metrics.leadership import costs, needs_table
from tests.cli.test_cli import run
from tests.conftest import ROOT


def test_needs_csv_per_locality_and_need_withholds_small_counts(demo_db):
    out = run("needs", "--format", "csv", db=demo_db).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == needs_table.COLUMNS
    north = next(r for r in rows if r["locality"] == "North" and r["need"] == "All needs")
    assert north["quarter"] == "2026-27 Q2" and north["ratio"] == "0.4"
    assert north["under_identified"] == "yes" and north["in_words"].startswith("About 4 in 10")
    small = next(
        r for r in rows if (r["locality"], r["need"]) == ("West", "Multi-sensory impairment")
    )
    assert small["known"] == "[c]" and small["ratio"] == "[c]" and small["gap"] == "yes"
    asd = next(
        r for r in rows if (r["locality"], r["need"]) == ("South", "Autistic spectrum disorder")
    )
    assert "Brightside Short Breaks" in asd["providers"] and asd["gap"] == "no"
    assert float(asd["ratio_low"]) < float(asd["ratio"]) < float(asd["ratio_high"])


def test_needs_json_for_staff_and_an_earlier_quarter(demo_db):
    found = json.loads(run("needs", "--format", "json", "--audience", "staff", db=demo_db).stdout)
    small = next(
        r
        for r in found["rows"]
        if (r["locality"], r["need"]) == ("West", "Multi-sensory impairment")
    )
    assert small["known"] == 3 and small["withheld"].startswith("not for publication")
    assert "exact Poisson interval" in found["method"]
    assert found["months"]["community-health"] == "Aug 2026"
    assert found["gaps"] == "No provider works with Multi-sensory impairment in any locality."
    earlier = json.loads(
        run("needs", "--quarter", "Q4 25/26", "--format", "json", db=demo_db).stdout
    )
    assert earlier["quarter"] == "2025-26 Q4"


def test_needs_and_costs_usage_errors_exit_2(demo_db):
    bad = run("needs", "--quarter", "spring", db=demo_db, check=False)
    assert bad.returncode == 2 and "error:" in bad.stderr
    none = run("needs", "--quarter", "2019-20 Q1", db=demo_db, check=False)
    assert none.returncode == 2 and "no needs return for 2019-20 Q1" in none.stderr
    year = run("costs", "--year", "2019-20", db=demo_db, check=False)
    assert year.returncode == 2 and "no finance return for 2019-20" in year.stderr


def test_costs_json_and_csv(demo_db):
    found = json.loads(run("costs", "--year", "2025-26", "--format", "json", db=demo_db).stdout)
    assert found["caveats"] == costs.CAVEATS
    short = next(r for r in found["rows"] if r["service"] == "Short breaks")
    assert short["spend"] == 2450000 and short["per_child_reached"] == 2076.0  # 2,450,000 / 1,180
    assert short["england_per_child"] == 41.2 and short["statements"] == "7 Short breaks"
    out = run("costs", db=demo_db).stdout
    assert tuple(next(csv.reader(io.StringIO(out)))) == costs.COLUMNS


def test_loading_returns_and_s251(tmp_path, demo_db):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    bad = tmp_path / "needs.csv"
    bad.write_text(
        "quarter,source,month,locality,need,children\n"
        "2026-27 Q3,register,Dec 2026,Uplands,Hearing impairment,4\n"
    )
    result = run("load-needs", str(bad), db=db, check=False)
    assert result.returncode == 1 and "Row 2, column locality" in result.stderr
    good = tmp_path / "finance.csv"
    good.write_text("year,service,spend,children\n2026-27,short-breaks,100000,50\n")
    assert "1 rows loaded" in run("load-finance", str(good), "--user", "Ann", db=db).stdout
    s251 = ROOT / "tests" / "data" / "s251_synthetic.csv"
    mapping = ROOT / "charter" / "s251" / "s251-outturn.yaml"
    assert (
        "8 section 251 figures"
        in run("import-s251", str(s251), "--mapping", str(mapping), db=db).stdout
    )
    found = json.loads(run("costs", "--year", "2026-27", "--format", "json", db=db).stdout)
    assert found["rows"][0]["per_child_reached"] == 2000.0
    assert found["rows"][0]["s251_year"] == "2025-26"  # the latest s251 before the year
