"""A CSV return checked and stored without what a large upload cannot afford (issue 34): the
check imports no pandas (35 MB of a process's memory: `pa.array`, `pa.scalar` and compute
functions given a Python value import it), and a key sent twice is still found when the
file is otherwise clean (the one pass finds repeated keys by their hash)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metrics.ingest import check_file, load_file
from metrics.store.queries import series

HEADER = "indicator,period,value,area,breakdown,group,numerator,denominator,status,note"
ROWS = [
    "short-breaks-receiving,2024-25 Q1,41,,,,,,,",
    "short-breaks-receiving,2024-25 Q2, 43 ,E06000001,,,,,provisional,a note",
    "annual-reviews-on-time,2024-25 Q1,,,,,52,64,,",
    ",,,,,,,,,",
]
ROOT = Path(__file__).resolve().parents[2]

CHECK_AND_STORE = """
import sys
from pathlib import Path
from charter import load_charter
from metrics.ingest import check_file, load_file
from metrics.store.queries import series
from metrics.store.connection import Store

charter, store = load_charter(), Store(Path(sys.argv[1]))
with store.connect():
    pass
content = Path(sys.argv[2]).read_bytes()
preview = check_file(store, charter, "r.csv", content, log_as="t")
stored = load_file(store, charter, "r.csv", content, by="t", checked=preview)
assert stored.outcome == "loaded", (stored.summary(), stored.errors)
print("pandas" in sys.modules)
"""


def test_checking_and_storing_a_csv_return_imports_no_pandas(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", CHECK_AND_STORE, str(tmp_path / "s.duckdb"), str(csv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"


def test_a_key_sent_twice_in_an_otherwise_clean_file_is_found(store, charter):
    twice = "short-breaks-receiving,2024-25 Q1,45,,,,,,,"
    content = ("\n".join([HEADER, *ROWS, twice]) + "\n").encode()
    report = check_file(store, charter, "r.csv", content)
    assert report.outcome == "rejected"
    [error] = report.errors
    assert error.row == 6 and "appears more than once (first at row 2)" in error.problem
    stored = load_file(store, charter, "r.csv", content, by="t")
    assert stored.outcome == "rejected" and stored.added == 0


def test_a_clean_file_is_stored_with_its_trimmed_cells_and_worked_out_value(store, charter):
    content = ("\n".join([HEADER, *ROWS]) + "\n").encode()
    report = load_file(store, charter, "r.csv", content, by="t")
    assert report.outcome == "loaded" and report.added == 3, report.errors
    assert "Skipped 1 empty row." in report.notes


def test_a_cell_too_long_is_refused_with_its_row(store, charter):
    """The reader keeps each column as a dictionary of its texts: the row is still the one
    the analyst sees (the header is row 1)."""
    long = "9" * 10_001
    content = (
        "\n".join([HEADER, ROWS[0], f"short-breaks-receiving,2024-25 Q2,{long},,,,,,,"]) + "\n"
    )
    report = check_file(store, charter, "r.csv", content.encode())
    assert report.outcome == "rejected"
    assert "Row 3, column 3 holds 10,001 characters" in report.errors[0].problem


def test_a_cell_too_long_past_a_ragged_row_is_named_by_its_row_in_the_file(store, charter):
    """A row with too many cells (row 3) is skipped; the long cell's row is still the one
    the analyst sees in the file (row 5), not its place among the rows kept."""
    long = "9" * 10_001
    rows = [
        HEADER,
        ROWS[0],
        ROWS[0] + ",extra",
        ROWS[1],
        f"short-breaks-receiving,2024-25 Q2,{long},,,,,,,",
    ]
    report = check_file(store, charter, "r.csv", ("\n".join(rows) + "\n").encode())
    assert report.outcome == "rejected"
    assert "Row 5, column 3 holds 10,001 characters" in report.errors[0].problem


def test_a_key_sent_twice_is_found_when_one_has_spaces_around_it(store, charter):
    """Trimming a column trims its dictionary: ' short-breaks-receiving ' and the same id
    without spaces are one key (the trimmed dictionary holds the text twice)."""
    spaced = "  short-breaks-receiving ,2024-25 Q1,45,,,,,,,"
    content = ("\n".join([HEADER, *ROWS, spaced]) + "\n").encode()
    report = check_file(store, charter, "r.csv", content)
    [error] = report.errors
    assert error.row == 6 and "appears more than once (first at row 2)" in error.problem


def test_a_file_of_new_figures_is_stored_as_a_file_that_revises_some(store, charter):
    """A file whose figures are all new is stored without comparing each with the stored
    ones (commit's all_new): a dash still clears the note, an empty cell still leaves none,
    and a later file that revises one and adds one stores both as before."""
    first = [
        "short-breaks-receiving,2024-25 Q1,41,,,,,,,-",
        "short-breaks-receiving,2024-25 Q2,42,,,,,,,kept",
        "annual-reviews-on-time,2024-25 Q1,,,,,52,64,,",
    ]
    report = load_file(store, charter, "a.csv", "\n".join([HEADER, *first]).encode(), by="t")
    assert report.outcome == "loaded" and report.added == 3
    q1, q2 = series(store, "short-breaks-receiving", "E99000001")
    assert (q1.value, q1.note, q2.value, q2.note) == (41, None, 42, "kept")
    [ratio] = series(store, "annual-reviews-on-time", "E99000001")
    assert (ratio.value, ratio.numerator, ratio.denominator, ratio.note) == (81.3, 52, 64, None)
    second = [
        "short-breaks-receiving,2024-25 Q2,44,,,,,,,",
        "short-breaks-receiving,2024-25 Q3,45,,,,,,,new",
    ]
    again = load_file(
        store, charter, "b.csv", "\n".join([HEADER, *second]).encode(), by="t", reason="fixed"
    )
    assert (again.outcome, again.added, again.revised) == ("loaded", 1, 1)
    q1, q2, q3 = series(store, "short-breaks-receiving", "E99000001")
    assert (q2.value, q2.note, q3.value, q3.note) == (44, "kept", 45, "new")
