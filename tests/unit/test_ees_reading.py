"""Reading EES files with DuckDB (issue 14, item 12): the file is read and filtered by DuckDB,
so these check what a real CSV can hold: byte-order marks, Windows line endings, quoted commas,
ragged rows, repeated column names, a bad byte deep in a large file, and which rows count."""

from __future__ import annotations

from metrics.ingest.published.ees import import_ees
from metrics.store.queries import series
from tests.unit.test_ees_releases import AREA, mapping_file, refused

HULL = "Local authority,E92000001,England,E12000003,Yorkshire and The Humber,E06000010"
BUDGETS = [{"indicator": "personal-budgets-in-place", "value": "n"}]


def release(rows: list[str], header: str = "n", newline: str = "\n") -> bytes:
    return newline.join([f"time_period,time_identifier,{AREA},{header}", *rows, ""]).encode()


def test_a_bom_windows_line_endings_and_a_quoted_comma_are_read(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    rows = [
        "2021,Calendar year,National,E92000001,England,,,,,40",
        f'2021,Calendar year,{HULL},"Kingston upon Hull, City of",7',
    ]
    content = b"\xef\xbb\xbf" + release(rows, newline="\r\n")
    report = import_ees(store, charter, "t.csv", content, m, by="t")
    assert report.outcome == "imported", [e.as_text() for e in report.errors]
    assert [r.value for r in series(store, "personal-budgets-in-place", "E06000010")] == [7.0]
    with store.connect() as con:
        name = con.execute("SELECT name FROM areas WHERE code = 'E06000010'").fetchall()
    assert name == [("Kingston upon Hull, City of",)]


def test_a_row_with_too_many_cells_is_refused_with_its_line(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    rows = [
        "2021,Calendar year,National,E92000001,England,,,,,40",
        "2022,Calendar year,x,,,,,,,1,2",
    ]
    why = refused(import_ees(store, charter, "t.csv", release(rows), m, by="t"))
    assert "could not be read as CSV: line 3 has 11 columns where the header has 10" in why


def test_a_column_named_twice_is_refused_by_name(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    content = release(["2021,Calendar year,National,E92000001,England,,,,,4,5"], header="n,n")
    assert "the header names a column more than once: n" in refused(
        import_ees(store, charter, "t.csv", content, m, by="t")
    )


def test_a_bad_byte_beyond_the_first_megabyte_names_its_line_and_column(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    rows = ["2021,Calendar year,National,E92000001,England,,,,,40"] * 40_000  # about 2 MB
    rows.append('2021,Calendar year,National,E92000001,"Eng, land",,,,caf\xe9,40')
    content = release(rows).decode().encode("cp1252")
    assert len(content) > 2**20
    why = refused(import_ees(store, charter, "t.csv", content, m, by="t"))
    assert "line 40002, column 9, counting from 1" in why  # la_name; "Eng, land" is one column


def test_only_the_rows_a_measure_selects_are_checked_and_counted(store, charter, tmp_path):
    measure = {**BUDGETS[0], "filters": {"topic": "Total"}}
    m = mapping_file(tmp_path, charter, [measure])
    rows = [
        "2021,Calendar year,National,E92000001,England,,,,,Total,40",
        "2021,Calendar year,National,E92000001,England,,,,,Age,3",
        # an unknown council and a future year, but in rows the mapping does not read
        "2021,Calendar year,Local authority,E92000001,England,,,E06999999,Nowhere,Age,1",
        "2099,Calendar year,National,E92000001,England,,,,,Age,9",
        "2021,Calendar year,School,E92000001,England,,,,,Total,5",
        "2021,Calendar year,Local authority,E92000001,England,,,,,Total,5",
    ]
    report = import_ees(store, charter, "t.csv", release(rows, "topic,n"), m, by="t")
    assert report.outcome == "imported", [e.as_text() for e in report.errors]
    assert report.added == 1
    assert report.skipped == {
        "rows where topic is not 'Total' (personal-budgets-in-place)": 3,
        "geographic level School": 1,
        "Local authority rows without a code": 1,
    }
    assert report.release_end is not None and report.release_end.year == 2021


def test_selected_rows_with_an_unknown_area_are_each_an_error_in_file_order(
    store, charter, tmp_path
):
    m = mapping_file(tmp_path, charter, BUDGETS)
    rows = ["2021,Calendar year,National,E92000001,England,,,,,40"]
    rows += [f"{y},Calendar year,Local authority,E92000001,England,,,E06999999,Nowhere,1"
             for y in (2019, 2020, 2021)]  # fmt: skip
    report = import_ees(store, charter, "t.csv", release(rows), m, by="t")
    refused(report)
    assert [e.row for e in report.errors] == [3, 4, 5]
    assert report.error_total == 3
