"""Blank templates of the needs and finance returns (metrics/ingest/needs.py): the header
row and one example row built from charter/needs.yaml (its first caseload source, locality,
primary need and service), written by the one CSV writer, so every cell is inert in a
spreadsheet. The example's count and spend are zero: a filled-in figure never ships."""

from __future__ import annotations

from datetime import date

from charter import Charter
from charter.needs import NeedsFile
from metrics.ingest.needs import FINANCE_COLUMNS, NEEDS_COLUMNS, NeedsReturnError
from metrics.periods.model import Period, PeriodKind
from metrics.publish.tables import csv_bytes


def _needs(charter: Charter) -> NeedsFile:
    if charter.needs is None:
        raise NeedsReturnError("There is no charter/needs.yaml to make a return's template from.")
    return charter.needs


def needs_example(charter: Charter, today: date | None = None) -> dict[str, str]:
    """One needs-return row: the last quarter that has ended, as at its last month."""
    needs = _needs(charter)
    quarter = Period.containing(today or date.today(), PeriodKind.FY_QUARTER).previous()
    source = next((k for k, s in needs.sources.items() if s.kind == "caseload"), "")
    need = next(iter(charter.breakdowns["primary_need"].groups), "")
    return {
        "quarter": quarter.label,
        "source": source,
        "month": f"{quarter.end:%b %Y}",
        "locality": next(iter(needs.localities)),
        "need": need,
        "children": "0",
    }


def finance_example(charter: Charter, today: date | None = None) -> dict[str, str]:
    """One finance-return row: the last financial year that has ended."""
    needs = _needs(charter)
    year = Period.containing(today or date.today(), PeriodKind.FINANCIAL_YEAR).previous()
    service = next(iter(needs.services), "")
    return {"year": year.label, "service": service, "spend": "0", "children": ""}


def needs_template(charter: Charter, today: date | None = None) -> bytes:
    return csv_bytes([needs_example(charter, today)], NEEDS_COLUMNS)


def finance_template(charter: Charter, today: date | None = None) -> bytes:
    return csv_bytes([finance_example(charter, today)], FINANCE_COLUMNS)
