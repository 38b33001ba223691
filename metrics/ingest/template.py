"""The quarterly return template, as CSV or as an Excel workbook with guidance.

One row per indicator x period x breakdown group, with the keys filled in and the figures
left for the analyst. Annual and termly indicators get the latest year or term that has ended
by the end of the quarter.
"""

from __future__ import annotations

import io
from datetime import date

from charter import Charter
from metrics.ingest.source import COLUMNS
from metrics.periods.due import due_period as period_for
from metrics.periods.model import KIND_EXAMPLES, Period, PeriodKind, kind_for
from metrics.publish.tables import csv_bytes, safe_row

GUIDANCE = [
    "How to fill in the quarterly return",
    "",
    "One row per indicator, period, area and breakdown group. Keep the header row as it is.",
    "indicator (required): an id from the Indicators sheet.",
    "period (required): for example 2024-25 Q1 (April to June 2024), 2023/24 (academic year), "
    "2024 (calendar year), 2023/24 Autumn term.",
    "value (required unless numerator and denominator are given): the figure, e.g. 52.3; or a "
    "symbol: x not available, c confidential, z not applicable, low rounds to zero, "
    "u low reliability.",
    "area: leave empty for our council; E92000001 for England; a region or council GSS code.",
    "breakdown and group: leave both empty for the total; otherwise e.g. locality / North.",
    "numerator, denominator: for percentages and rates; the value is worked out if left empty.",
    "status: final (the default) or provisional.",
    "note: anything the planning group should know about the figure. Left empty, a figure "
    "sent again keeps its earlier note; a single - clears it.",
    "",
    "Rows left completely empty are ignored. Uploading the same file twice changes nothing; a "
    "changed figure is recorded as a revision and needs a reason.",
]


def latest_complete_quarter(today: date | None = None) -> Period:
    return Period.containing(today or date.today(), PeriodKind.FY_QUARTER).previous()


def template_rows(charter: Charter, quarter: Period) -> list[dict[str, str]]:
    rows = []
    for indicator in charter.indicators.values():
        period = period_for(indicator, quarter).label
        groups = [("", "")] + [
            (dim, group) for dim in indicator.breakdowns for group in charter.breakdowns[dim].groups
        ]
        for dim, group in groups:
            row = dict.fromkeys(COLUMNS, "")
            row.update(indicator=indicator.id, period=period, breakdown=dim, group=group)
            rows.append(row)
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    return csv_bytes(rows, COLUMNS, lineterminator="\r\n")


def to_xlsx(charter: Charter, rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row[c] for c in COLUMNS))
    sheet.freeze_panes = "A2"
    widths = {
        "indicator": 36,
        "period": 14,
        "value": 10,
        "area": 12,
        "breakdown": 14,
        "group": 28,
        "numerator": 12,
        "denominator": 12,
        "status": 12,
        "note": 40,
    }
    last = max(len(rows) + 1, 2000)
    for i, name in enumerate(COLUMNS):
        letter = chr(ord("A") + i)
        sheet.column_dimensions[letter].width = widths[name]
        if name in ("period", "area", "breakdown", "group", "note", "indicator"):
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=len(rows) + 1, min_col=i + 1, max_col=i + 1
            ):
                cell.number_format = "@"  # text, so Excel does not turn periods into dates
    status = DataValidation(type="list", formula1='"final,provisional"', allow_blank=True)
    status.error = "Enter final or provisional."
    sheet.add_data_validation(status)
    status.add(f"I2:I{last}")

    info = book.create_sheet("Indicators")
    info.append(
        [
            "id",
            "title",
            "unit",
            "frequency",
            "period example",
            "breakdowns",
            "numerator",
            "denominator",
        ]
    )
    for cell in info[1]:
        cell.font = Font(bold=True)
    for ind in charter.indicators.values():
        info.append(
            safe_row(
                [
                    ind.id,
                    ind.title,
                    ind.unit.replace("_", " "),
                    ind.frequency,
                    KIND_EXAMPLES[kind_for(ind.frequency, ind.year_basis)],
                    ", ".join(ind.breakdowns),
                    ind.numerator or "",
                    ind.denominator or "",
                ]
            )
        )
    info.column_dimensions["A"].width = 36
    info.column_dimensions["B"].width = 60
    ids = DataValidation(
        type="list", formula1=f"=Indicators!$A$2:$A${len(charter.indicators) + 1}", allow_blank=True
    )
    ids.error = "Choose an indicator id from the Indicators sheet."
    sheet.add_data_validation(ids)
    ids.add(f"A2:A{last}")

    groups = book.create_sheet("Breakdowns")
    groups.append(["breakdown", "group"])
    for dim, breakdown in charter.breakdowns.items():
        for group in breakdown.groups:
            groups.append(safe_row([dim, group]))

    guide = book.create_sheet("Guidance")
    for line in GUIDANCE:
        guide.append(safe_row([line]))
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
