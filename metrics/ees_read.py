"""Reading explore-education-statistics (EES) files: periods, symbols, the report of an
import. Used by metrics/ees_stage.py (which figures a file holds) and metrics/ees.py (the
import itself)."""

from __future__ import annotations

import calendar
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as pacsv

from metrics.ingest.commit import Revision
from metrics.ingest.validate import RowError
from metrics.periods import Period, PeriodKind

SYMBOLS = {"x", "z", "c", "low", "k", "u", ":", "~"}
REQUIRED = ("time_period", "time_identifier", "geographic_level")
LEVELS = {"National": "country_code", "Regional": "region_code", "Local authority": "new_la_code"}
NAMES = {"National": "country_name", "Regional": "region_name", "Local authority": "la_name"}
MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
TERMS = {"Autumn term": 1, "Spring term": 2, "Summer term": 3}
# The EES open-data standard's time identifiers we can store (others, such as "Autumn and
# spring term", "Tax year" or "Week 12", are refused with this list).
READ_IDENTIFIERS = (
    "Calendar year",
    "Reporting year",
    "Academic year",
    "Financial year",
    *(f"Financial year Q{q}" for q in range(1, 5)),
    *TERMS,
)
STAGED_SCHEMA = pa.schema(
    [
        ("row_no", pa.int32()),
        ("indicator_id", pa.string()),
        ("period", pa.string()),
        ("period_kind", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("area_code", pa.string()),
        ("breakdown", pa.string()),
        ("grp", pa.string()),
        ("value", pa.float64()),
        ("numerator", pa.float64()),
        ("denominator", pa.float64()),
        ("symbol", pa.string()),
        ("status", pa.string()),
        ("note", pa.string()),
        ("origin", pa.string()),
    ]
)
MAX_ERRORS_KEPT = 1000


class EesError(ValueError):
    """The file or mapping cannot be used; the message says why and what to do."""


def ees_period(time_period: str, identifier: str) -> Period:
    """An EES period: 4 digits for calendar/reporting years and months, 6 for academic and
    financial years (202021 = 2020/21), their quarters and terms."""
    t, ident = time_period.strip(), identifier.strip()
    if ident in ("Calendar year", "Reporting year") and len(t) == 4 and t.isdigit():
        return Period(PeriodKind.CALENDAR_YEAR, int(t))
    if ident in MONTHS and len(t) == 4 and t.isdigit():
        return Period(PeriodKind.MONTH, int(t), MONTHS[ident])
    if len(t) == 6 and t.isdigit():
        start, end = int(t[:4]), int(t[4:])
        if end != (start + 1) % 100:
            raise EesError(f"time_period {t!r}: {t[:4]} and {t[4:]} are not consecutive years")
        if ident == "Academic year":
            return Period(PeriodKind.ACADEMIC_YEAR, start)
        if ident == "Financial year":
            return Period(PeriodKind.FINANCIAL_YEAR, start)
        if ident.startswith("Financial year Q") and ident[-1] in "1234":
            return Period(PeriodKind.FY_QUARTER, start, int(ident[-1]))
        if ident in TERMS:
            return Period(PeriodKind.ACADEMIC_TERM, start, TERMS[ident])
    if ident not in READ_IDENTIFIERS and ident not in MONTHS:
        raise EesError(
            f"time_identifier {ident!r} is not one we read (we have no period of that kind to "
            f"store it as); we read: {', '.join(READ_IDENTIFIERS)} and the months January to "
            "December"
        )
    raise EesError(f"time_period {t!r} with time_identifier {ident!r} is not a period we read")


def read_ees(content: bytes) -> pa.Table:
    """Every column as text; a UTF-8 byte-order mark is dropped."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    if not content.strip():
        raise EesError("the file is empty")
    if b"\x00" in content:
        raise EesError(
            "the file holds NUL bytes, so it is not a UTF-8 CSV file (it may be UTF-16 or a "
            "binary file); download the release's CSV again"
        )
    header = content.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    types = {h.strip().strip('"'): pa.string() for h in header}
    try:
        return pacsv.read_csv(
            io.BytesIO(content),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False),
        )
    except pa.ArrowInvalid as err:
        column = re.search(r"CSV column #(\d+)", str(err))
        if "invalid UTF8" in str(err):
            where = f" (column {int(column.group(1)) + 1}, counting from 1)" if column else ""
            raise EesError(
                f"the file is not UTF-8 text{where}: it was probably saved as Windows-1252 "
                '("CSV" in Excel). Save it as "CSV UTF-8" and import it again'
            ) from err
        raise EesError(f"the file could not be read as CSV: {err}") from err


@dataclass
class EesReport:
    file_name: str
    outcome: str  # imported | no change | dry run | rejected
    rows: int = 0
    by_level_period: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    revisions: list[Revision] = field(default_factory=list)
    upload_id: int | None = None
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    error_total: int = 0
    warnings: list[str] = field(default_factory=list)  # stored, but worth a look

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"

    def summary(self) -> str:
        counts = f"{self.added} added, {self.revised} revised, {self.unchanged} unchanged"
        if self.outcome == "rejected":
            n = self.error_total
            return f"Rejected: {n:,} problem{'s' if n != 1 else ''}; nothing was stored."
        return {
            "imported": f"Imported {self.rows} figures: {counts}.",
            "no change": f"No change: all {self.rows} figures are already stored.",
            "dry run": f"Dry run (nothing stored): {self.rows} figures; {counts}.",
        }.get(self.outcome, self.outcome)
