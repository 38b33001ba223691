"""The command line, run as users run it: `python -m metrics ...` in a separate process."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT


def run(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "metrics", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def release_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_release(path: Path, rows: list[dict[str, str]]) -> Path:
    """A release changed as a test needs, written back in the same layout."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def fill_template(template: Path, out: Path, quarter_values: dict[str, str]) -> Path:
    """Fill the XLSX template's total rows for the given indicators, as an analyst would."""
    book = load_workbook(template)
    sheet = book["Return"]
    header = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    for row in sheet.iter_rows(min_row=2):
        ident = row[col["indicator"]].value
        if row[col["breakdown"]].value in (None, "") and ident in quarter_values:
            row[col["value"]].value = quarter_values[ident]
    keep = [
        r[0].row
        for r in sheet.iter_rows(min_row=2)
        if r[col["indicator"]].value in quarter_values and r[col["breakdown"]].value in (None, "")
    ]
    for r in range(sheet.max_row, 1, -1):
        if r not in keep:
            sheet.delete_rows(r)
    book.save(out)
    return out


@dataclass(frozen=True)
class BuiltDemo:
    """`python -m metrics demo` as a user first runs it: from another directory, with no
    --out, so the returns go beside the database."""

    result: subprocess.CompletedProcess[str]
    db: Path
    cwd: Path


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> BuiltDemo:
    """One demo built by the command per session (about 10 s): the tests of the `demo`
    command read its result, the others copy its database (a file copy is cheap)."""
    root = tmp_path_factory.mktemp("built-demo")
    elsewhere = root / "cwd"
    elsewhere.mkdir()
    db = root / "db" / "demo.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "metrics", "demo", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
    )
    return BuiltDemo(result, db, elsewhere)


def copy_of(db: Path, to: Path) -> Path:
    """A private copy of a prepared database, so a test may change it."""
    shutil.copy(db, to)
    return to


def ees_release(*parts: str) -> Path:
    from tests.conftest import SHARED

    return SHARED.joinpath("data", "ees", *parts)


@pytest.fixture(scope="session")
def release_2022_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding DfE's 2022 SEN2 release, imported once per session by the command
    (`test_import_ees_then_series_prints_england_as_published` tests that import itself)."""
    db = tmp_path_factory.mktemp("release-2022") / "o.duckdb"
    run("import-ees", str(ees_release("ehcp-2022-release", "sen2_mi.csv")), "--mapping",
        str(ROOT / "charter" / "ees" / "sen2-mi.yaml"), db=db)  # fmt: skip
    return db


@pytest.fixture(scope="session")
def release_2023_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding DfE's 2023 SEN2 release, imported once per session by the command."""
    db = tmp_path_factory.mktemp("release-2023") / "o.duckdb"
    run("import-ees", str(ees_release("ehcp-2023-release", "sen2_mi.csv")), "--mapping",
        str(ROOT / "charter" / "ees" / "sen2-mi-2023.yaml"), db=db)  # fmt: skip
    return db


def test_demo_template_load_and_no_change(tmp_path, built_demo):
    assert "Demo database ready" in built_demo.result.stdout
    db = copy_of(built_demo.db, tmp_path / "o.duckdb")
    template = tmp_path / "t.xlsx"
    run("template", "--format", "xlsx", "--out", str(template), "--period", "2018-19 Q1", db=db)
    filled = fill_template(
        template,
        tmp_path / "filled.xlsx",
        {"short-breaks-receiving": "433", "iass-enquiries-5-days": "91.5"},
    )
    first = run("load", str(filled), "--user", "analyst", db=db)
    assert "Loaded: 2 added, 0 revised, 0 unchanged." in first.stdout
    again = run("load", str(filled), db=db)
    assert "No change" in again.stdout and again.returncode == 0
    out = run("series", "--indicator", "short-breaks-receiving", db=db).stdout
    assert "2018-19 Q1,433,,,,final" in out.strip().splitlines()


def test_one_bad_row_exits_1_lists_it_and_changes_nothing(tmp_path, demo_db):
    db = tmp_path / "o.duckdb"
    db.write_bytes(demo_db.read_bytes())
    rows = ["indicator,period,value"] + [
        f"short-breaks-receiving,20{y}-{y + 1} Q{q},{400 + q}"
        for y in range(10, 20)
        for q in range(1, 5)
    ]
    rows[17] = "short-breaks-receiving,2014-15 Q1,four hundred"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    before = run(
        "series", "--indicator", "short-breaks-receiving", "--format", "json", db=db
    ).stdout
    result = run("load", str(bad), db=db, check=False)
    assert result.returncode == 1
    assert "Row 18, column value (value: 'four hundred')" in result.stdout
    assert "Rejected: 1 problem in 1 row; nothing was stored." in result.stdout
    after = run("series", "--indicator", "short-breaks-receiving", "--format", "json", db=db).stdout
    assert after == before


def test_revision_and_as_at(tmp_path):
    db = tmp_path / "o.duckdb"
    original = tmp_path / "v1.csv"
    original.write_text("indicator,period,value\nshort-breaks-receiving,2024-25 Q1,431\n")
    run("load", str(original), db=db)
    time.sleep(0.05)
    moment = datetime.now().isoformat()
    time.sleep(0.05)
    revised = tmp_path / "v2.csv"
    revised.write_text("indicator,period,value\nshort-breaks-receiving,2024-25 Q1,445\n")
    refused = run("load", str(revised), db=db, check=False)
    assert refused.returncode == 1 and "give a reason" in refused.stdout
    done = run("load", str(revised), "--reason", "late returns from a provider", db=db)
    assert "revise: short-breaks-receiving 2024-25 Q1 E99000001: 431 -> 445" in done.stdout
    now = list(
        csv.DictReader(
            io.StringIO(run("series", "--indicator", "short-breaks-receiving", db=db).stdout)
        )
    )
    then = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "series", "--indicator", "short-breaks-receiving", "--as-at", moment, db=db
                ).stdout
            )
        )
    )
    assert [r["value"] for r in now] == ["445"] and [r["value"] for r in then] == ["431"]


def test_usage_errors_exit_2(tmp_path):
    db = tmp_path / "o.duckdb"
    assert run("load", db=db, check=False).returncode == 2
    assert run("load", str(tmp_path / "missing.csv"), db=db, check=False).returncode == 2
    assert run("series", "--indicator", "nope", db=db, check=False).returncode == 2
    assert run("template", "--period", "someday", db=db, check=False).returncode == 2


def test_series_json_and_breakdowns(demo_db, tmp_path):
    data = json.loads(
        run(
            "series",
            "--indicator",
            "consultation-participation",
            "--breakdown",
            "age_band",
            "--format",
            "json",
            db=demo_db,
        ).stdout
    )
    latest = [r for r in data if r["period"] == "2026-27 Q2"]
    assert {r["group"] for r in latest} == {"0 to 4", "5 to 10", "11 to 15", "16 to 17", "18 to 25"}
    suppressed = next(r for r in latest if r["group"] == "0 to 4")
    assert (suppressed["value"], suppressed["symbol"]) == (None, "c")


def test_env_variable_chooses_the_database(tmp_path):
    db = tmp_path / "env.duckdb"
    f = tmp_path / "r.csv"
    f.write_text("indicator,period,value\nshort-breaks-receiving,2024-25 Q1,431\n")
    env = {**__import__("os").environ, "OUTCOMES_DB": str(db)}
    subprocess.run(
        [sys.executable, "-m", "metrics", "load", str(f)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert db.exists()


def test_load_while_another_process_is_reading(tmp_path, demo_db):
    """A scheduled load during a meeting: the app keeps reading, the load still goes in."""
    db = tmp_path / "o.duckdb"
    db.write_bytes(demo_db.read_bytes())
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time\n"
                "from metrics.store.connection import Store\n"
                "from metrics.store.queries import series\n"
                "store, end, n = Store(sys.argv[1]), time.time() + 6, 0\n"
                "while time.time() < end:\n"
                "    series(store, 'short-breaks-receiving', 'E99000001'); n += 1\n"
                "print(n)\n"
            ),
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    loads = []
    for q in range(1, 4):
        f = tmp_path / f"r{q}.csv"
        f.write_text(f"indicator,period,value\nshort-breaks-receiving,2015-16 Q{q},431\n")
        loads.append(run("load", str(f), db=db, check=False))
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert int(out) > 10, "the reader kept reading throughout"
    for result in loads:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "lock" not in (result.stdout + result.stderr).lower()


@pytest.mark.parametrize("command", ["demo", "template", "load", "series", "uploads"])
def test_every_command_has_help(command, tmp_path):
    result = run(command, "--help", db=tmp_path / "x.duckdb")
    assert "usage: python -m metrics" in result.stdout and "--db" in result.stdout


def test_status_json_matches_the_overview(demo_db, charter):
    """The CLI and the overview share one status: same statuses, same counts."""
    from metrics.assess.rollup import charter_status
    from metrics.periods.text import parse_period
    from metrics.store.connection import Store

    data = json.loads(run("status", "--format", "json", db=demo_db).stdout)
    assert [s["number"] for s in data] == list(range(1, 13))
    for s in data:
        assert set(s) >= {"number", "title", "status", "reason", "indicators"}
        for i in s["indicators"]:
            assert set(i) >= {
                "id",
                "title",
                "period",
                "value",
                "target",
                "status",
                "direction",
                "reason",
            }
    expected = charter_status(Store(demo_db), charter, parse_period("2026-27 Q2"))
    assert [(s["status"], s["reason"]) for s in data] == [(e.status, e.reason) for e in expected]
    text = run("status", "--period", "2026-27 Q2", db=demo_db).stdout
    assert "5. Timely assessment:" in text and "charter status at 2026-27 Q2" in text


def test_spc_command_prints_the_chart_as_json(tmp_path):
    rows = ["period,value"] + [f"Q{i},{v}" for i, v in enumerate([10, 11] * 5 + [10, 30], 1)]
    f = tmp_path / "series.csv"
    f.write_text("\n".join(rows) + "\n")
    out = json.loads(
        run(
            "spc", str(f), "--polarity", "higher", "--target", "20", db=tmp_path / "x.duckdb"
        ).stdout
    )
    assert set(out) == {
        "mean",
        "lower_limit",
        "upper_limit",
        "trial_limits",
        "variation",
        "assurance",
        "points",
    }
    assert out["mean"] == pytest.approx(145 / 12) and out["trial_limits"] is False
    assert (out["variation"], out["assurance"]) == ("improvement", "fail")
    assert out["points"][-1] == {
        "period": "Q12",
        "value": 30.0,
        "special_cause": "improvement",
        "rule": "astronomical",
    }
    assert {p["rule"] for p in out["points"][:-1]} == {"shift"}
    piped = subprocess.run(
        [sys.executable, "-m", "metrics", "spc", "-", "--polarity", "lower", "--baseline", "5"],
        input="\n".join(rows[1:]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(piped.stdout)["points"][-1]["special_cause"] == "concern"


def test_status_json_has_spc_and_benchmark_fields(demo_db):
    data = json.loads(run("status", "--format", "json", db=demo_db).stdout)
    ind = next(i for s in data for i in s["indicators"] if i["id"] == "ehcp-issued-20-weeks")
    assert {"variation", "assurance", "trial_limits", "benchmark", "reason"} <= set(ind)
    assert ind["benchmark"]["england"] is not None
    assert "England" in ind["reason"]


def test_import_ees_then_series_prints_england_as_published(tmp_path):
    from tests.conftest import SHARED

    release = SHARED / "data" / "ees" / "ehcp-2022-release" / "sen2_mi.csv"
    if not release.exists():
        pytest.skip("../shared is absent (CI always has it)")
    db = tmp_path / "o.duckdb"
    mapping = str(ROOT / "charter" / "ees" / "sen2-mi.yaml")
    dry = run("import-ees", str(release), "--mapping", mapping, "--dry-run", db=db)
    assert "Dry run (nothing stored)" in dry.stdout
    out = run("import-ees", str(release), "--mapping", mapping, db=db).stdout
    assert "National         2021         2" in out and "Local authority  2014" in out
    assert "Imported 2588 figures: 2588 added" in out
    again = run("import-ees", str(release), "--mapping", mapping, db=db).stdout
    assert "No change" in again
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "series", "--indicator", "ehcp-issued-20-weeks", "--area", "E92000001", db=db
                ).stdout
            )
        )
    )
    assert [(r["period"], r["value"]) for r in rows] == [
        ("2014", "64.3"),
        ("2015", "59.2"),
        ("2016", "58.6"),
        ("2017", "64.9"),
        ("2018", "60.1"),
        ("2019", "60.4"),
        ("2020", "58"),
        ("2021", "59.9"),
    ]
    bad = run(
        "import-ees",
        str(release),
        "--mapping",
        str(ROOT / "charter" / "ees" / "sen2-age-caseload.yaml"),
        db=db,
        check=False,
    )
    assert (
        bad.returncode == 1 and "characteristic_age" in bad.stderr and "The file has:" in bad.stderr
    )


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`metrics uploads | head` closes the pipe early: no BrokenPipe traceback, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails, as after `head` has exited
    try:
        result = subprocess.run(
            [sys.executable, "-m", "metrics", "template", "--db", str(tmp_path / "o.duckdb")],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0 and result.stderr == ""


def test_the_command_works_from_any_directory(tmp_path):
    """Installed into its environment: `outcomes` and `python -m metrics` need no cwd."""
    outcomes = Path(sys.executable).with_name("outcomes")
    for command in ([str(outcomes)], [sys.executable, "-m", "metrics"]):
        result = subprocess.run(
            [*command, "template", "--db", str(tmp_path / "o.duckdb")],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("indicator,period,value")


def test_demo_keeps_everything_beside_its_database(built_demo):
    result, db, elsewhere = built_demo.result, built_demo.db, built_demo.cwd
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["demo", "demo.duckdb"]
    assert list((db.parent / "demo").glob("*.csv"))
    assert list(elsewhere.iterdir()) == []


def test_audit_prints_who_did_what_as_text_and_csv(tmp_path):
    import getpass

    db = tmp_path / "a.duckdb"
    first = tmp_path / "q3.csv"
    first.write_text("indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n")
    again = tmp_path / "q3b.csv"
    again.write_text("indicator,period,value\nshort-breaks-receiving,2021-22 Q3,431\n")
    run("load", str(first), "--user", "Sam Analyst", db=db)
    run("load", str(again), "--user", "Sam Analyst", "--reason", "Recount", db=db)
    text = run("audit", db=db).stdout.splitlines()
    assert len(text) == 3
    assert "Sam Analyst (cli) figure revised: short-breaks-receiving, 2021-22 Q3" in text[0]
    assert text[0].endswith("[430.0 (final) -> 431.0 (final)]")
    assert "Sam Analyst (cli) upload: upload 1: q3.csv: 1 added" in text[2]
    out = run("audit", "--kind", "upload", "--format", "csv", db=db).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["Object"] for r in rows] == ["upload 2: q3b.csv", "upload 1: q3.csv"]
    assert {r["Subject"] for r in rows} == {getpass.getuser()}  # the operating-system user
    assert {r["From"] for r in rows} == {"cli"}
    bad = run("audit", "--since", "yesterday", db=db, check=False)
    assert bad.returncode == 2 and "--since 'yesterday' is not a date" in bad.stderr


def test_review_and_actions_on_the_demo(demo_db, tmp_path):
    import shutil

    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    out = json.loads(run("review", "--quarter", "2026-27 Q2", "--format", "json", db=db).stdout)
    assert out["state"] == "open" and out["exceptions"]
    assert {e["commentary_state"] for e in out["exceptions"]} == {"missing"}
    assert (
        out["headline"] == f"2026-27 Q2: open, 0 of {len(out['exceptions'])} exceptions written up"
    )
    late = {a["title"] for a in out["actions"] if a["overdue"]}
    assert len(out["actions"]) == 4 and "Fill the two vacant SEND caseworker posts" in late
    last = json.loads(run("review", "--quarter", "2026-27 Q1", "--format", "json", db=db).stdout)
    assert last["state"] == "signed off"
    assert all(e["commentary"]["why"] for e in last["exceptions"])
    agreed = [s for s in last["statements"] if s["agreed_status"]]
    assert len(agreed) == 1 and agreed[0]["agreed_reason"]
    overdue = run("actions", "--overdue", db=db).stdout.strip().splitlines()
    assert len(overdue) == len(late) and all("OVERDUE" in line for line in overdue)
    bad = run("actions", "--owner", "nobody", db=db, check=False)
    assert bad.returncode == 2 and "'nobody' is not an owner" in bad.stderr
    status = json.loads(run("status", "--period", "2026-27 Q1", "--format", "json", db=db).stdout)
    assert sum(1 for s in status if s["agreed_status"]) == 1
    assert all("agreed_status" in i for s in status for i in s["indicators"])


def test_the_2023_release_over_the_2022_one_adds_a_year_and_revises_nothing(
    tmp_path, release_2022_db
):
    """DfE renamed every column in 2023 and writes more decimal places; same figures."""
    db = copy_of(release_2022_db, tmp_path / "o.duckdb")
    out = run("import-ees", str(ees_release("ehcp-2023-release", "sen2_mi.csv")), "--mapping",
              str(ROOT / "charter" / "ees" / "sen2-mi-2023.yaml"), db=db).stdout  # fmt: skip
    assert "Imported 2912 figures: 324 added, 0 revised, 2588 unchanged." in out


def test_more_revisions_than_are_listed_are_counted(tmp_path, release_2022_db):
    db = copy_of(release_2022_db, tmp_path / "o.duckdb")
    original = ees_release("ehcp-2022-release", "sen2_mi.csv")
    mapping = str(ROOT / "charter" / "ees" / "sen2-mi.yaml")  # the one it was imported with
    rows = release_rows(original)
    for r in rows:  # a later release revising every council's personal budgets
        if r["PersonalBudgets"].isdigit():
            r["PersonalBudgets"] = str(int(r["PersonalBudgets"]) + 1)
    revised = write_release(tmp_path / "sen2_mi.csv", rows)
    out = run("import-ees", str(revised), "--mapping", mapping, db=db).stdout
    listed = [line for line in out.splitlines() if line.startswith("revise: ")]
    total = int(re.search(r"(\d+) revised", out).group(1))
    assert len(listed) == 50 < total
    assert f"... and {total - 50:,} more revisions not listed" in out


@pytest.mark.parametrize("area", ["825", "E06000060", "E10000002"])
def test_a_council_that_changed_code_is_one_series(tmp_path, release_2023_db, area):
    """Buckinghamshire is E10000002 until 2019 and E06000060 from 2020 in the release."""
    release = ees_release("ehcp-2023-release", "sen2_mi.csv")
    codes = {r["new_la_code"] for r in csv.DictReader(io.StringIO(release.read_text()))
             if r["old_la_code"] == "825"}  # fmt: skip
    assert codes == {"E10000002", "E06000060"}  # the file really splits it
    db = copy_of(release_2023_db, tmp_path / "o.duckdb")  # that file, imported by the command
    out = run("series", "--indicator", "personal-budgets-in-place", "--area", area, db=db).stdout
    periods = [r["period"] for r in csv.DictReader(io.StringIO(out))]
    assert periods == [str(y) for y in range(2014, 2023)]


def test_a_split_council_is_not_joined_to_its_successors():
    from metrics.reference import one_council

    assert one_council("E10000021") == ["E10000021"]  # Northamptonshire became two councils
    assert one_council("E06000061") == ["E06000061"]


def test_pack_writes_a_scrutiny_pdf_on_the_demo_database(demo_db, tmp_path):
    db = tmp_path / "o.duckdb"
    db.write_bytes(demo_db.read_bytes())
    out = tmp_path / "pack.pdf"
    result = run("pack", "--quarter", "2026-27 Q2", "--audience", "scrutiny", "--format", "pdf",
                 "--out", str(out), db=db)  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    assert f"Wrote {out}" in result.stdout and "Overview and scrutiny pack" in result.stdout
    assert "Writing the PDF..." in result.stderr  # progress


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--quarter", "2026", "--out", "p.pdf"], "error: --quarter:"),
        (["--quarter", "2026-27 Q2", "--out", "no/such/folder/p.pdf"], "error: --out:"),
    ],
)
def test_pack_refuses_a_bad_quarter_or_folder(demo_db, tmp_path, args, error):
    result = run("pack", "--audience", "scrutiny", "--format", "html", *args, db=demo_db,
                 check=False)  # fmt: skip
    assert result.returncode == 2 and error in result.stderr


def test_an_older_release_is_refused_unless_a_reason_is_given(tmp_path):
    """The 2022 release after a 2023 release that revised England's 2021 personal budgets."""
    from tests.conftest import SHARED

    db = tmp_path / "o.duckdb"
    ees = SHARED / "data" / "ees"
    rows = release_rows(ees / "ehcp-2023-release" / "sen2_mi.csv")
    for r in rows:
        if r["geographic_level"] == "National" and r["time_period"] == "2021":
            r["personal_budgets"] = str(int(r["personal_budgets"]) + 1)
    newer = write_release(tmp_path / "sen2_mi.csv", rows)
    run("import-ees", str(newer), "--mapping", str(ROOT / "charter/ees/sen2-mi-2023.yaml"), db=db)
    older = [str(ees / "ehcp-2022-release" / "sen2_mi.csv"), "--mapping",
             str(ROOT / "charter" / "ees" / "sen2-mi.yaml")]  # fmt: skip
    refused = run("import-ees", *older, db=db, check=False)
    assert refused.returncode == 1
    assert "older release than figures already stored" in refused.stderr
    assert "1 figure it would revise" in refused.stderr and "--older-release" in refused.stderr
    out = run("import-ees", *older, "--older-release", "DfE withdrew the 2023 figure", db=db)
    assert "1 revised" in out.stdout
    shown = run("series", "--indicator", "personal-budgets-in-place", "--area", "E92000001",
                db=db).stdout  # fmt: skip
    back = next(r for r in csv.DictReader(io.StringIO(shown)) if r["period"] == "2021")
    in_2022_release = [
        r["PersonalBudgets"]
        for r in csv.DictReader(io.StringIO(Path(older[0]).read_text(encoding="utf-8-sig")))
        if r["geographic_level"] == "National" and r["time_period"] == "2021"
    ]
    assert [float(back["value"])] == [float(v) for v in in_2022_release]


def test_a_providers_return_is_submitted_then_accepted_or_returned(tmp_path):
    """`load --provider` submits (nothing stored), `accept` stores, `return` sends back, and
    `quality` reports the quarter per provider and indicator."""
    from tests.unit.test_providers import GOOD_EXTRACT, kpi_extract

    db = tmp_path / "o.duckdb"
    extract = tmp_path / "kpi.xlsx"
    extract.write_bytes(kpi_extract(GOOD_EXTRACT))
    out = run("load", str(extract), "--provider", "community-health", db=db).stdout
    assert "Submitted: 4 figures waiting for an analyst to accept them" in out
    first, outcome = re.match(r"#(\d+) .* — (\w+)", run("uploads", db=db).stdout).groups()
    assert outcome == "submitted"
    assert "Loaded: 4 added" in run("accept", first, db=db).stdout
    again = run("accept", first, db=db, check=False)
    assert again.returncode == 1 and "already accepted" in again.stderr
    other = tmp_path / "breaks.csv"
    other.write_text("indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n")
    run("load", str(other), "--provider", "short-breaks-trust", db=db)
    second = re.match(r"#(\d+) ", run("uploads", db=db).stdout).group(1)
    back = run("return", second, "--reason", "Please add the localities", db=db).stdout
    assert "Returned submission" in back and "Please add the localities" in back
    wrong = run("load", str(other), "--provider", "community-health", db=db, check=False)
    assert wrong.returncode == 1 and "is supplied by Brightside Short Breaks" in wrong.stdout
    report = json.loads(run("quality", "--quarter", "2026-27 Q2", "--format", "json", db=db).stdout)
    health = report["providers"]["community-health"]
    assert (health["expected"], health["received"]) == (3, 2)
    states = {(r["provider"], r["indicator"]): r for r in report["returns"]}
    assert states[("short-breaks-trust", "short-breaks-receiving")]["returned"] == 1
    assert states[("short-breaks-trust", "short-breaks-receiving")]["received"] is None
    assert report["ratings"]["speech-therapy-median-wait"]["rating"] == "poor"


def test_status_gives_each_indicators_data_quality(demo_db, tmp_path):
    db = tmp_path / "o.duckdb"
    db.write_bytes(demo_db.read_bytes())
    out = json.loads(run("status", "--period", "2026-27 Q2", "--format", "json", db=db).stdout)
    quality = {i["id"]: i["data_quality"] for s in out for i in s["indicators"]}
    assert quality["speech-therapy-median-wait"]["rating"] == "poor"
    assert any("overdue" in r for r in quality["speech-therapy-median-wait"]["reasons"])
    text = run("status", "--period", "2026-27 Q2", db=db).stdout
    assert "Data quality: some concerns (Brightside Short Breaks (charity)'s return came" in text


def test_a_reason_belongs_to_accepting_a_providers_return_not_submitting_it(tmp_path):
    return_file = tmp_path / "breaks.csv"
    return_file.write_text("indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n")
    done = run("load", str(return_file), "--provider", "short-breaks-trust", "--reason", "x",
               db=tmp_path / "o.duckdb", check=False)  # fmt: skip
    assert done.returncode == 2 and "when accepting a provider's return" in done.stderr


def test_an_unknown_provider_is_a_usage_error_naming_the_providers(tmp_path):
    """A mistyped --provider was a traceback (SubmissionError; KeyError with --dry-run)."""
    return_file = tmp_path / "breaks.csv"
    return_file.write_text("indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n")
    for dry in ([], ["--dry-run"]):
        done = run("load", str(return_file), "--provider", "brightside", *dry,
                   db=tmp_path / "o.duckdb", check=False)  # fmt: skip
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert "no provider 'brightside'" in done.stderr
        assert "short-breaks-trust" in done.stderr


def test_evidence_and_self_review_at_the_command_line(demo_db, tmp_path):
    db = tmp_path / "o.duckdb"
    db.write_bytes(demo_db.read_bytes())
    text = run("evidence", "--statement", "5", db=db).stdout
    assert "Director's visit to the autism assessment team" in text
    assert "Young people's SEND forum" not in text  # statements 9 and 2
    found = json.loads(run("evidence", "--format", "json", db=db).stdout)
    assert {i["kind"] for i in found} == {
        "survey", "family-voice", "front-line-visit", "case-study", "partner-feedback",
        "audit-finding",
    }  # fmt: skip
    audit = next(i for i in found if i["kind"] == "audit-finding")
    assert audit["attachment"]["media_type"] == "application/pdf"
    bad = run("evidence", "--statement", "42", db=db, check=False)
    assert bad.returncode == 2 and "'42' is not a statement" in bad.stderr
    out = tmp_path / "survey.csv"
    run("evidence", "--survey-return", "short-breaks-satisfaction", "--out", str(out), db=db)
    loaded = run("load", str(out), "--reason", "notes from the survey evidence", db=db)
    assert "0 added" in loaded.stdout
    refused = run("evidence", "--survey-return", "autism-assessment-median-wait", "--out",
                  str(out), db=db, check=False)  # fmt: skip
    assert refused.returncode == 1 and "not a percentage" in refused.stderr
    review = json.loads(run("self-review", "--format", "json", db=db).stdout)
    assert [(p["held_on"], p["state"]) for p in review["points"]] == [
        ("2026-03-31", "signed off"), ("2026-09-30", "open")
    ]  # fmt: skip
    moved = {
        a["question"]: a["confidence"] for p in review["points"] for a in p["answers"]
        if a["question"] == "political-figures"
    }  # fmt: skip
    assert moved == {"political-figures": "partly"}
    assert "political-figures" in review["low_without_action"]
    assert "Below 'mostly confident'" in run("self-review", db=db).stdout


def test_pack_makes_the_self_evaluation_draft_for_the_latest_quarter(demo_db, tmp_path):
    out = tmp_path / "self-evaluation.xlsx"
    result = run("pack", "--kind", "self-evaluation", "--format", "xlsx", "--out", str(out),
                 db=demo_db)  # fmt: skip
    assert "self-evaluation for the area SEND inspection" in result.stdout
    book = load_workbook(out)
    assert "Table_1_Statements" in book.sheetnames
    wrong = run("pack", "--kind", "self-evaluation", "--audience", "scrutiny", "--format",
                "html", "--out", str(out), db=demo_db, check=False)  # fmt: skip
    assert wrong.returncode == 2 and "internal" in wrong.stderr
    missing = run("pack", "--format", "html", "--out", str(out), db=demo_db, check=False)
    assert missing.returncode == 2 and "--audience" in missing.stderr


def test_a_quarter_not_begun_or_before_any_figures_is_refused_by_reading_commands(demo_db):
    """A review or pack of 2027-28 Q1 listed every indicator as 'no recent data', and
    'quality' of 1980-81 Q1 three overdue returns: each is refused, naming why (the reading
    of figures refuses only quarters that have not begun)."""
    for command in (["review"], ["quality"], ["scorecard"], ["published"],
                    ["forecast", "--indicator", "ehcp-issued-20-weeks"]):  # fmt: skip
        done = run(*command, "--quarter", "2027-28 Q1", db=demo_db, check=False)
        assert done.returncode == 2 and "has not begun" in done.stderr, (command, done.stderr)
    for command in (["review"], ["quality"]):  # the review's: a quarter with quarterly figures
        done = run(*command, "--quarter", "1980-81 Q1", db=demo_db, check=False)
        assert done.returncode == 2 and "no figures" in done.stderr, (command, done.stderr)
    # a quarter before any quarterly figure may have yearly ones (LAIT's, DfE's history)
    assert run("published", "--quarter", "2015-16 Q4", db=demo_db).returncode == 0
    done = run("status", "--period", "2027-28 Q1", db=demo_db, check=False)
    assert done.returncode == 2 and "has not begun" in done.stderr


def test_an_output_file_named_for_another_format_is_refused(demo_db, tmp_path):
    """'template --out return.xlsx' wrote CSV into it (and said to load it, which 'load' then
    refused); 'pack --format pdf --out a.xlsx' wrote a PDF."""
    cases = (
        (["template", "--out", str(tmp_path / "return.xlsx")], "return.csv"),
        (["pack", "--audience", "scrutiny", "--format", "pdf", "--out", str(tmp_path / "a.xlsx")],
         "a.pdf"),
        (["evidence", "--survey-return", "short-breaks-satisfaction", "--out",
          str(tmp_path / "s.xlsx")], "s.csv"),
        (["published", "--quarter", "2026-27 Q2", "--out", str(tmp_path / "p.xlsx")], "p.csv"),
    )  # fmt: skip
    for command, better in cases:
        done = run(*command, db=demo_db, check=False)
        assert done.returncode == 2 and f"name it {better}" in done.stderr, done.stderr
    assert not list(tmp_path.iterdir())


def test_spc_refuses_what_it_cannot_chart(tmp_path):
    """nan gave 'mean nan, limits nan to nan' (and JSON no reader takes), a period twice was
    charted twice, --rebase or --baseline beyond the file were ignored, and a folder or a
    binary file was a traceback (found by a new user's review of the command line)."""
    good = "period,value\n2024-25 Q1,10\n2024-25 Q2,12\n2024-25 Q3,11\n"
    cases = {
        good + "2024-25 Q4,nan\n": ([], "not a finite number"),
        good + "2024-25 Q1,13\n": ([], "given twice"),
        good: (["--rebase", "2030-31 Q1"], "no period '2030-31 Q1'"),
        good + "2024-25 Q4,9\n": (["--baseline", "100"], "2 to 4 points"),
    }
    for n, (text, (flags, said)) in enumerate(cases.items()):
        f = tmp_path / f"s{n}.csv"
        f.write_text(text)
        done = run("spc", str(f), "--polarity", "higher", *flags, db=tmp_path / "x.duckdb",
                   check=False)  # fmt: skip
        assert done.returncode == 2 and said in done.stderr, (text, done.stderr)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 50)
    for path in (tmp_path, binary):
        done = run("spc", str(path), "--polarity", "higher", db=tmp_path / "x.duckdb", check=False)
        assert done.returncode == 2 and "cannot read" in done.stderr, done.stderr


def test_no_commands_help_shows_a_doubled_percent_sign():
    """argparse formats a command's help but not its description: '80%%' was printed as is."""
    from metrics.cli.parser import build_parser

    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in sub.choices.items():
        assert "%%" not in command.format_help(), name


def test_load_dry_run_shows_counts_that_change_under_the_same_value(tmp_path):
    db = tmp_path / "o.duckdb"
    head = "indicator,period,numerator,denominator\n"
    (tmp_path / "a.csv").write_text(head + "ehcp-issued-20-weeks,2024-25 Q1,52,66\n")
    run("load", str(tmp_path / "a.csv"), db=db)
    (tmp_path / "b.csv").write_text(head + "ehcp-issued-20-weeks,2024-25 Q1,104,132\n")
    out = run("load", str(tmp_path / "b.csv"), "--dry-run", db=db).stdout
    assert (
        "revise: ehcp-issued-20-weeks 2024-25 Q1 E99000001: "
        "78.8 -> 78.8; numerator 52 -> 104; denominator 66 -> 132"
    ) in out
