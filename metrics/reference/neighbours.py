"""DfE's statistical-neighbour workbook (`sn_may_2025.xlsx`, sheet "LA SN Groups") to the
shipped `charter/neighbours.yaml`, and each council's neighbours with every code they had.

The workbook's layout, as DfE publishes it: two rows of column letters and numbers, then a
header row (`LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, SN2, SNP, ... SN10, SNP`),
then one row per council by DfE's three-digit LA number, up to the first empty row. What
follows ("Old SNs:", the councils before local-government reorganisation) is not read. LA
numbers become GSS codes through `areas.csv`; a number two codes shared (North Yorkshire 815:
E10000023 before 2023, E06000065 since) is the current code, the one with no successor.

The sheet's `<dimension>` is not trusted (openpyxl's read-only reader would stop where it
says): rows are read until the workbook ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from charter.neighbours import NEIGHBOURS, NeighbourModel
from metrics.reference import COUNCIL, known_areas, one_council

SHEET = "LA SN Groups"
LA_NUMBER, LA_NAME = "LA num", "LA Name"
NEIGHBOUR_COLUMNS = [f"SN{i}" for i in range(1, NEIGHBOURS + 1)]
SOURCE = (
    "Department for Education, statistical neighbour model, as published with LAIT "
    "(github.com/dfe-analytical-services/local-authority-interactive-tool, 01_data/02_prod)"
)
LICENCE = "Open Government Licence v3.0"
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


class NeighbourFileError(ValueError):
    """The workbook is not DfE's layout; the message names file, row and column."""


def model_date(path: Path) -> str:
    """ "May 2025" from a file named like DfE's, `sn_may_2025.xlsx`."""
    found = re.search(r"(?i)(" + "|".join(MONTHS) + r")[ _-]?(\d{4})", path.stem)
    if not found:
        raise NeighbourFileError(
            f"{path.name}: cannot tell the model's date from the file name (DfE's is "
            "sn_may_2025.xlsx); give it with --date, e.g. --date 'May 2026'"
        )
    return f"{found.group(1).capitalize()} {found.group(2)}"


def typed_model_date(text: str, today: date | None = None) -> str:
    """The model's date as stored ("May 2026") from what a person gives with --date: a month
    and year as the file name says it ("May 2026") or an ISO date (2026-05-14, kept as its
    month: DfE dates the model by month). Anything else, or a date after today, is refused
    with ValueError: it is printed on every benchmark ("DfE model of ...")."""
    today = today or date.today()
    words = re.fullmatch(r"(?i)\s*(" + "|".join(MONTHS) + r")[ _-]?(\d{4})\s*", text)
    if words:
        month, year = MONTHS.index(words.group(1).lower()) + 1, int(words.group(2))
        if date(year, month, 1) > today:
            raise ValueError(f"{text!r} is in the future (today is {today:%d %B %Y})")
    else:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError(f"{text!r} is not a date: give YYYY-MM-DD or a month, e.g. 'May 2026'")
        try:
            given = date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a real date (YYYY-MM-DD)") from None
        if given > today:
            raise ValueError(f"{text!r} is in the future (today is {today:%d %B %Y})")
        month, year = given.month, given.year
    return f"{MONTHS[month - 1].capitalize()} {year}"


def _gss_by_la_number() -> dict[str, str]:
    out: dict[str, str] = {}
    for a in known_areas().values():
        if a.level == COUNCIL and a.old_code and not a.successors:
            out[a.old_code] = a.code
    return out


def _rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        raise NeighbourFileError(f"{path.name}: not an Excel workbook ({err})") from None
    try:
        if SHEET not in book.sheetnames:
            raise NeighbourFileError(
                f"{path.name}: no sheet {SHEET!r} (sheets: {', '.join(book.sheetnames)})"
            )
        sheet = book[SHEET]
        sheet.reset_dimensions()  # never trust <dimension>: read every row there is
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(row)
    finally:
        book.close()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def read_workbook(path: Path, date: str | None = None) -> NeighbourModel:
    """The model in DfE's workbook, checked: every column there, ten neighbours a council,
    every LA number known."""
    gss, names = _gss_by_la_number(), known_areas()
    header: dict[str, int] | None = None
    width = 0
    councils: dict[str, dict[str, Any]] = {}
    for number, row in _rows(path):
        cells = [_text(v) for v in row]
        if header is None:
            if LA_NUMBER in cells:
                header = {c: i for i, c in reversed(list(enumerate(cells))) if c}
                width = max(i for i, c in enumerate(cells) if c) + 1
                missing = [c for c in [LA_NUMBER, LA_NAME, *NEIGHBOUR_COLUMNS] if c not in header]
                if missing:
                    raise NeighbourFileError(
                        f"{path.name}: row {number}: missing column(s) {', '.join(missing)}"
                    )
            continue
        if not any(cells):
            if councils:
                break  # the end of the current model ("Old SNs:" follow)
            continue
        la = cells[header[LA_NUMBER]] if header[LA_NUMBER] < len(cells) else ""
        if la not in gss:
            raise NeighbourFileError(
                f"{path.name}: row {number}: column {LA_NUMBER}: unknown LA number {la!r}"
            )
        found = []
        for column in NEIGHBOUR_COLUMNS:
            at = header[column]
            value = cells[at] if at < len(cells) else ""
            if not value:
                raise NeighbourFileError(
                    f"{path.name}: row {number}: column {column}: empty; each council needs "
                    f"exactly {NEIGHBOURS} neighbours"
                )
            if value not in gss:
                raise NeighbourFileError(
                    f"{path.name}: row {number}: column {column}: unknown LA number {value!r}"
                )
            found.append(gss[value])
        extra = [c for c in cells[width:] if c]
        if extra or len(set(found)) != NEIGHBOURS or gss[la] in found:
            raise NeighbourFileError(
                f"{path.name}: row {number}: council {la} needs exactly {NEIGHBOURS} different "
                "neighbours, not itself"
            )
        if gss[la] in councils:
            raise NeighbourFileError(f"{path.name}: row {number}: council {la} listed twice")
        councils[gss[la]] = {
            "name": names[gss[la]].name,
            "la_number": la,
            "neighbours": found,
        }
    if header is None:
        raise NeighbourFileError(f"{path.name}: sheet {SHEET!r}: no header row with {LA_NUMBER!r}")
    if not councils:
        raise NeighbourFileError(f"{path.name}: sheet {SHEET!r}: no councils")
    return NeighbourModel.model_validate(
        {
            "publisher": "DfE",
            "date": date or model_date(path),
            "source": SOURCE,
            "licence": LICENCE,
            "councils": dict(sorted(councils.items())),
        }
    )


def write_model(model: NeighbourModel, out: Path) -> None:
    head = (
        "# DfE's statistical-neighbour model: each council's ten nearest neighbours, nearest\n"
        "# first, by GSS code. Written by `python -m metrics neighbours-refresh FILE`; do not\n"
        "# edit by hand. Contains public sector information licensed under the Open\n"
        "# Government Licence v3.0.\n"
    )
    body = yaml.safe_dump(
        model.model_dump(), sort_keys=False, allow_unicode=True, width=140, default_flow_style=None
    )
    out.write_text(head + body, encoding="utf-8")


def with_predecessors(codes: list[str]) -> dict[str, list[str]]:
    """Each neighbour's every code, newest first (North Yorkshire E06000065: also E10000023):
    figures stored under an older code count for the neighbour (`one_council`)."""
    return {c: one_council(c) for c in codes}
