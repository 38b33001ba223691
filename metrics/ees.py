"""Import published statistics in the explore-education-statistics (EES) tidy CSV format,
driven by a mapping file (charter/ees/*.yaml), never by code per file.

Periods come from `time_period` read through `time_identifier`; areas from
`geographic_level` (England, regions, councils by `new_la_code`, `old_la_code` kept as an
alias); symbols stay symbols. Figures go through the same compare-and-commit as a return, so
importing a file again changes nothing and a newer release's changed figure is a revision.
"""

from __future__ import annotations

import calendar
import getpass
import hashlib
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv

from charter import Charter, Indicator
from charter.ees_models import Mapping, Measure
from metrics.ingest.commit import (
    Diff,
    NeedsReason,
    Revision,
    Upload,
    commit,
    compare,
    record_rejection,
)
from metrics.ingest.validate import RowError
from metrics.periods import Period, PeriodKind, window_problem
from metrics.reference import is_known
from metrics.store import Store

SYMBOLS = {"x", "z", "c", "low", "k", "u", ":", "~"}
REQUIRED = ("time_period", "time_identifier", "geographic_level")
LEVELS = {"National": "country_code", "Regional": "region_code", "Local authority": "new_la_code"}
NAMES = {"National": "country_name", "Regional": "region_name", "Local authority": "la_name"}
MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
TERMS = {"Autumn term": 1, "Spring term": 2, "Summer term": 3}
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


def _check_columns(table: pa.Table, mapping: Mapping) -> None:
    names = set(table.column_names)
    wanted = set(REQUIRED)
    for m in mapping.measures:
        wanted |= {m.value, *(c for c in (m.numerator, m.denominator) if c), *m.filters}
        if m.breakdown:
            wanted.add(m.breakdown.column)
    missing = sorted(wanted - names)
    if missing:
        raise EesError(
            f"the mapping names columns that are not in the file: {', '.join(missing)}. "
            f"The file has: {', '.join(table.column_names)}."
        )


def _number(text: str) -> tuple[float | None, str | None, bool]:
    """(value, symbol, present) for a measure cell; a number Python reads but an analyst would
    not write ("1_000", "nan", "inf") is refused."""
    t = text.strip()
    if not t:
        return None, None, False
    if t.lower() in SYMBOLS:
        return None, t.lower(), True
    try:
        if "_" in t:
            raise ValueError
        number = float(t.replace(",", ""))
    except ValueError:
        raise EesError(f"{t!r} is neither a number nor an EES symbol") from None
    if not math.isfinite(number):
        raise EesError(f"{t!r} is not a finite number")
    return number, None, True


def value_problem(value: float, ind: Indicator) -> str | None:
    """The same value rules as a return's (metrics/ingest/rules.py), for one figure."""
    if ind.unit == "percent" and not 0 <= value <= 100:
        return f"a percentage must lie between 0 and 100; this is {value:g}"
    if value < 0:
        return f"{ind.id} is a {ind.unit.replace('_', ' ')}, which cannot be below zero"
    if ind.unit == "count" and value != math.floor(value):
        return f"a count must be a whole number; this is {value:g}"
    return None


@dataclass
class _Staging:
    """What `stage` collects while it walks the file."""

    out: dict[str, list[object]]
    report: EesReport
    errors: list[RowError] = field(default_factory=list)
    error_total: int = 0
    areas: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    unknown_areas: Counter[str] = field(default_factory=Counter)

    def error(self, row: int, column: str, value: str, problem: str, fix: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, column, value, problem, fix))


def stage(
    table: pa.Table, mapping: Mapping, charter: Charter, today: date | None = None
) -> tuple[pa.Table, EesReport, dict[str, tuple[str, str, str | None]]]:
    """The figures a file holds for the mapping, in the shape the store commits.

    Every figure is checked like a return's: a known area, a period that has ended and is not
    before the earliest year, and a value within its unit's range. Problems are collected in
    the report's errors (all or nothing: a file with any is rejected).
    """
    _check_columns(table, mapping)
    today = today or date.today()
    st = _Staging({f.name: [] for f in STAGED_SCHEMA}, EesReport("", "dry run"))
    periods: dict[tuple[str, str], Period | str] = {}
    for row_no, row in enumerate(table.to_pylist(), start=2):
        level = row["geographic_level"]
        if level not in LEVELS:
            st.report.skipped[f"geographic level {level}"] += 1
            continue
        code = row.get(LEVELS[level], "")
        if not code:
            st.report.skipped[f"{level} rows without a code"] += 1
            continue
        if not is_known(code, charter.council.code):
            st.unknown_areas[code] += 1
            st.error(
                row_no,
                LEVELS[level],
                code,
                f"The area code {code!r} ({row.get(NAMES[level], '')}) is not England, an "
                "English region or a council we know of.",
                "Check the file is an English release; a new council's code is added to "
                "metrics/reference/areas.csv when DfE first publishes it.",
            )
            continue
        key = (row["time_period"], row["time_identifier"])
        if key not in periods:
            periods[key] = _period_or_problem(*key, charter, today)
        period = periods[key]
        if isinstance(period, str):
            st.error(
                row_no, "time_period", key[0], period, "Check time_period and time_identifier."
            )
            continue
        st.areas[code] = (row.get(NAMES[level], "") or code, level, row.get("old_la_code") or None)
        for m in mapping.measures:
            _stage_measure(st, m, row, row_no, level, code, period, charter)
    staged = pa.table(st.out, schema=STAGED_SCHEMA)
    report = st.report
    report.rows = staged.num_rows
    report.errors, report.error_total = st.errors, st.error_total
    if st.unknown_areas:
        listed = ", ".join(sorted(st.unknown_areas)[:20])
        report.skipped[f"rows with unrecognised area codes ({listed})"] = sum(
            st.unknown_areas.values()
        )
    keys = Counter(
        zip(
            st.out["indicator_id"],
            st.out["period"],
            st.out["area_code"],
            st.out["breakdown"],
            st.out["grp"],
            strict=True,
        )
    )
    twice = [k for k, n in keys.items() if n > 1]
    if twice:
        raise EesError(
            f"the mapping selects {len(twice)} figures more than once, e.g. {twice[0]}; "
            "add filters so each indicator, period and area is one row"
        )
    return staged, report, st.areas


def _period_or_problem(
    time_period: str, identifier: str, charter: Charter, today: date
) -> Period | str:
    try:
        period = ees_period(time_period, identifier)
    except (EesError, ValueError) as err:
        return str(err)
    return window_problem(period, charter.council.earliest_year, today) or period


def _stage_measure(
    st: _Staging,
    m: Measure,
    row: dict[str, str],
    row_no: int,
    level: str,
    code: str,
    period: Period,
    charter: Charter,
) -> None:
    if any(row.get(col) != val for col, val in m.filters.items()):
        return
    breakdown, group = "", ""
    if m.breakdown:
        raw = row[m.breakdown.column]
        if raw != m.breakdown.total:
            if raw not in m.breakdown.groups:
                st.report.skipped[f"{m.breakdown.column} {raw!r} (no matching group)"] += 1
                return
            breakdown, group = m.breakdown.dimension, m.breakdown.groups[raw]
    numbers: list[float | None] = []
    for column in (m.value, m.numerator, m.denominator):
        try:
            numbers.append(_number(row[column])[0] if column else None)
        except EesError as err:
            st.error(row_no, column or "", row[column or ""], f"{err}.", "Check the file.")
            return
    value, symbol, present = _number(row[m.value])
    if not present:
        st.report.skipped["empty cells (missing)"] += 1
        return
    if value is not None:
        value *= m.scale
        problem = value_problem(value, charter.indicators[m.indicator])
        if problem:
            st.error(
                row_no,
                m.value,
                row[m.value],
                f"{m.indicator}: {problem}.",
                "Check the file and the mapping's scale.",
            )
            return
    for name, item in (
        ("row_no", row_no),
        ("indicator_id", m.indicator),
        ("period", period.label),
        ("period_kind", period.kind.value),
        ("period_start", period.start),
        ("period_end", period.end),
        ("area_code", code),
        ("breakdown", breakdown),
        ("grp", group),
        ("value", value),
        ("numerator", numbers[1]),
        ("denominator", numbers[2]),
        ("symbol", symbol),
        ("status", "final"),
        ("note", None),
        ("origin", "published"),
    ):
        st.out[name].append(item)
    st.report.by_level_period[(level, period.label)] += 1


UPSERT_AREA = """
INSERT OR REPLACE INTO areas VALUES ($code, $name, $level, $old)
"""


def import_ees(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    mapping: Mapping,
    *,
    dry_run: bool = False,
    user: str | None = None,
    log_rejection: bool = True,
) -> EesReport:
    """Import (or with `dry_run`, preview) a release. A file that cannot be used is rejected
    whole, logged in the upload history (unless `log_rejection` is off) and the report says
    why; nothing is stored."""
    upload = Upload(
        file_name,
        hashlib.sha256(content).hexdigest(),
        content,
        user or getpass.getuser(),
        "published",
        f"Revised in a newer release: {mapping.source}",
        None,
        mapping.source,
    )
    try:
        staged, report, areas = stage(read_ees(content), mapping, charter)
    except EesError as err:
        report = EesReport(
            file_name, "rejected", errors=[RowError(None, "", "", f"{str(err).rstrip('.')}.", "")]
        )
        report.error_total = 1
        return _rejected(store, upload, report, log_rejection)
    report.file_name = file_name
    if report.error_total:
        report.outcome = "rejected"
        return _rejected(store, upload, report, log_rejection)
    with store.connect() as con:
        con.register("staged", staged)
        if dry_run:
            diff = compare(con)
        else:
            try:
                report.upload_id, diff = commit(con, upload, staged.num_rows)
            except NeedsReason as err:  # cannot happen: the upload carries a reason
                raise EesError(str(err)) from err
            con.execute("BEGIN TRANSACTION")
            for code, (name, level, old) in areas.items():
                con.execute(UPSERT_AREA, {"code": code, "name": name, "level": level, "old": old})
            con.execute("COMMIT")
    _fill(report, diff, dry_run)
    return report


def _rejected(store: Store, upload: Upload, report: EesReport, log: bool) -> EesReport:
    if log:
        with store.connect() as con:
            report.upload_id = record_rejection(
                con,
                upload,
                report.rows,
                len({e.row for e in report.errors}),
                report.errors,
                report.summary(),
            )
    return report


def _fill(report: EesReport, diff: Diff, dry_run: bool) -> None:
    report.added, report.revised, report.unchanged = diff.added, diff.revised, diff.unchanged
    report.revisions = diff.revisions
    if not dry_run:
        report.outcome = "imported" if diff.added or diff.revised else "no change"
