"""The self-evaluation draft for the area SEND inspection: every theme with its
cross-referenced statements, measures, commentary, evidence, self-review answers and
actions; the same accessibility and safety checks as meeting packs (tagged PDF in reading
order, the spreadsheet layout, formula-safe cells, escaped HTML); staff only."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date, datetime

import pikepdf
import pytest
from openpyxl import load_workbook

from metrics import evidence, packs as pack
from metrics.access.people import AccessDenied, command_line, demo
from metrics.store.connection import Store
from tests.unit.test_pack import pdf_text, structure

QUARTER = "2026-27 Q2"
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 9, 30)
TYPED = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>'


@pytest.fixture(scope="module")
def draft(demo_copies, charter):
    path = demo_copies.copy()  # a private copy of the demo, on the backend under test
    store = Store(path)
    evidence.add(
        store, charter, demo("analyst"), kind="partner-feedback", source="Schools forum",
        summary=TYPED, on=date(2026, 9, 1), statements=[9], no_personal_data=True, today=TODAY,
    )  # fmt: skip
    return pack.make(
        store, charter, QUARTER, "", pack.FORMATS, command_line("tester"), today=TODAY, now=NOW,
        kind="self-evaluation",
    )  # fmt: skip


def test_every_theme_is_there_with_its_statements(draft, charter):
    built, files = draft
    assert [t.title for t in built.themes] == [t.title for t in charter.inspection]
    html = files["html"].decode()
    text = pdf_text(files["pdf"])
    flat = re.sub(r"\s+", " ", text)
    for theme, made in zip(charter.inspection, built.themes, strict=True):
        assert f'<section id="{theme.id}"><h2>' in html
        rows = [r[0] for r in made.statements.rows]
        assert rows == [f"{n}. {charter.statement(n).short_title}" for n in theme.statements]
        assert made.cross_reference in html.replace("&#x27;", "'")
        assert re.sub(r"\s+", " ", theme.title) in flat
        measures = {r[0] for r in made.indicators.rows}
        wanted = {i.title for n in theme.statements for i in charter.indicators_for(n)}
        assert measures == wanted
    every = set(itertools.chain.from_iterable(t.statements for t in charter.inspection))
    assert every == {s.number for s in charter.statements}  # every statement is in a theme
    # what the demo holds shows up where it belongs
    first = built.themes[0]
    assert any("autism assessment team" in r[3] for r in first.evidence.rows)
    assert first.commentary.rows and all(r[1] for r in first.commentary.rows)
    assert any("front-line practitioners" in r[0] for r in first.self_review.rows)
    assert len(built.leadership.rows) == sum(len(t.every_question()) for t in charter.self_review)
    assert any("lead member" in x for x in built.low)
    assert built.review_point == "30 September 2026 (open)"


def test_the_pdf_is_tagged_and_reads_in_order(draft):
    built, files = draft
    pdf = pikepdf.open(io.BytesIO(files["pdf"]))
    assert str(pdf.Root.Lang) == "en-GB" and bool(pdf.Root.MarkInfo.Marked)
    assert str(pdf.docinfo["/Title"]) == built.title
    kinds = [k for k, _ in structure(pdf.Root.StructTreeRoot, [])]
    assert kinds.count("/H1") == 1 and "/Table" in kinds and "/TH" in kinds
    levels = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    text = pdf_text(files["pdf"])
    order = ["Self-evaluation: 2026-27 Q2", "Contents", "Leadership: the self-review",
             "How statuses are worked out", "Glossary"]  # fmt: skip
    at = [text.rindex(t) for t in order]
    assert at == sorted(at)


def test_the_spreadsheet_follows_the_pack_layout_and_is_formula_safe(draft):
    _, files = draft
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    tables = book.sheetnames[3:]
    assert [t.split("_", 2)[2] for t in tables] == [
        "Statements", "Measures", "Commentary", "Evidence", "Needs_baseline", "Self_review",
        "Actions",
    ]  # fmt: skip
    for name in tables:
        sheet = book[name]
        assert sheet.merged_cells.ranges == set()
        for row in sheet.iter_rows(min_row=4, values_only=True):
            assert all(v not in (None, "") for v in row), (name, row)
    themes = {r[0] for r in book[tables[0]].iter_rows(min_row=4, values_only=True)}
    assert len(themes) == 5
    cells = [str(c.value) for s in book for row in s.iter_rows() for c in row if c.value]
    assert any(t.startswith("'=HYPERLINK(") for t in cells)
    assert not any(t.startswith("=") for t in cells)


def test_what_people_typed_stays_text(draft):
    html = draft[1]["html"].decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_staff_make_it(demo_db, charter):
    with pytest.raises(AccessDenied):
        pack.make(Store(demo_db), charter, QUARTER, "", ("html",), demo("councillor"),
                  kind="self-evaluation")  # fmt: skip
    with pytest.raises(ValueError, match="kind is one of"):
        pack.make(Store(demo_db), charter, QUARTER, "", ("html",), demo("analyst"), kind="x")


def test_commentary_written_for_an_earlier_figure_is_marked(draft, charter):
    """Issue 27 item 23: the demo's commentary is Q1's; at Q2 the latest figures are newer,
    and the draft says so beside the words, as the review does."""
    built, files = draft
    rows = [r for t in built.themes for r in t.commentary.rows]
    header = built.themes[0].commentary.headers
    marked = header.index("Figure it was written for")
    autism = charter.indicators["autism-assessment-median-wait"].title
    [row] = {tuple(r) for r in rows if r[0] == autism}
    assert row[marked].startswith("Written for an earlier figure: 52.7 weeks for 2026-27 Q1;")
    assert "the latest is" in row[marked] and "for 2026-27 Q2" in row[marked]
    assert "Written for an earlier figure" in files["html"].decode()


def test_the_draft_cites_the_needs_baseline(draft):
    built, files = draft
    assert built.needs is not None and built.needs.quarter == QUARTER
    rows = {r[0]: r for r in built.needs.table.rows}
    assert list(rows) == ["North", "South", "East", "West", "Central"]
    assert rows["North"][3] == "0.40" and rows["North"][5] == "yes"
    html = files["html"].decode().replace("&#x27;", "'")
    assert '<section id="needs"><h2>Identifying local need: the baseline by locality</h2>' in html
    assert "About 4 in 10 of the disabled children we would expect in North" in html
    assert "No provider works with Multi-sensory impairment in any locality." in html
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert "Table_5_Needs_baseline" in book.sheetnames
