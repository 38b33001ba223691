"""Nothing a user supplies runs on someone else's machine (issue #9, item 3): every CSV/XLSX
written is formula-safe, and user text is escaped for Markdown and for Plotly."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from metrics.ingest import load_file
from metrics.ingest.template import template_rows, to_csv, to_xlsx
from metrics.publish.escape import WORD_JOINER, chart_text, download_name, markdown
from metrics.publish.tables import csv_bytes, safe_cell
from tests.conftest import ROOT

HOSTILE = [
    '=HYPERLINK("https://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_is_made_inert(text):
    assert safe_cell(text) == "'" + text
    rows = list(csv.reader(io.StringIO(csv_bytes([{"cell": text}]).decode(), newline="")))
    assert rows[1][0] == "'" + text


@pytest.mark.parametrize("value", [-5, 4.5, "-5", "+1.5", "-0.25", "45%", "", None, "North"])
def test_numbers_and_plain_text_are_unchanged(value):
    expected = "" if value is None else value
    assert safe_cell(value) == expected


def test_the_error_csv_of_a_hostile_file_is_inert(store, charter):
    """Rejected rows echo what was typed; the error CSV must not hand it back as a formula."""
    from ui.charts import to_csv as chart_csv  # the writer every download button uses

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "period", "value"])
    writer.writerows(
        ["ehcp-issued-20-weeks", f"2023-24 Q{q}", t] for q, t in enumerate(HOSTILE[:4], 1)
    )
    report = load_file(store, charter, "bad.csv", out.getvalue().encode(), by="t")
    rows = [{"Value": e.value, "Problem": e.problem} for e in report.errors]
    assert len(rows) == 4
    text = chart_csv(rows).decode()
    cells = [r["Value"] for r in csv.DictReader(io.StringIO(text))]
    assert cells and all(c.startswith("'") for c in cells), cells
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_template_is_formula_safe(charter):
    from metrics.periods.text import parse_period

    rows = template_rows(charter, parse_period("2025-26 Q1"))
    rows[0]["note"] = "=1+1"
    text = to_csv(rows).decode()
    assert "\r\n" in text and ",'=1+1\r\n" in text
    book = load_workbook(io.BytesIO(to_xlsx(charter, rows)))
    assert book["Return"]["J2"].value == "'=1+1"


def test_the_series_command_writes_safe_csv(tmp_path, charter):
    db = tmp_path / "o.duckdb"
    content = "indicator,period,value,note\nshort-breaks-receiving,2023-24 Q1,5,=1+1\n"
    (tmp_path / "r.csv").write_text(content)
    run = [sys.executable, "-m", "metrics"]
    subprocess.run([*run, "load", str(tmp_path / "r.csv"), "--db", str(db)], cwd=ROOT, check=True)
    out = subprocess.run(
        [*run, "series", "--indicator", "short-breaks-receiving", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.splitlines()[1] == "2023-24 Q1,5,,,,final"


@pytest.mark.parametrize(
    "text",
    [
        "[sign in again](https://evil.example/sso)",
        "![x](https://evil.example/p.png)",
        "<a href='https://evil.example'>x</a>",
        "https://evil.example/sso",
        "$\\frac{1}{2}$ :red[alarm] **bold** `code`",
        "line one\nline two",
    ],
)
def test_markdown_escaping_leaves_nothing_to_render(text):
    escaped = markdown(text)
    # every punctuation mark is escaped, so no Markdown, maths, directive or link can form
    assert not re.search(r"(?<!\\)[\[\]()<>$*`:!]", escaped)
    assert "\n" not in escaped
    # no bare address for GFM's autolinks, which act after escapes are resolved
    assert "https\\:" not in escaped and "https" not in escaped.replace("https" + WORD_JOINER, "")
    shown = re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "")
    assert shown == " ".join(text.split())


def test_chart_text_shows_tags_as_text():
    assert (
        chart_text("<a href='x'>Evil</a> & co")
        == "&lt;a href=&#x27;x&#x27;&gt;Evil&lt;/a&gt; &amp; co"
    )


def test_download_names_are_plain():
    assert (
        download_name("[sign in](https://evil.example/sso).csv")
        == "sign_in_https_evil.example_sso_.csv"
    )
    assert download_name("///") == "file"
