"""A pack as a spreadsheet, following the UK Analysis Function's guidance for releasing
statistics in spreadsheets: a cover sheet, a contents sheet, a notes sheet, then one table per
sheet with its title in A1, a header row and nothing else below; no merged cells, no blank
cells in a table (shorthand in square brackets instead), numbers as numbers, every text cell
formula-safe (metrics/publish/tables.py)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.table import Table as ExcelTable, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from metrics.dates import date_time, long_date
from metrics.packs.content import AUDIENCE_WORDS, Pack
from metrics.packs.sections import Table, scorecard as scorecard_table
from metrics.publish.tables import safe_row
from metrics.scrutiny.scorecard import Scorecard

WIDE, NARROW = 60, 16
# one of each style for every cell that has it: openpyxl hashes a style each time a cell is
# given one, and a new object per cell also had to be built (a pack's ~6,000 cells, issue 34)
WRAPPED = Alignment(wrap_text=True, vertical="top")
BOLD, TITLE = Font(bold=True), Font(bold=True, size=14)


def _text_sheet(sheet: Worksheet, title: str, lines: list[str]) -> None:
    sheet.append(safe_row([title]))
    sheet["A1"].font = TITLE
    for line in lines:
        sheet.append(safe_row([line]))
    sheet.column_dimensions["A"].width = 120
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = WRAPPED


def _table_sheet(sheet: Worksheet, number: int, t: Table, note: str) -> None:
    sheet.append(safe_row([f"Table {number}: {t.caption}"]))
    sheet["A1"].font = TITLE
    sheet.append(safe_row([f"This worksheet contains one table. {note}"]))
    sheet.append(safe_row(t.headers))
    for cell in sheet[3]:
        cell.font = BOLD
    values = {t.headers.index(h): column for h, column in t.sheet.items()}
    for n, row in enumerate(t.rows):
        cells = [values[k][n] if k in values else v for k, v in enumerate(row)]
        sheet.append(safe_row([v if v not in ("", None) else "[x]" for v in cells]))
    for k, header in enumerate(t.headers):
        letter = sheet.cell(row=3, column=k + 1).column_letter
        long = max([len(str(r[k])) for r in t.rows] + [len(header)])
        sheet.column_dimensions[letter].width = min(WIDE, max(NARROW, long + 2))
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = WRAPPED
    end = sheet.cell(row=3 + max(len(t.rows), 1), column=len(t.headers)).coordinate
    if t.rows:
        table = ExcelTable(displayName=f"table_{number}", ref=f"A3:{end}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
        sheet.add_table(table)


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
        ("note 2", pack.rule + " [x] means not available; [z] not applicable."),
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
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    _text_sheet(cover, title, cover_lines)
    contents = book.create_sheet("Contents")
    contents.append(["Contents"])
    contents["A1"].font = TITLE
    contents.append(["Sheet name", "Table title"])
    contents.append(["Notes", "Notes used in the tables"])
    for k, (name, t, _) in enumerate(tables, start=1):
        contents.append(safe_row([f"Table_{k}_{name}", f"Table {k}: {t.caption}"]))
    contents.column_dimensions["A"].width, contents.column_dimensions["B"].width = 28, 90
    notes_sheet = book.create_sheet("Notes")
    notes_sheet.append(["Notes"])
    notes_sheet["A1"].font = TITLE
    notes_sheet.append(["Note number", "Note text"])
    for number, text in notes:
        notes_sheet.append(safe_row([number, text]))
    notes_sheet.column_dimensions["A"].width, notes_sheet.column_dimensions["B"].width = 14, 120
    for k, (name, t, note) in enumerate(tables, start=1):
        _table_sheet(book.create_sheet(f"Table_{k}_{name}"[:31]), k, t, note)
    out = io.BytesIO()
    book.save(out)
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
