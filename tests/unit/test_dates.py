"""Dates are written the UK way everywhere, by one helper: "2 December 2026" in text,
02/12/2026 in forms; no page's date picker reads the American or ISO order."""

from __future__ import annotations

import ast
from datetime import date, datetime

from metrics.dates import FORM_FORMAT, date_time, form_date, long_date, short_date
from tests.conftest import ROOT


def test_dates_in_text_and_forms_are_written_the_uk_way():
    d = date(2026, 12, 2)
    assert long_date(d) == "2 December 2026"  # no leading zero, month in words
    assert short_date(d) == "2 Dec 2026"
    assert form_date(d) == "02/12/2026"
    assert date_time(datetime(2026, 12, 2, 9, 5)) == "2 December 2026, 09:05"
    assert FORM_FORMAT == "DD/MM/YYYY"


def _calls(name: str):
    for path in [*ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == name:
                yield path, node


def test_every_date_picker_reads_day_month_year():
    pickers = list(_calls("date_input"))
    assert len(pickers) >= 5  # actions, evidence, meeting date, self-review, audit
    for path, call in pickers:
        given = {k.arg: k.value for k in call.keywords}
        assert "format" in given, f"{path.name}:{call.lineno}: st.date_input without format="
        assert ast.unparse(given["format"]) == "FORM_FORMAT", f"{path.name}:{call.lineno}"


def test_no_page_formats_a_date_itself():
    """strftime patterns with a zero-padded day or the ISO order belong in metrics/dates.py."""
    for folder in ("ui", "pages", "metrics/publish", "metrics/review"):
        for path in ROOT.glob(f"{folder}/**/*.py"):
            text = path.read_text()
            for pattern in ("%d %B", "%d %b", "%Y-%m-%d", "%-d %B", "%-d %b"):
                assert pattern not in text, f"{path.relative_to(ROOT)} formats a date: {pattern}"


def test_the_audit_history_says_dates_the_uk_way(demo_store, charter):
    from datetime import timedelta

    from metrics.access import MEMBER, Actor, audit, command_line
    from metrics.review import actions

    due = date.today() + timedelta(days=30)
    meg = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
    actions.add(demo_store, charter, meg, title="Recruit", owner="designated-clinical-officer",
                due=due, quarter="2026-27 Q2", statement=5)  # fmt: skip
    row = audit.entries(demo_store, command_line())[0]
    assert row.kind == "action added"
    assert f"due {long_date(due)}," in row.summary and due.isoformat() not in row.summary
