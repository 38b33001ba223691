"""The needs and finance returns checked without storing (the upload page's step before the
store button), and their blank templates, whose example rows pass the same checks."""

from __future__ import annotations

import csv
import io
from datetime import date

from metrics.ingest.needs import (
    FINANCE_COLUMNS,
    NEEDS_COLUMNS,
    load_finance_return,
    load_needs_return,
)
from metrics.ingest.needs_template import finance_template, needs_template
from metrics.store import needs as stored
from metrics.store.queries import uploads

HEADER = b"quarter,source,month,locality,need,children\n"
GOOD = HEADER + b"2026-27 Q2,register,Sep 2026,North,Hearing impairment,4\n"
BAD = HEADER + b"2026-27 Q2,register,Sep 2026,Uplands,Hearing impairment,-3\n"


def test_a_dry_run_checks_and_previews_but_stores_and_logs_nothing(store, charter):
    report = load_needs_return(store, charter, "good.csv", GOOD, "Ann", dry_run=True)
    assert report.ok and report.outcome == "checked" and report.upload_id is None
    assert report.figures == [
        ("2026-27 Q2", "register", "Sep 2026", "North", "Hearing impairment", 4)
    ]
    assert "nothing is stored yet" in report.message
    with store.connect() as con:
        assert stored.counts(con) == []
    assert uploads(store) == []
    stored_report = load_needs_return(store, charter, "good.csv", GOOD, "Ann")
    assert stored_report.outcome == "loaded" and stored_report.figures == report.figures
    with store.connect() as con:
        assert len(stored.counts(con)) == 1


def test_a_dry_run_of_a_bad_file_is_refused_and_logged_like_a_check(store, charter):
    report = load_needs_return(store, charter, "bad.csv", BAD, "Ann", dry_run=True)
    assert not report.ok
    said = [e.as_text() for e in report.errors]
    assert any(s.startswith("Row 2, column locality") for s in said)
    assert any(s.startswith("Row 2, column children") for s in said)
    assert [u["outcome"] for u in uploads(store)] == ["rejected"]
    with store.connect() as con:
        assert stored.counts(con) == []


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_the_templates_example_rows_pass_the_returns_own_checks(store, charter):
    today = date(2026, 12, 2)
    needs = needs_template(charter, today)
    assert _rows(needs) == [
        list(NEEDS_COLUMNS),
        ["2026-27 Q2", "register", "Sep 2026", "North", "Autistic spectrum disorder", "0"],
    ]
    assert load_needs_return(store, charter, "n.csv", needs, "Ann", dry_run=True).ok
    finance = finance_template(charter, today)
    assert _rows(finance) == [list(FINANCE_COLUMNS), ["2025-26", "short-breaks", "0", ""]]
    assert load_finance_return(store, charter, "f.csv", finance, "Ann", dry_run=True).ok


def test_a_quarter_or_year_not_begun_or_before_the_earliest_year_is_refused(store, charter):
    """A needs row for 2030-31 Q1 and finance years 2035-36 and 1900-01 were stored, and
    became every page's 'latest' (found by a new user's review of the command line)."""
    future = HEADER + b"2030-31 Q1,register,Jun 2030,North,Hearing impairment,4\n"
    report = load_needs_return(store, charter, "n.csv", future, "Ann", dry_run=True)
    said = " ".join(e.as_text() for e in report.errors)
    assert not report.ok and "2030-31 Q1 has not begun" in said and "Jun 2030 has not" in said
    for year in (b"2035-36", b"1900-01"):
        money = b"year,service,spend,children\n" + year + b",short-breaks,1000,\n"
        report = load_finance_return(store, charter, "f.csv", money, "Ann", dry_run=True)
        said = " ".join(e.as_text() for e in report.errors)
        assert not report.ok and ("has not begun" in said or "earliest year" in said), said
    assert date.today() > date(2026, 9, 30)  # GOOD's quarter and month have begun
    assert load_needs_return(store, charter, "g.csv", GOOD, "Ann", dry_run=True).ok
