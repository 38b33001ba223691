"""A pack's "How we compare" section (issue 32): for each measure DfE publishes for every
council, the latest year's ours, England, region, neighbours, rank and band; each over time
(ours, England, the region and the neighbour average) as a chart with its table; a focus chart
of the neighbour group; every council ranked with its quartile band (one spreadsheet sheet for
all); whose neighbours, how old the figures are, and which are the fictional council's, said
every time. The views hold what metrics/publish/compare.py (the indicator page's) holds. On
the demo, both backends."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from openpyxl import load_workbook

from metrics import packs as pack
from metrics.access.people import command_line, demo
from metrics.assess.benchmark import rank_words
from metrics.packs import shape
from metrics.publish import compare
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
    names = [n.split("_", 2)[-1] for n in book.sheetnames]
    assert names[names.index("Benchmarks") + 1] == "All_councils"


def shown(f, total):
    """A council's row as the pack's tables write it (from compare.py's figures)."""
    return [f"{f.name} (ours)" if f.ours else f.name, f.rank and rank_words(f.rank, total, f.tied),
            f.band, "yes" if f.in_region else "no", "yes" if f.neighbour else "no"]  # fmt: skip


def test_each_measure_has_the_indicator_pages_three_views(demo_copies, charter):
    store = Store(demo_copies.copy())
    built, files = made(store, charter)
    views = built.benchmark_views
    assert [v.title for v in views] == [r[0] for r in built.benchmarks.rows]
    for v in views:
        ind = next(i for i in charter.indicators.values() if i.title == v.title)
        found = compare.compared(store, charter, ind)
        total = len(found.councils)
        # over time: ours, England, the region and the neighbour average, each year
        twin = v.over_time.table
        assert twin.headers[:5] == ["Year", "Ours", "England", "Region", "Neighbour average"]
        assert [r[0] for r in twin.rows] == [y.period for y in found.years]
        assert all(r[2] != "[x]" and r[3] != "[x]" and r[4] != "[x]" for r in twin.rows[-1:])
        for label in ("England", "Region", "Neighbours"):  # each line labelled directly
            assert f">{label}</tspan>" in v.over_time.svg
        assert 'stroke-dasharray="2 3"' in v.over_time.svg  # told apart without colour
        assert 'stroke-dasharray="10 3 2 3"' in v.over_time.svg
        assert "neighbour average" in v.over_time.alt
        # the focus chart: the neighbour group, as compare.focus has it, best first
        group = compare.focus(found, "neighbours")
        assert len(group) == 11  # ours and ten statistical neighbours
        rows = v.focus.table.rows
        assert [[r[0], *r[2:]] for r in rows] == [
            [a, b or "[x]", c or "[x]", d, e] for a, b, c, d, e in (shown(f, total) for f in group)
        ]
        names = re.findall(r"<text[^>]*>([^<]*)</text><rect", v.focus.svg)
        assert names == [r[0] for r in rows]
        assert sum("(ours)" in n for n in names) == 1
        assert v.focus.alt.startswith("Bar chart of") and "neighbour group" in v.focus.alt
        assert v.focus.height > 260  # a row a council: every one named
        # every council: rank and quartile band, as compare.all_councils has them
        every = v.councils.rows
        assert len(every) == total > 100
        assert [[r[0], *r[2:]] for r in every] == [
            [a, b or "[x]", c or "[x]", d, e]
            for a, b, c, d, e in (shown(f, total) for f in found.councils)
        ]
        assert sum(r[0].endswith("(ours)") for r in every) == 1
        for t in (v.over_time.table, v.focus.table, v.councils):
            assert "published figures as at 8 April 2026" in t.caption
            assert found.source_words() in t.caption  # which neighbours, how old
    html = files["html"].decode()
    assert html.count("data:image/svg+xml") >= 6
    assert html.count('<div class="compact">') == len(views)
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = next(book[n] for n in book.sheetnames if n.endswith("_All_councils"))
    assert "published figures as at 8 April 2026" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    assert header[:6] == ["Measure", "Year", "Council", "Area code", "Value", "Rank"]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(body) == sum(len(v.councils.rows) for v in views)
    tribunal = [r for r in body if r[0] == views[2].title]
    found = compare.compared(store, charter, charter.indicators[_id(charter, views[2].title)])
    assert [(r[3], r[4], r[5] if r[5] != "[x]" else None, r[7] if r[7] != "[x]" else None)
            for r in tribunal] == [(f.code, f.value, f.rank, f.band)
                                   for f in found.councils]  # fmt: skip
    assert all(isinstance(r[4], float | int) for r in body)  # numbers, not text
    assert not any(
        isinstance(c, str) and c.startswith("=") for row in body for c in row
    )  # never a formula


def _id(charter, title):
    return next(i.id for i in charter.indicators.values() if i.title == title)


def test_the_chair_may_leave_it_out(demo_copies, charter):
    store = Store(demo_copies.copy())
    without = [s for s in shape.DEFAULT if s != "benchmarks"]
    shape.choose(store, demo("chair"), "scrutiny", without, pack.AUDIENCES)
    _, files = made(store, charter, ("html",))
    assert '<section id="benchmarks">' not in files["html"].decode()


def test_a_pack_for_an_earlier_quarter_compares_only_the_years_ended_by_then(demo_copies, charter):
    """As the indicator page: a pack made for 2022-23 Q1 shows no year that ended after it."""
    from metrics.packs.benchmarks import gathered

    store = Store(demo_copies.copy())
    now = {ind.id: found.latest for ind, found in gathered(store, charter, QUARTER)}
    then = {ind.id: f.latest for ind, f in gathered(store, charter, "2022-23 Q1")}
    assert now["send-tribunal-appeal-rate"] == "2024"
    assert then and all(int(p[:4]) <= 2021 for p in then.values()), then


def test_every_measure_compared_at_once_is_each_compared_alone(demo_db, charter):
    """The pack reads every council's figures for every measure at once; what it gets for
    each measure is what the indicator page gets for that measure alone."""
    store = Store(demo_db)
    for quarter in (QUARTER, "2024-25 Q1", None):
        alone = {
            ind.id: found
            for ind in charter.indicators.values()
            if (found := compare.compared(store, charter, ind, quarter)) is not None
        }
        assert len(alone) >= 3
        assert compare.every_compared(store, charter, quarter) == alone


def test_dfe_s_not_applicable_stays_z_in_the_pack_and_on_the_page(store, charter):
    """City of London's 16-17 year olds in education is "-" (does not apply) in LAIT for
    2019 to 2025, stored as z: the pack's table and the page's say [z] (not applicable), not
    [x] (not available); a year with no figure at all stays [x]. Real LAIT extract."""
    import dataclasses

    from charter.lait_models import LAIT_DIR, load_lait_mapping
    from metrics.ingest.published.lait import import_lait
    from metrics.ingest.published.lait_extract import EXTRACT
    from metrics.packs.benchmarks import over_time
    from metrics.packs.glossary import used
    from ui.benchmark_view import over_time_table

    mapping = load_lait_mapping(LAIT_DIR / "sen.yaml", charter)
    assert import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by="t").ok
    london = charter.council.region.model_copy(update={"code": "E12000007", "name": "London"})
    council = charter.council.model_copy(
        update={"code": "E09000001", "name": "City of London", "region": london}
    )
    city = dataclasses.replace(charter, council=council)
    ind = charter.indicators["send-16-17-in-education"]
    found = compare.compared(store, city, ind)
    rows = {r[0]: r for r in over_time(ind, found, "City of London").table.rows}
    assert rows["2017-18"][1] == "100.00%" and rows["2019-20"][1] == "[z]"
    assert rows["2024-25"][1:3] == ["[z]", "87.40%"]
    page = {r["Year"]: r for r in over_time_table(found.years, ind)}
    assert page["2024-25"]["Ours"] == "[z]" and page["2024-25"]["Neighbour average"] != "[x]"
    assert ("[z]", "Not applicable: for example, no aim is set, or a percentage of none "
            "(0 out of 0).") in used("ours [z]")  # fmt: skip
    assert [t for t, _ in used("[low] and [u]")] == ["[low]", "[u]"]
