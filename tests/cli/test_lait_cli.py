"""The LAIT commands as users run them: import-lait and lait-extract.
Contains public sector information licensed under the Open Government Licence v3.0."""

from __future__ import annotations

import pyarrow.parquet as pq

from metrics.ingest.published.lait_extract import EXTRACT
from tests.cli.test_cli import run
from tests.conftest import SHARED

LAIT = SHARED / "data" / "lait" / "bds_long_0.parquet"


def test_import_lait_previews_then_imports_the_shipped_extract(tmp_path):
    db = tmp_path / "o.duckdb"
    dry = run("import-lait", str(EXTRACT), "--dry-run", "--user", "analyst", db=db)
    assert "Dry run (nothing stored): 5610 figures" in dry.stdout
    assert "National         2024" in dry.stdout
    done = run("import-lait", str(EXTRACT), "--user", "analyst", db=db)
    assert "Imported 5610 figures: 5610 added" in done.stdout
    again = run("import-lait", str(EXTRACT), "--user", "analyst", db=db)
    assert "No change" in again.stdout


def test_import_lait_names_a_bad_mapping(tmp_path):
    bad = tmp_path / "lait" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("title: x\nsource: y\nmeasures: []\n")
    result = run("import-lait", str(EXTRACT), "--mapping", str(bad), db=tmp_path / "o.duckdb",
                 check=False)  # fmt: skip
    assert result.returncode != 0
    assert "lait/bad.yaml: title:" in result.stderr and "lait/bad.yaml: measures:" in result.stderr


def test_lait_extract_regenerates_the_shipped_extract(tmp_path):
    out = tmp_path / "x.parquet"
    result = run("lait-extract", str(LAIT), "--as-at", "2026-04-08", "--out", str(out),
                 db=tmp_path / "o.duckdb")  # fmt: skip
    assert "Wrote 5,610 rows of 4 measures" in result.stdout
    assert pq.read_table(out).equals(pq.read_table(EXTRACT))
    assert pq.read_schema(out).metadata[b"published_as_at"] == b"2026-04-08"


def test_status_json_carries_the_benchmarks_on_a_fresh_demo(tmp_path):
    """A fresh demo (as `make run` builds it) benchmarks every charter indicator LAIT
    publishes: England, region, neighbour average, rank of N, quartile band, and how old."""
    import json

    db = tmp_path / "demo.duckdb"
    run("demo", db=db)
    found = {
        i["id"]: i
        for s in json.loads(run("status", "--format", "json", db=db).stdout)
        for i in s["indicators"]
    }
    for ind in ("ehcp-issued-20-weeks", "send-16-17-in-education", "send-tribunal-appeal-rate"):
        b = found[ind]["benchmark"]
        assert b["england"] is not None and b["region"] is not None, ind
        assert b["group"] is not None and b["group_size"] == 10, ind
        assert b["rank"] and b["councils"] > 150 and b["quartile_band"] in "ABCD", ind
        assert b["published_as_at"] == "2026-04-08", ind
        assert "ten real councils chosen for the demo" in b["group_source"], ind
        assert "Published figures as at 8 April 2026." in found[ind]["reason"], ind


HEADER = "Short Desc,Years,LA and Regions,Values,LA Number\n"


def _not_a_table() -> str:
    """Text whose lines no separator splits alike: DuckDB's dialect sniffer gives up on it."""
    import random

    pick = random.Random(1)
    return "".join(pick.choice("abc,;|\t\"' \n") for _ in range(3000))


def test_import_lait_says_plainly_what_is_wrong_with_a_csv_file(tmp_path):
    """The CSV reader's own error (its dialect sniffer's, its advice on reader options, the
    temporary copy's path) never reaches the user: the file's name and what is wrong."""
    files = {
        "not_a_table.csv": (_not_a_table().encode(), "is not a csv table"),
        "ragged.csv": (
            (HEADER + "m,2020,England,1,970\n" * 30_000 + "m,2020,England,1,970,extra\n").encode(),
            "line 30002",
        ),
        "excel.csv": ((HEADER + "m,2020,Th\xe9r\xe8se,1,970\n").encode("cp1252"), "not utf-8"),
    }
    for name, (content, words) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = run("import-lait", str(path), "--dry-run", "--as-at", "2026-01-01",
                     db=tmp_path / "o.duckdb", check=False)  # fmt: skip
        assert result.returncode == 1, name
        assert "Traceback" not in result.stderr, result.stderr
        said = result.stderr[result.stderr.index("\nerror: ") + 1 :]  # after the database's
        assert said.startswith(f"error: {name}: "), said
        assert words in said.lower(), said
        for driver_words in ("sniff", "Possible", "/tmp/", "Error:", "strict_mode", "LINE 1"):
            assert driver_words not in said, said


def test_import_lait_of_a_file_with_a_header_and_no_rows_says_it_holds_nothing(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text(HEADER)
    result = run("import-lait", str(path), "--dry-run", "--as-at", "2026-01-01",
                 db=tmp_path / "o.duckdb", check=False)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "error: header_only.csv: " in result.stderr
    assert "the column holds: nothing" in result.stderr
