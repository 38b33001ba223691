"""A pack's "How we compare" section (issue 32): for each measure DfE publishes for every
council, the latest year's ours, England, region, neighbours, rank and band, and each over
time as a chart with its table; whose neighbours, how old the figures are, and which are the
fictional council's, said every time. On the demo, both backends."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from metrics import packs as pack
from metrics.access.people import command_line, demo
from metrics.packs import shape
from metrics.store.connection import Store

QUARTER = "2026-27 Q2"


def made(store, charter, formats=("html", "xlsx")):
    return pack.make(
        store, charter, QUARTER, "scrutiny", formats, command_line("tester"),
        today=date(2026, 11, 26), now=datetime(2026, 11, 26, 9, 30),
    )  # fmt: skip


def test_the_pack_compares_with_every_council(demo_copies, charter):
    store = Store(demo_copies.copy())
    built, files = made(store, charter)
    t = built.benchmarks
    assert t is not None and [r[0] for r in t.rows] == [
        "EHC plans issued within 20 weeks (excluding exceptions)",
        "16-17 year olds with SEND in education or training",
        "SEND tribunal appeals per 1,000 appealable decisions",
    ]
    tribunal = t.rows[2]
    assert tribunal[1:] == ["2024", "14.7 per 1,000", "32.0 per 1,000", "21.4 per 1,000",
                            "31.4 per 1,000", "30th of 154", "A"]  # fmt: skip
    assert "published figures as at 8 April 2026" in t.caption
    assert "Wrenfield Council (demo) is fictional" in t.caption
    assert len(built.benchmark_charts) == 3
    assert all(c.alt.startswith("Line chart of") and c.table.rows for c in built.benchmark_charts)
    html = files["html"].decode()
    assert '<section id="benchmarks">' in html and html.count("data:image/svg+xml") >= 3
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[-1].endswith("_Benchmarks")


def test_the_chair_may_leave_it_out(demo_copies, charter):
    store = Store(demo_copies.copy())
    without = [s for s in shape.DEFAULT if s != "benchmarks"]
    shape.choose(store, demo("chair"), "scrutiny", without, pack.AUDIENCES)
    _, files = made(store, charter, ("html",))
    assert '<section id="benchmarks">' not in files["html"].decode()
