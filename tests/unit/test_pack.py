"""Meeting packs on the demo database: the PDF is tagged (structure tree, marked, title,
language, alt text on every figure, text in reading order, A4 with a footer, charts drawn as
vectors); the XLSX follows the Analysis Function's layout with no merged cells and inert
formulas; published packs withhold small numbers that the internal pack marks; and every
abbreviation a pack uses is in its glossary."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date, datetime

import pikepdf
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from metrics import packs as pack
from metrics.access.people import AccessDenied, command_line, demo
from metrics.ingest import load_file
from metrics.packs.glossary import TERMS, abbreviations
from metrics.review import actions
from metrics.scrutiny import questions
from metrics.store.connection import Store

QUARTER = "2026-27 Q2"
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 9, 30)
SMALL = "short-breaks-receiving"  # a count, at risk at Q2: an exception with a chart


def made(store: Store, charter, audience: str, formats=pack.FORMATS):
    return pack.make(
        store, charter, QUARTER, audience, formats, command_line("tester"), today=TODAY, now=NOW
    )


@pytest.fixture(scope="module")
def store(demo_copies, charter) -> Store:
    """The demo with a small count among an exception's figures, a member's question whose
    text looks like a formula, and an action titled like one."""
    path = demo_copies.copy()  # a private copy of the demo, on the backend under test
    s = Store(path)
    csv = f"indicator,period,value\n{SMALL},2025-26 Q1,4\n".encode()
    report = load_file(
        s, charter, "small.csv", csv, by="tester", reason="corrected count", confirmed=True
    )
    assert report.outcome == "loaded", report.errors
    q = questions.ask(s, charter, demo("councillor"), QUARTER, f"indicator:{SMALL}",
                      "=HYPERLINK(\"http://evil.example\",\"Click\")")  # fmt: skip
    questions.reply(s, demo("analyst"), q, questions.ANSWER, "@SUM(1+1) is not a formula here")
    actions.add(
        s, charter, demo("chair"), title="+cmd|' /C calc'!A0", owner="head-of-send",
        due=date(2027, 3, 31), quarter=QUARTER, indicators=[SMALL], today=TODAY,
    )  # fmt: skip
    return s


@pytest.fixture(scope="module")
def scrutiny_pack(store, charter):
    return made(store, charter, pack.SCRUTINY)


@pytest.fixture(scope="module")
def internal_pack(store, charter):
    return made(store, charter, pack.PLANNING_GROUP, ("html",))


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def structure(node, out):
    """The structure tree's elements in document order: (type, alt text)."""
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            out.append((str(node.S), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if kids is not None:
            structure(kids, out)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            structure(kid, out)
    return out


def test_the_pdf_is_tagged_titled_and_in_english(scrutiny_pack):
    built, files = scrutiny_pack
    pdf = pikepdf.open(io.BytesIO(files["pdf"]))
    assert str(pdf.Root.Lang) == "en-GB"
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.docinfo["/Title"]) == built.title
    assert bool(pdf.Root.ViewerPreferences.get("/DisplayDocTitle"))
    with pdf.open_metadata() as xmp:
        assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"
    tree = structure(pdf.Root.StructTreeRoot, [])
    kinds = [k for k, _ in tree]
    assert kinds.count("/H1") == 1 and "/Table" in kinds and "/TH" in kinds
    figures = [alt for k, alt in tree if k == "/Figure"]
    charts = [e.chart for e in built.exceptions if e.chart is not None]
    compared = [c for v in built.benchmark_views for c in (v.over_time, v.focus)]
    assert len(figures) == len(charts) + len(compared) and charts and compared
    assert figures == [c.alt for c in [*charts, *compared]]  # each with its own alt text
    assert all(alt.startswith(("Line chart of ", "Bar chart of ")) for alt in figures)
    headings = [k for k in kinds if re.fullmatch(r"/H[1-6]", k)]
    levels = [int(h[2]) for h in headings]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # none skipped


def test_the_pdf_reads_in_order_on_a4_with_the_quarter_and_page_in_the_footer(scrutiny_pack):
    built, files = scrutiny_pack
    reader = PdfReader(io.BytesIO(files["pdf"]))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    first = reader.pages[0].extract_text()
    order = ["Disabled children's charter: 2026-27 Q2", "For overview and scrutiny", "Contents",
             "How we are doing: the 12 charter statements"]  # fmt: skip
    positions = [first.index(t) for t in order]
    assert positions == sorted(positions)
    pages = len(reader.pages)
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last and f"{built.council}, {QUARTER}" in last
    text = pdf_text(files["pdf"])
    sections = ["Measures needing attention", "Actions due and overdue", "Every measure",
                "Members' questions", "Data quality", "Glossary"]  # fmt: skip
    at = [text.index(f"\n{s}\n") for s in sections]
    assert at == sorted(at)


def test_charts_are_vector_drawings_not_pictures(scrutiny_pack):
    _, files = scrutiny_pack
    pdf = pikepdf.open(io.BytesIO(files["pdf"]))
    images = [name for page in pdf.pages for name in page.get_images()]  # nested ones too
    assert images == []
    assert b"<svg" not in files["pdf"]  # drawn, not embedded as an SVG file


def test_the_published_pack_withholds_the_small_count_and_the_internal_one_marks_it(
    scrutiny_pack, internal_pack
):
    public_html = scrutiny_pack[1]["html"].decode()
    internal_html = internal_pack[1]["html"].decode()
    row = re.compile(r"<tr><th scope=\"row\">2025-26 Q1</th><td>([^<]*)</td>")
    public_rows = row.findall(public_html)
    assert "[c]" in public_rows and "4" not in public_rows
    assert "4" in row.findall(internal_html)
    assert "not for publication" in internal_html
    assert "not for publication" not in public_html
    text = pdf_text(scrutiny_pack[1]["pdf"])
    assert "counts from 1 to 5 are not published" in " ".join(text.split())


def test_every_abbreviation_in_a_pack_is_in_its_glossary(scrutiny_pack, internal_pack):
    for built, files in (scrutiny_pack, internal_pack):
        page = re.sub(r"<style>.*?</style>", " ", files["html"].decode(), flags=re.S)
        body = re.sub(r"<[^>]+>", " ", page)
        body = body.split("Glossary")[0]
        missing = abbreviations(body) - set(TERMS)
        assert missing == set(), missing
        terms = [t for t, _ in built.glossary]
        assert "[c]" in terms and "SEND" in terms and "Q2" in terms


def test_the_spreadsheet_follows_the_analysis_functions_layout(scrutiny_pack):
    _, files = scrutiny_pack
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    tables = book.sheetnames[3:]
    assert tables and all(name.startswith("Table_") for name in tables)
    listed = [r[0] for r in book["Contents"].iter_rows(min_row=3, values_only=True)]
    assert listed == ["Notes", *tables]
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.merged_cells.ranges == set(), name
    for name in tables:
        sheet = book[name]
        assert str(sheet["A1"].value).startswith("Table ")
        header = [c.value for c in sheet[3]]
        assert all(isinstance(h, str) and h for h in header), (name, header)
        for row in sheet.iter_rows(min_row=4, values_only=True):
            assert all(v not in (None, "") for v in row), (name, row)  # no blank cells
    figures = book["Table_2_Figures"]
    values = [r[3] for r in figures.iter_rows(min_row=4, values_only=True)]
    assert any(isinstance(v, float | int) for v in values)  # numbers stay numbers


def test_spreadsheet_text_that_looks_like_a_formula_cannot_run(scrutiny_pack):
    _, files = scrutiny_pack
    book = load_workbook(io.BytesIO(files["xlsx"]))
    cells = [c for s in book for row in s.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = [str(c.value) for c in cells]
    assert any(t.startswith("'=HYPERLINK(") for t in texts)
    assert any(t.startswith("'+cmd|") for t in texts)
    assert not any(t.startswith(("=", "+", "@", "-")) and not re.fullmatch(r"-?[\d.]+", t)
                   for t in texts)  # fmt: skip


def test_the_html_escapes_what_people_typed(scrutiny_pack):
    html = scrutiny_pack[1]["html"].decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html
    assert "<script" not in html


def test_a_councillor_cannot_make_the_internal_pack(store, charter):
    with pytest.raises(AccessDenied):
        pack.make(store, charter, QUARTER, pack.PLANNING_GROUP, ("html",), demo("councillor"))
    built, _ = pack.make(store, charter, QUARTER, pack.SCRUTINY, ("html",), demo("councillor"))
    assert built.public


def test_packs_say_how_far_to_trust_the_figures(scrutiny_pack):
    """Partners' returns and each doubtful measure's data-quality rating (issue 15), in the
    data quality section and beside each exception."""
    built, files = scrutiny_pack
    notes = " ".join(built.quality)
    assert "Brightside Short Breaks (charity): 1 of 1 returns received, 1 late, 0 overdue." in notes
    poor = next(n for n in built.quality if n.startswith("Data quality poor: "))
    assert "Median wait for speech and language therapy (Wrenfield Community Health" in poor
    short = next(e for e in built.exceptions if "receiving short breaks" in e.title.lower())
    assert short.data_quality.startswith("Data quality: some concerns (Brightside Short Breaks")
    assert "Brightside Short Breaks (charity)&#x27;s return came" in files["html"].decode() or (
        "Brightside Short Breaks (charity)'s return came" in files["html"].decode()
    )


def test_packs_carry_what_families_and_staff_tell_us(scrutiny_pack, internal_pack):
    for built, files in (scrutiny_pack, internal_pack):
        rows = built.evidence.rows
        sources = [r[3] for r in rows]
        assert "Director's visit to the autism assessment team" in sources
        assert "Parent carer forum short breaks survey 2024" not in sources  # over a year old
        survey = next(r for r in rows if r[3] == "Parent carer forum mid-year survey 2026")
        assert survey[5].endswith("55% of 164 agreed.")
        assert '<section id="evidence"><h2>What families and front-line staff tell us' in (
            files["html"].decode()
        )


def test_the_scorecard_is_in_every_format_of_the_pack(scrutiny_pack, internal_pack):
    built, files = scrutiny_pack
    assert built.scorecard is not None
    assert built.scorecard.headers[-1] == QUARTER and len(built.scorecard.headers) == 4 + 6
    cells = [c for row in built.scorecard.rows for c in row[4:]]
    assert "Withheld" in cells  # a published pack withholds small numbers here too
    assert any(c.startswith("Off track: ") for c in cells)
    html = files["html"].decode()
    assert '<section id="scorecard">' in html and 'href="#scorecard"' in html
    assert "Scorecard: every measure over the last quarters" in pdf_text(files["pdf"])
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = next(book[n] for n in book.sheetnames if n.endswith("_Scorecard"))
    assert sheet["A3"].value == "Measure" and sheet.max_row == 3 + len(built.scorecard.rows)
    internal, _ = internal_pack
    assert internal.scorecard is not None
    assert "Withheld" not in [c for row in internal.scorecard.rows for c in row[4:]]


def test_each_measure_needing_attention_says_where_it_is_heading_as_a_projection(scrutiny_pack):
    built, files = scrutiny_pack
    assert built.exceptions and all(e.heading for e in built.exceptions)
    projected = [e for e in built.exceptions if e.projection is not None]
    assert projected  # the demo's quarterly exceptions have 16 figures: enough
    for e in projected:
        assert e.heading.startswith("On the current course, about ")
        assert "This is a projection, not a figure." in e.heading and "rolling origin" in e.heading
        assert {row[1] for row in e.projection.rows} == {"Projection"}
        assert "projection" in e.projection.caption
    html = files["html"].decode()
    assert html.count("Where it is heading (a projection)") == len(built.exceptions)
    assert "Where it is heading (a projection)" in pdf_text(files["pdf"])
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = next(book[n] for n in book.sheetnames if n.endswith("_Exceptions"))
    header = [c.value for c in sheet[3]]
    assert header[-1] == "Where it is heading (projection)"
    cells = [row[-1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert any(str(c).startswith("On the current course") for c in cells)


def cells(node, out, seen):
    """The structure tree's table cells: (type, ID, the IDs of the headers it names)."""
    if isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        seen.add(node.objgen)
        if str(node.get("/S", "")) in ("/TH", "/TD"):
            named = node.A.get("/Headers", []) if "/A" in node else []
            out.append((str(node.S), str(node.get("/ID", "")), [str(h) for h in named]))
        if (kids := node.get("/K")) is not None:
            cells(kids, out, seen)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            cells(kid, out, seen)
    return out


def test_every_header_cell_says_what_it_heads_in_the_html_and_the_pdf(scrutiny_pack):
    """Column headers scope="col", a first column heading its row scope="row"; the tagged
    PDF ties each data cell to its headers by their IDs (PDF/UA-1's Headers attribute)."""
    _, files = scrutiny_pack
    heads = re.findall(r"<th(?:\s[^>]*)?>", files["html"].decode())
    assert heads and all(re.fullmatch(r'<th scope="(col|row)">', h) for h in heads)
    assert '<th scope="row">' in heads
    pdf = pikepdf.open(io.BytesIO(files["pdf"]))
    found = cells(pdf.Root.StructTreeRoot, [], set())
    ids = {ident for kind, ident, _ in found if kind == "/TH"}
    data = [named for kind, _, named in found if kind == "/TD"]
    assert len(ids) == sum(kind == "/TH" for kind, _, _ in found) and data
    assert all(named and set(named) <= ids for named in data)
