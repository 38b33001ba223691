"""Each validation rule, with a bad file of its own: the error names the Excel row, the
column, the value, what is wrong and how to fix it, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.ingest import check_file, load_file
from metrics.store.queries import current_count

HEADER = "indicator,period,value,area,breakdown,group,numerator,denominator,status,note"
GOOD = [
    "ehcp-issued-20-weeks,2024-25 Q1,52.0,,,,26,50,,",
    "short-breaks-receiving,2024-25 Q1,431,,,,,,,",
    "ehcp-issued-20-weeks,2024-25 Q1,50.0,,locality,North,5,10,,",
]


def write(
    tmp_path: Path,
    lines: list[str],
    name: str = "return.csv",
    header: str = HEADER,
    encoding: str = "utf-8",
) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join([header, *lines]) + "\r\n").encode(encoding))
    return path


def load(store, charter, path: Path, **kw):
    return load_file(store, charter, path.name, path.read_bytes(), by="tester", **kw)


def one_error(store, charter, tmp_path, bad_line: str, **kw):
    report = load(store, charter, write(tmp_path, [*GOOD, bad_line], **kw))
    assert report.outcome == "rejected"
    assert current_count(store) == 0, "a rejected file must store nothing"
    assert len(report.errors) >= 1
    return report.errors


def test_good_file_loads(store, charter, tmp_path):
    report = load(store, charter, write(tmp_path, GOOD))
    assert report.outcome == "loaded" and report.added == 3
    assert current_count(store) == 3


@pytest.mark.parametrize(
    ("line", "column", "fragment", "fix"),
    [
        (
            "ehcp-issued-20-weekz,2024-25 Q2,50,,,,,,,",
            "indicator",
            "Unknown indicator",
            "Did you mean 'ehcp-issued-20-weeks'",
        ),
        (",2024-25 Q2,50,,,,,,,", "indicator", "The indicator is missing", "Indicators sheet"),
        (
            "ehcp-issued-20-weeks,next quarter,50,,,,,,,",
            "period",
            "not a period we can read",
            "'2024-25 Q1'",
        ),
        (
            "ehcp-issued-20-weeks,2024,50,,,,,,,",
            "period",
            "is a calendar year, but a financial-year quarter",
            "'2024-25 Q1'",
        ),
        (
            "persistent-absence-ehcp,2024-25 Q1,20,,,,,,,",
            "period",
            "is a financial-year quarter, but an academic term is needed",
            "Autumn term",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,fifty,,,,,,,",
            "value",
            "not a number or a recognised symbol",
            "x (not available)",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,,,,,,,provisional,",
            "value",
            "The value is missing",
            "x if it is not available",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,152,,,,,,,",
            "value",
            "between 0 and 100; this is 152",
            "Check the figure",
        ),
        (
            "short-breaks-receiving,2024-25 Q2,-3,,,,,,,",
            "value",
            "negative; a count cannot be below zero",
            "without a minus sign",
        ),
        (
            "short-breaks-receiving,2024-25 Q2,3.5,,,,,,,",
            "value",
            "whole number",
            "without decimals",
        ),
        (
            "short-breaks-receiving,2024-25 Q2,45%,,,,,,,",
            "value",
            "written as a percentage",
            "Remove the %",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,,,,,60,50,,",
            "numerator",
            "(60) is greater than the denominator (50)",
            "swapped",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,47,,,,26,50,,",
            "value",
            "does not match numerator / denominator (26 / 50 = 52",
            "leave the value empty",
        ),
        ("ehcp-issued-20-weeks,2024-25 Q2,,,,,26,0,,", "denominator", "more than zero", "z"),
        ("ehcp-issued-20-weeks,2024-25 Q2,,,,,26,,,", "numerator", "without a denominator", "both"),
        (
            "iass-enquiries-5-days,2024-25 Q2,50,,primary_need,Hearing impairment,,,,",
            "breakdown",
            "is not broken down by primary_need",
            "totals only",
        ),
        (
            "direct-payments-families,2024-25 Q2,50,,age_band,0 to 4,,,,",
            "breakdown",
            "is not broken down by age_band",
            "Use one of: locality, sex.",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,50,,planet,Mars,,,,",
            "breakdown",
            "Unknown breakdown 'planet'",
            "Use one of",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,50,,locality,Nroth,,,,",
            "group",
            "Unknown locality group 'Nroth'",
            "Did you mean 'North'",
        ),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,50,,locality,,,,,",
            "breakdown",
            "without a group",
            "leave both empty",
        ),
        ("ehcp-issued-20-weeks,2024-25 Q2,50,England,,,,,,", "area", "not a GSS code", "E92000001"),
        (
            "ehcp-issued-20-weeks,2024-25 Q2,50,,,,,,prov,",
            "status",
            "'prov' is not recognised",
            "final or provisional",
        ),
        (
            "short-breaks-receiving,2024-25 Q2,c,,,,3,10,,",
            "value",
            "stands instead of the figure",
            "left empty",
        ),
        (
            "short-breaks-receiving,2024-25 Q2,3,,,,3,10,,",
            "numerator",
            "has no numerator or denominator",
            "Leave numerator",
        ),
        (
            "ehcp-issued-20-weeks,2024/25 Q1,52,,,,,,,",
            "indicator",
            "appears more than once (first at row 2)",
            "delete the others",
        ),
    ],
)
def test_rule(store, charter, tmp_path, line, column, fragment, fix):
    errors = one_error(store, charter, tmp_path, line)
    bad = [e for e in errors if e.row == 5 and e.column == column]
    assert bad, [e.as_text() for e in errors]
    assert fragment in bad[0].problem, bad[0].as_text()
    assert fix in bad[0].fix, bad[0].as_text()
    assert all(e.row == 5 for e in errors), "only the bad row is reported"


def test_missing_and_unknown_columns_suggest_the_nearest_name(store, charter, tmp_path):
    path = write(tmp_path, ["ehcp-issued-20-weeks,2024-25 Q1,52"], header="Indicatr,period,valeu")
    report = load(store, charter, path)
    texts = [e.as_text() for e in report.errors]
    assert report.outcome == "rejected" and current_count(store) == 0
    assert any("Unknown column 'Indicatr'" in t and "Did you mean 'indicator'" in t for t in texts)
    assert any("Unknown column 'valeu'" in t and "Did you mean 'value'" in t for t in texts)
    assert any("required column 'indicator' is missing" in t for t in texts)
    assert all(e.row == 1 for e in report.errors)


def test_headers_are_case_insensitive_and_in_any_order(store, charter, tmp_path):
    path = write(
        tmp_path, ["52.0,2024-25 Q1,EHCP-Issued-20-Weeks"], header=" VALUE ,Period,Indicator"
    )
    report = load(store, charter, path)
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]


def test_empty_file_and_header_only(store, charter, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = load(store, charter, empty)
    assert report.outcome == "rejected" and "empty" in report.errors[0].problem
    header_only = write(tmp_path, [], name="header.csv")
    report = load(store, charter, header_only)
    assert "no data rows" in report.errors[0].problem


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("return.pdf", b"%PDF-1.7 ...", ".pdf file"),
        ("return.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003"),
        ("return.xlsx", b"indicator,period,value\n", "not an Excel workbook"),
        ("return.docx", b"PK\x03\x04" + b"\x00" * 100, "is a .docx file, not a quarterly return"),
        ("return.csv", b"PK\x03\x04" + b"\x00" * 100, "is named .csv but is a zipped file, such"),
        ("return.csv", b"\x00\x01\x02binary", "not a text file"),
    ],
)
def test_wrong_file_types(store, charter, tmp_path, name, content, fragment):
    report = load_file(store, charter, name, content, by="tester")
    assert report.outcome == "rejected"
    assert fragment in report.errors[0].problem
    assert current_count(store) == 0


def test_windows_1252(store, charter, tmp_path):
    lines = ["short-breaks-receiving,2024-25 Q1,431,,,,,,,Café visits – up"]
    report = load(store, charter, write(tmp_path, lines, encoding="cp1252"))
    assert report.outcome == "loaded", report.errors
    assert "Windows-1252" in report.notes[0]
    from metrics.store.queries import series

    assert [r.note for r in series(store, "short-breaks-receiving", "E99000001")] == [
        "Café visits – up"
    ]


def test_byte_order_mark(store, charter, tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + write(tmp_path, GOOD, name="x.csv").read_bytes())
    report = load(store, charter, bom)
    assert report.outcome == "loaded" and report.added == 3, report.errors


def test_thousands_separators_and_percent_signs(store, charter, tmp_path):
    lines = [
        'short-breaks-receiving,2024-25 Q1,"1,234",,,,,,,',
        "ehcp-issued-20-weeks,2024-25 Q1,45%,,,,,,,",
    ]
    report = load(store, charter, write(tmp_path, lines))
    assert report.outcome == "loaded", report.errors
    from metrics.store.queries import series

    assert series(store, "short-breaks-receiving", "E99000001")[0].value == 1234
    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == 45


def test_value_worked_out_from_numerator_and_denominator(store, charter, tmp_path):
    report = load(store, charter, write(tmp_path, ["ehcp-issued-20-weeks,2024-25 Q1,,,,,13,20,,"]))
    assert report.outcome == "loaded"
    from metrics.store.queries import series

    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == pytest.approx(65.0)


def test_symbols_stay_symbols(store, charter, tmp_path):
    lines = [
        "short-breaks-receiving,2024-25 Q1,c,,,,,,,",
        "short-breaks-receiving,2024-25 Q2,[x],,,,,,,",
        "short-breaks-receiving,2024-25 Q3,LOW,,,,,,,",
    ]
    assert load(store, charter, write(tmp_path, lines)).outcome == "loaded"
    from metrics.store.queries import series

    rows = series(store, "short-breaks-receiving", "E99000001")
    assert [(r.value, r.symbol) for r in rows] == [(None, "c"), (None, "x"), (None, "low")]


def test_ragged_rows_and_blank_rows_keep_excel_row_numbers(store, charter, tmp_path):
    lines = [
        "",
        "short-breaks-receiving,2024-25 Q1,431,,,,,,,",
        "short-breaks-receiving,2024-25 Q2",
        "short-breaks-receiving,2024-25 Q3,xx,,,,,,,",
    ]
    report = load(store, charter, write(tmp_path, lines))
    assert report.outcome == "rejected"
    assert [(e.row, e.column) for e in report.errors] == [(4, ""), (5, "value")]
    assert "2 values but the header has 10" in report.errors[0].problem


def test_every_error_in_a_file_is_listed(store, charter, tmp_path):
    lines = [f"short-breaks-receiving,2024-25 Q{q},bad,,,,,,," for q in (1, 2, 3, 4)]
    report = load(store, charter, write(tmp_path, lines))
    assert [e.row for e in report.errors] == [2, 3, 4, 5]
    assert report.rejected_rows == 4


def test_dry_run_previews_without_storing(store, charter, tmp_path):
    path = write(tmp_path, GOOD)
    report = check_file(store, charter, path.name, path.read_bytes())
    assert report.outcome == "preview" and report.added == 3
    assert current_count(store) == 0
