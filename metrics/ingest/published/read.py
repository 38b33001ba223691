"""Reading explore-education-statistics (EES) files: periods, symbols, the report of an
import. Used by stage.py (which figures a file holds) and ees.py (the import itself), beside
it in metrics/ingest/published/."""

from __future__ import annotations

import calendar
import codecs
import csv
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from metrics.ingest.commit import Revision, counts_words
from metrics.ingest.validate import RowError
from metrics.periods.model import Period, PeriodKind

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


REPORTING_YEARS = {
    "calendar_year": PeriodKind.CALENDAR_YEAR,
    "financial_year": PeriodKind.FINANCIAL_YEAR,
    "academic_year": PeriodKind.ACADEMIC_YEAR,
}


def ees_period(time_period: str, identifier: str, reporting_year: str | None = None) -> Period:
    """An EES period: 4 digits for calendar years and months, 6 for academic and financial
    years (202021 = 2020/21), their quarters and terms. A "Reporting year" is whatever the
    release means by it (`reporting_year`, from the mapping): children in need's reporting
    year 2023 is the year to 31 March 2023, a financial year, not calendar year 2023."""
    t, ident = time_period.strip(), identifier.strip()
    if ident == "Reporting year":
        return _reporting_year(t, reporting_year)
    if ident == "Calendar year" and len(t) == 4 and t.isdigit():
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


def _reporting_year(t: str, meaning: str | None) -> Period:
    """A reporting year as the release means it: 2023 (or 202223) is calendar year 2023, or
    the financial or academic year ending in 2023."""
    if meaning not in REPORTING_YEARS:
        raise EesError(
            f"time_period {t!r} is a 'Reporting year', which does not say which kind of year "
            "it is: say in the mapping what the release means by it (its methodology does), "
            "with reporting_year: calendar_year, financial_year or academic_year"
        )
    kind = REPORTING_YEARS[meaning]
    if len(t) == 4 and t.isdigit():
        end = int(t)  # the year the reporting year ends in
        return Period(kind, end if kind is PeriodKind.CALENDAR_YEAR else end - 1)
    if len(t) == 6 and t.isdigit() and kind is not PeriodKind.CALENDAR_YEAR:
        start, end = int(t[:4]), int(t[4:])
        if end != (start + 1) % 100:
            raise EesError(f"time_period {t!r}: {t[:4]} and {t[4:]} are not consecutive years")
        return Period(kind, start)
    raise EesError(f"time_period {t!r} is not a reporting year we read as a {meaning}")


def _utf8_problem(content: memoryview) -> str | None:
    """Why the file is not UTF-8 text, naming the column of the first bad byte; checked a
    megabyte at a time, so a large file is never copied whole into a Python string."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    for at in range(0, len(content), step):
        pending = len(decoder.getstate()[0])  # a character split across two chunks
        try:
            decoder.decode(content[at : at + step], final=at + step >= len(content))
        except UnicodeDecodeError as err:
            bad = at - pending + err.start
            before = bytes(content[:bad])  # up to the first problem: a copy only then
            column = _unquoted(before[before.rfind(b"\n") + 1 :]).count(b",") + 1
            line_no = before.count(b"\n") + 1
            return (
                f"the file is not UTF-8 text (line {line_no}, column "
                f'{column}, counting from 1): it was probably saved as Windows-1252 ("CSV" in '
                'Excel). Save it as "CSV UTF-8" and import it again'
            )
    return None


def _unquoted(line: bytes) -> bytes:
    """A line's text outside double quotes (a comma inside quotes does not start a column)."""
    return b"".join(line.split(b'"')[::2])


@dataclass
class EesFile:
    """An EES file on disk and a private DuckDB to read it with: the file is read and filtered
    by DuckDB, a column at a time, so only the rows a mapping selects reach Python."""

    con: duckdb.DuckDBPyConnection
    path: str
    columns: list[str]

    def read_csv(self) -> str:
        """The file as DuckDB reads it: every column as text, no guessing of the dialect."""
        types = ", ".join(f"{_text(c)}: 'VARCHAR'" for c in self.columns)
        return (
            f"read_csv({_text(self.path)}, header = true, delim = ',', quote = '\"', "
            f"escape = '\"', auto_detect = false, columns = {{{types}}})"
        )

    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        try:
            return self.con.execute(sql, params)
        except duckdb.InvalidInputException as err:
            raise EesError(f"the file could not be read as CSV: {csv_problem(err)}") from err


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quoted(column: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + column.replace('"', '""') + '"'


def csv_problem(err: Exception) -> str:
    """DuckDB's error reading a CSV file in a reader's words: what and where (the line), never
    its advice on reader options nor the temporary file's path (the reader sent a file of
    another name)."""
    text = str(err)
    if "sniffing file" in text or "detect the CSV parsing dialect" in text:
        return (
            "its lines do not split into the same columns by commas (or by any other "
            "separator), so it is not a CSV table; save the data as CSV (comma-separated, "
            "with a header row) and try again"
        )
    ragged = re.search(
        r"on Line: (\d+).*?Expected Number of Columns: (\d+) Found: (\d+)", text, re.S
    )
    if ragged:
        line, expected, found = ragged.groups()
        return f"line {line} has {found} columns where the header has {expected}"
    lines = text.split("Possible fixes")[0].split("Possible Solution")[0].splitlines()
    kept = [
        line.strip()
        for line in lines
        if line.strip() and not line.startswith(("Original", "  file =", "LINE 1:"))
    ]
    words = "; ".join(kept).removeprefix("Invalid Input Error: ")
    return re.sub(r'(?i)\s*(in|of)? ?(file )?"?/\S*/(lait|release)\.csv"?', "", words)


def text_problem(content: bytes | memoryview) -> str | None:
    """Why a file is not UTF-8 text DuckDB can read as CSV (empty, NUL bytes, another
    encoding), or None: asked before DuckDB reads it, so the reader gets plain words."""
    if re.match(rb"\s*\Z", content):
        return "the file is empty"
    if b"\x00" in content:
        return (
            "the file holds NUL bytes, so it is not a UTF-8 CSV file (it may be UTF-16 or a "
            "binary file); download it again"
        )
    return _utf8_problem(memoryview(content))


# DuckDB may use this much memory before it spills to the file's temporary folder.
MEMORY_LIMIT = "1GB"


@contextmanager
def open_ees(content: bytes) -> Iterator[EesFile]:
    """The file checked as UTF-8 CSV with a header row, written to a temporary folder (removed
    afterwards) for DuckDB to read."""
    start = 3 if content.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte-order mark
    body = memoryview(content)[start:]  # large files are never copied in memory
    if problem := text_problem(body):
        raise EesError(problem)
    end = content.find(b"\n")
    first = bytes(body[: end - start if end >= 0 else len(body)]).decode("utf-8").rstrip("\r")
    columns = next(csv.reader([first]))
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise EesError(f"the header names a column more than once: {', '.join(twice)}")
    with tempfile.TemporaryDirectory(prefix="ees-") as folder:
        path = Path(folder, "release.csv")
        path.write_bytes(body)
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": folder})
        try:
            yield EesFile(con, str(path), columns)
        finally:
            con.close()


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
    release_end: date | None = None  # the end of the newest period the file covers
    older: int = 0  # figures it would revise that a newer release stored

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"

    def summary(self) -> str:
        added_counts = sum(r.counts_added for r in self.revisions)
        counts = counts_words(self.added, self.revised, self.unchanged, added_counts)
        if self.outcome == "rejected":
            n = self.error_total
            return f"Rejected: {n:,} problem{'s' if n != 1 else ''}; nothing was stored."
        return {
            "imported": f"Imported {self.rows} figures: {counts}.",
            "no change": f"No change: all {self.rows} figures are already stored.",
            "dry run": f"Dry run (nothing stored): {self.rows} figures; {counts}.",
        }.get(self.outcome, self.outcome)
