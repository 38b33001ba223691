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
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as pacsv

from charter import Charter
from charter.ees_models import Mapping
from metrics.ingest.commit import Diff, NeedsReason, Revision, Upload, commit, compare
from metrics.periods import Period, PeriodKind
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
    ]
)


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

    def summary(self) -> str:
        counts = f"{self.added} added, {self.revised} revised, {self.unchanged} unchanged"
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
    """(value, symbol, present) for a measure cell."""
    t = text.strip()
    if not t:
        return None, None, False
    if t.lower() in SYMBOLS:
        return None, t.lower(), True
    try:
        return float(t.replace(",", "")), None, True
    except ValueError:
        raise EesError(f"{t!r} is neither a number nor an EES symbol") from None


def stage(
    table: pa.Table, mapping: Mapping, charter: Charter
) -> tuple[pa.Table, EesReport, dict[str, tuple[str, str, str | None]]]:
    """The figures a file holds for the mapping, in the shape the store commits."""
    _check_columns(table, mapping)
    report = EesReport("", "dry run")
    areas: dict[str, tuple[str, str, str | None]] = {}
    periods: dict[tuple[str, str], Period] = {}
    out: dict[str, list[object]] = {f.name: [] for f in STAGED_SCHEMA}
    for row_no, row in enumerate(table.to_pylist(), start=2):
        level = row["geographic_level"]
        if level not in LEVELS:
            report.skipped[f"geographic level {level}"] += 1
            continue
        code = row.get(LEVELS[level], "")
        if not code:
            report.skipped[f"{level} rows without a code"] += 1
            continue
        key = (row["time_period"], row["time_identifier"])
        if key not in periods:
            periods[key] = ees_period(*key)
        period = periods[key]
        areas[code] = (row.get(NAMES[level], "") or code, level, row.get("old_la_code") or None)
        for m in mapping.measures:
            if any(row.get(col) != val for col, val in m.filters.items()):
                continue
            breakdown, group = "", ""
            if m.breakdown:
                raw = row[m.breakdown.column]
                if raw != m.breakdown.total:
                    if raw not in m.breakdown.groups:
                        report.skipped[f"{m.breakdown.column} {raw!r} (no matching group)"] += 1
                        continue
                    breakdown, group = m.breakdown.dimension, m.breakdown.groups[raw]
            try:
                value, symbol, present = _number(row[m.value])
                num = _number(row[m.numerator])[0] if m.numerator else None
                den = _number(row[m.denominator])[0] if m.denominator else None
            except EesError as err:
                raise EesError(f"row {row_no}: {err}") from None
            if not present:
                report.skipped["empty cells (missing)"] += 1
                continue
            if value is not None:
                value *= m.scale
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
                ("numerator", num),
                ("denominator", den),
                ("symbol", symbol),
                ("status", "final"),
                ("note", None),
            ):
                out[name].append(item)
            report.by_level_period[(level, period.label)] += 1
    staged = pa.table(out, schema=STAGED_SCHEMA)
    report.rows = staged.num_rows
    keys = Counter(
        zip(
            out["indicator_id"],
            out["period"],
            out["area_code"],
            out["breakdown"],
            out["grp"],
            strict=True,
        )
    )
    twice = [k for k, n in keys.items() if n > 1]
    if twice:
        raise EesError(
            f"the mapping selects {len(twice)} figures more than once, e.g. {twice[0]}; "
            "add filters so each indicator, period and area is one row"
        )
    return staged, report, areas


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
) -> EesReport:
    staged, report, areas = stage(read_ees(content), mapping, charter)
    report.file_name = file_name
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


def _fill(report: EesReport, diff: Diff, dry_run: bool) -> None:
    report.added, report.revised, report.unchanged = diff.added, diff.revised, diff.unchanged
    report.revisions = diff.revisions
    if not dry_run:
        report.outcome = "imported" if diff.added or diff.revised else "no change"
