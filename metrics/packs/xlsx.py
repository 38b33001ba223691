"""A pack as a spreadsheet, following the UK Analysis Function's guidance for releasing
statistics in spreadsheets: a cover sheet, a contents sheet, a notes sheet, then one table per
sheet with its title in A1, a header row and nothing else below; no merged cells, no blank
cells in a table (shorthand in square brackets instead), numbers as numbers, every text cell
formula-safe (metrics/publish/tables.py)."""

from __future__ import annotations

import io
import math
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from metrics.dates import date_time, long_date
from metrics.packs.content import AUDIENCE_WORDS, Pack
from metrics.packs.sections import Table, scorecard as scorecard_table
from metrics.publish.tables import safe_row
from metrics.scrutiny.scorecard import Scorecard
from metrics.words.symbols import symbols_in_words

WIDE, NARROW = 60, 16
# Written with XlsxWriter, which writes each cell's XML as it is given, its style an index
# into formats made once: openpyxl built an object per cell and hashed a style for each
# (~1.3 s of a pack's ~6,000 cells, issue 34).
OPTIONS = {  # every text cell is written as text, never a formula, link or number
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class _Styles:
    """The workbook's three styles, made once: a title, a header, wrapped text."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})


def _write(sheet: Worksheet, row: int, values: list[Any], style: Format | None = None) -> None:
    """One row of cells from column A, `values` already formula-safe (`safe_row`): text as
    text (XlsxWriter's `write_string`, never a formula), numbers as numbers."""
    for col, value in enumerate(values):
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, style)
        elif isinstance(value, int | float) and math.isfinite(value):
            sheet.write_number(row, col, value, style)
        else:
            sheet.write_string(row, col, value if isinstance(value, str) else str(value), style)


def _text_sheet(sheet: Worksheet, styles: _Styles, title: str, lines: list[str]) -> None:
    _write(sheet, 0, safe_row([title]), styles.title)
    for n, line in enumerate(lines, start=1):
        _write(sheet, n, safe_row([line]), styles.wrapped)
    sheet.set_column(0, 0, 120)


def _table_sheet(sheet: Worksheet, styles: _Styles, number: int, t: Table, note: str) -> None:
    _write(sheet, 0, safe_row([f"Table {number}: {t.caption}"]), styles.title)
    _write(sheet, 1, safe_row([f"This worksheet contains one table. {note}"]))
    headers = safe_row(t.headers)
    _write(sheet, 2, headers, styles.bold)
    values = {t.headers.index(h): column for h, column in t.sheet.items()}
    for n, row in enumerate(t.rows):
        cells = [values[k][n] if k in values else v for k, v in enumerate(row)]
        _write(sheet, 3 + n, safe_row([v if v not in ("", None) else "[x]" for v in cells]),
               styles.wrapped)  # fmt: skip
    for k, header in enumerate(t.headers):
        long = max([len(str(r[k])) for r in t.rows] + [len(header)])
        sheet.set_column(k, k, min(WIDE, max(NARROW, long + 2)))
    if t.rows:
        sheet.add_table(
            2, 0, 2 + len(t.rows), len(t.headers) - 1,
            {"name": f"table_{number}", "style": "Table Style Light 1", "banded_rows": False,
             "columns": [{"header": h, "header_format": styles.bold} for h in headers]},
        )  # fmt: skip


def render_xlsx(pack: Pack) -> bytes:
    tables: list[tuple[str, Table, str]] = [
        ("Statements", pack.statements, "Statuses are explained in note 1."),
    ]
    if pack.figures is not None:
        tables.append(("Figures", pack.figures, "Shorthand: see note 2. [x] not available."))
    tables += [
        (
            "Measures",
            pack.indicators,
            "Figures in words; aims as numbers in each measure's unit (see the Figures "
            "table); see note 2 for [c].",
        ),
        ("Actions", pack.actions, "Actions not done or dropped."),
        ("Exceptions", _exceptions(pack), "Commentary as written by the planning group."),
        ("Evidence", pack.evidence, "What families and front-line staff tell us."),
    ]
    if pack.public and pack.questions is not None:
        tables.append(("Questions", pack.questions, "Members' questions and answers."))
    if pack.scorecard is not None:  # last: the sheets before it keep their numbers
        tables.append(("Scorecard", pack.scorecard, "Each measure's status at each quarter."))
    if pack.benchmarks is not None:  # after the scorecard: the sheets before keep their numbers
        tables.append(("Benchmarks", pack.benchmarks, "Published figures for every council."))
    if pack.all_councils is not None:  # every measure's every council: rank and band
        tables.append(("All_councils", pack.all_councils, "Values and ranks as numbers."))
    if pack.needs is not None:  # after the scorecard, for the same reason
        tables.append(("Needs", pack.needs.table, " ".join(pack.needs.words[-2:])))
    kept = {"Figures": "measures", "Measures": "measures", "All_councils": "benchmarks"}
    tables = [t for t in tables if kept.get(t[0], t[0].lower()) in pack.sections]
    notes = [
        ("note 1", pack.status_rule),
        ("note 2", f"{pack.rule} {symbols_in_words()}"),
        ("note 3", f"Figures as they stood at {date_time(pack.figures_as_at)}."),
        *[(f"note {k + 4}", q) for k, q in enumerate(pack.quality)],
    ]
    cover = [
        AUDIENCE_WORDS[pack.audience],
        f"Quarter: {pack.quarter}. Review: {pack.state}.",
        f"Figures as at {date_time(pack.figures_as_at)}; made {long_date(pack.made_at)}.",
        "This workbook has a contents sheet, a notes sheet and one table per sheet.",
        f"Contact: {pack.contact or 'not given'}.",
    ]
    if pack.front is not None and "key messages" in pack.sections:  # the front page
        cover += [f"Key messages. {pack.front.note}"]
        cover += [f"{heading}: {line}" for heading, lines in pack.front.parts for line in lines]
    return workbook(pack.title, cover, tables, notes)


def workbook(
    title: str,
    cover_lines: list[str],
    tables: list[tuple[str, Table, str]],
    notes: list[tuple[str, str]],
) -> bytes:
    """A cover sheet, a contents sheet, a notes sheet, then one table per sheet: (sheet name,
    table, a note said above it)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    styles = _Styles(book)
    _text_sheet(book.add_worksheet("Cover"), styles, title, cover_lines)
    contents = book.add_worksheet("Contents")
    _write(contents, 0, ["Contents"], styles.title)
    _write(contents, 1, ["Sheet name", "Table title"])
    _write(contents, 2, ["Notes", "Notes used in the tables"])
    for k, (name, t, _) in enumerate(tables, start=1):
        _write(contents, 2 + k, safe_row([f"Table_{k}_{name}", f"Table {k}: {t.caption}"]))
    contents.set_column(0, 0, 28)
    contents.set_column(1, 1, 90)
    notes_sheet = book.add_worksheet("Notes")
    _write(notes_sheet, 0, ["Notes"], styles.title)
    _write(notes_sheet, 1, ["Note number", "Note text"])
    for n, (number, text) in enumerate(notes, start=2):
        _write(notes_sheet, n, safe_row([number, text]))
    notes_sheet.set_column(0, 0, 14)
    notes_sheet.set_column(1, 1, 120)
    for k, (name, t, note) in enumerate(tables, start=1):
        _table_sheet(book.add_worksheet(f"Table_{k}_{name}"[:31]), styles, k, t, note)
    book.close()
    return out.getvalue()


def _exceptions(pack: Pack) -> Table:
    return Table(
        "Measures needing attention, with the planning group's commentary",
        ["Measure", "Status", "Agreed status", "Figure", "Lead", "What is happening", "Why",
         "What happens next", "Open actions", "Where it is heading (projection)"],
        [
            [e.title, e.status, "[c]" if e.held_back else e.agreed or "[z]", e.figure, e.owner,
             *(["[c]"] * 3 if e.held_back else
               [e.what or "[x]", e.why_text or "[x]", e.what_next or "[x]"]),
             "; ".join(e.actions) or "None", e.heading or "[x]"]
            for e in pack.exceptions
        ],
    )  # fmt: skip


def scorecard_xlsx(card: Scorecard, council: str, rule: str) -> bytes:
    """The scorecard as a spreadsheet on its own (the Scorecard page's download)."""
    view = "what would be published" if card.public else "real figures, for staff only"
    cover = [
        f"Every measure's status, {card.quarters[0]} to {card.latest} ({view}).",
        "Each cell: the status (symbol and word) and the figure it was judged on; an annual "
        "measure's figure names its year.",
    ]
    notes = [("note 1", rule + " [c] means withheld.")]
    return workbook(
        f"{council}: scorecard to {card.latest}",
        cover,
        [("Scorecard", scorecard_table(card), "Status words explained in note 1.")],
        notes,
    )
