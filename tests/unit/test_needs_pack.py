"""Meeting packs cite the needs baseline (issue 33): a section in the HTML (and so the PDF)
and a sheet, for both audiences; a scrutiny pack's counts are as they would be published."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from metrics import packs as pack
from metrics.access.people import command_line, demo

QUARTER = "2026-27 Q2"


def test_packs_cite_the_needs_baseline(demo_store, charter):
    made, files = pack.make(
        demo_store, charter, QUARTER, pack.SCRUTINY, ("html", "xlsx"), demo("councillor"),
        today=date(2026, 11, 26), now=datetime(2026, 11, 26, 9),
    )  # fmt: skip
    assert made.needs is not None and made.needs.quarter == QUARTER
    html = files["html"].decode().replace("&#x27;", "'")
    assert '<section id="needs"><h2>Identifying local need: the baseline by locality</h2>' in html
    assert "About 4 in 10 of the disabled children we would expect in North" in html
    assert "exact Poisson interval" in html
    sheets = load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert sheets[-1].endswith("_Needs")
    staff, _ = pack.make(
        demo_store, charter, QUARTER, pack.PLANNING_GROUP, ("html",), command_line("tester"),
        today=date(2026, 11, 26), now=datetime(2026, 11, 26, 9),
    )  # fmt: skip
    assert staff.needs is not None
    assert [r[0] for r in staff.needs.table.rows] == ["North", "South", "East", "West", "Central"]
