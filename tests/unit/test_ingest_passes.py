"""The one pass of a clean file and the error pass agree row by row: every row the rules
find wrong (ERRORS) is wrong in the one pass (CLEAN_PASS), and no other row is. The one
pass asks the rules of a look-up's text (an indicator and period, a breakdown and group, an
area) once per distinct text (lookups.flag_lookups), the error pass asks every row: a file
mixing good rows with every kind of mistake, on real DuckDB, shows the two cannot
disagree."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest import passes, read, staged, validate

HEADER = "indicator,period,value,area,breakdown,group,numerator,denominator,status,note"
GOOD = [
    "ehcp-issued-20-weeks,2024-25 Q1,52.0,,,,26,50,,",
    "short-breaks-receiving,2024-25 Q1,431,,,,,,,",
    "ehcp-issued-20-weeks,2024-25 Q1,50.0,,locality,North,5,10,,",
    "ehcp-issued-20-weeks,2024-25 Q1,50.0,E92000001,,,5,10,final,a note",
    "ehcp-issued-20-weeks,2024-25 Q2,x,e92000001,,,,,Provisional,",
]
BAD = [
    "ehcp-issued-20-weekz,2024-25 Q2,50,,,,,,,",  # unknown indicator
    ",2024-25 Q2,50,,,,,,,",  # no indicator
    "ehcp-issued-20-weeks,next quarter,50,,,,,,,",  # a period we cannot read
    "ehcp-issued-20-weeks,,50,,,,,,,",  # no period
    "persistent-absence-ehcp,2024-25 Q1,20,,,,,,,",  # the wrong kind of period
    "ehcp-issued-20-weeks,2024-25 Q3,fifty,,,,,,,",  # not a number
    "ehcp-issued-20-weeks,2024-25 Q3,152,,,,,,,",  # a percentage over 100
    "short-breaks-receiving,2024-25 Q2,3.5,,,,,,,",  # a count with decimals
    "ehcp-issued-20-weeks,2024-25 Q4,,,,,60,50,,",  # numerator over denominator
    "ehcp-issued-20-weeks,2025-26 Q1,,,,,26,,,",  # numerator alone
    "iass-enquiries-5-days,2024-25 Q2,50,,primary_need,Hearing impairment,,,,",
    "ehcp-issued-20-weeks,2024-25 Q2,50,,planet,Mars,,,,",  # unknown breakdown
    "ehcp-issued-20-weeks,2024-25 Q2,50,,locality,Nroth,,,,",  # unknown group
    "ehcp-issued-20-weeks,2024-25 Q2,50,,locality,,,,,",  # a breakdown without a group
    "ehcp-issued-20-weeks,2024-25 Q2,50,,,North,,,,",  # a group without a breakdown
    "ehcp-issued-20-weeks,2024-25 Q2,50,England,,,,,,",  # not a GSS code
    "ehcp-issued-20-weeks,2024-25 Q2,50,E09999999,,,,,,",  # a code we do not know
    "ehcp-issued-20-weeks,2024-25 Q2,50,,,,,,maybe,",  # unknown status
]


def test_the_one_pass_finds_wrong_exactly_the_rows_the_rules_name(charter):
    lines = [HEADER, *GOOD, *BAD, *GOOD[:1]]  # the good first row repeated at the end
    raw = read.read_csv(("\n".join(lines) + "\n").encode())
    con = duckdb.connect()  # what validate_file does, keeping the tables to ask again
    result = validate.validate(raw, charter, con, date(2026, 11, 1))
    assert not result.ok
    named = {r[0] for r in con.execute("SELECT DISTINCT row_no FROM found").fetchall()}
    wrong = {
        r[0]
        for r in con.execute(f"SELECT row_no FROM ({passes.CLEAN_PASS}) WHERE wrong").fetchall()
    }
    first_bad = 2 + len(GOOD)  # row 1 is the header
    assert wrong == set(range(first_bad, first_bad + len(BAD)))
    # the repeated row is found by its own rule (REPEATED), not the one pass
    assert named == wrong | {first_bad + len(BAD)}


def test_a_look_up_flags_each_distinct_text_once(charter):
    lines = [HEADER, *GOOD, *BAD]
    raw = read.read_csv(("\n".join(lines) + "\n").encode())
    con = duckdb.connect()
    validate.validate(raw, charter, con, date(2026, 11, 1))
    flagged = dict(con.execute("SELECT area_text, wrong_area FROM amap").fetchall())
    assert flagged == {"": False, "E92000001": False, "e92000001": False, "England": True,
                       "E09999999": True}  # fmt: skip


def test_a_large_file_s_rows_are_kept_dictionary_encoded_and_a_small_one_s_as_they_came(
    charter, tmp_path
):
    """The rows kept from the check until the store: a large file's text as dictionaries
    (a 50 MB return's rows, 78 MB as plain text, 28 MB so), a small file's as DuckDB gave
    them (encoding was a fifth of its pass); both store the same."""
    from bench.ingest import make_return

    path = make_return(charter, tmp_path / "large.csv", rows=staged.PLAIN_ROWS + 10)
    large = validate.validate_file(read.read_csv(path.read_bytes()), charter)
    assert large.staged is not None and large.staged.num_rows == staged.PLAIN_ROWS + 10
    assert pa.types.is_dictionary(large.staged.schema.field("indicator_id").type)
    small = validate.validate_file(
        read.read_csv(b"\n".join(path.read_bytes().split(b"\n")[:50])), charter
    )
    assert small.staged is not None and small.staged.num_rows == 49
    assert pa.types.is_string(small.staged.schema.field("indicator_id").type)
    # the same rows, stored the same (in row order: DuckDB's threads keep no order)
    first = large.staged.filter(pc.less(large.staged["row_no"], 51)).sort_by("row_no")
    assert small.staged.sort_by("row_no").to_pylist() == first.to_pylist()
