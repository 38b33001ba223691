"""The return template: rows for every indicator, and a filled template loads."""

from __future__ import annotations

from datetime import date

from metrics.ingest import load_file
from metrics.ingest.source import COLUMNS
from metrics.ingest.template import (
    latest_complete_quarter,
    period_for,
    template_rows,
    to_csv,
    to_xlsx,
)
from metrics.periods.text import parse_period


def test_latest_complete_quarter():
    assert latest_complete_quarter(date(2026, 11, 26)).label == "2026-27 Q2"
    assert latest_complete_quarter(date(2026, 4, 1)).label == "2025-26 Q4"


def test_annual_and_termly_indicators_get_the_last_ended_period(charter):
    q = parse_period("2026-27 Q2")  # ends 30 Sep 2026
    assert period_for(charter.indicators["active-ehc-plans"], q).label == "2025"
    assert period_for(charter.indicators["ehcp-mainstream"], q).label == "2025/26"
    assert period_for(charter.indicators["short-breaks-satisfaction"], q).label == "2025-26"
    assert (
        period_for(charter.indicators["persistent-absence-ehcp"], q).label == "2025/26 Summer term"
    )


def test_rows_cover_every_indicator_and_group(charter):
    rows = template_rows(charter, parse_period("2026-27 Q2"))
    assert {r["indicator"] for r in rows} == set(charter.indicators)
    expected = sum(
        1 + sum(len(charter.breakdowns[d].groups) for d in i.breakdowns)
        for i in charter.indicators.values()
    )
    assert len(rows) == expected
    assert to_csv(rows).decode().splitlines()[0] == ",".join(COLUMNS)


def test_filled_csv_template_loads(store, charter):
    rows = template_rows(charter, parse_period("2026-27 Q2"))
    for row in rows:
        row["value"] = "x"  # every figure "not available": valid, and keeps the test simple
    report = load_file(store, charter, "t.csv", to_csv(rows), by="t")
    assert report.outcome == "loaded" and report.added == len(rows), report.errors[:3]


def test_xlsx_template_has_guidance_and_reads_back(store, charter):
    rows = template_rows(charter, parse_period("2026-27 Q2"))
    content = to_xlsx(charter, rows)
    report = load_file(store, charter, "t.xlsx", content, by="t")
    # Unfilled, every row is a template row left as it came: skipped with one note, and the
    # file as a whole has no figures (never one error per row).
    assert report.outcome == "rejected" and len(report.errors) == 1
    assert "no figures" in report.errors[0].problem
    assert f"{len(rows):,} template rows left empty" in " ".join(report.notes)
    assert report.sheet == "Return"
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["Return", "Indicators", "Breakdowns", "Guidance"]
