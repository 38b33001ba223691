"""Two aggregate returns for the needs baseline and the resources, read like any return
(CSV or XLSX, every cell as text), checked row by row, then logged, audited and stored in
one transaction (or rejected whole, the reasons kept in the upload history):

- the **needs return**, one row per quarter, source, locality and primary need: how many
  children the source knows, as at which month (`quarter, source, month, locality, need,
  children`); a `moves` source counts disabled children who moved into a locality in the
  quarter, with `need` left blank;
- the **finance return**, one row per financial year and service: what was spent and on how
  many children (`year, service, spend, children`, children blank when not known).

Counts only: no child's record is ever sent. Sources, services, localities and needs are
charter/needs.yaml's and breakdowns.yaml's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from charter import Charter
from metrics import text_limits
from metrics.access.people import ANALYST, Actor, acting, require
from metrics.dates import long_date
from metrics.ingest import replaced
from metrics.ingest.commit import Upload, record_rejection
from metrics.ingest.read import FileProblem, RawTable, read_upload
from metrics.ingest.replaced import Figures, Replacement
from metrics.ingest.validate import RowError
from metrics.periods.model import Period, PeriodError, PeriodKind
from metrics.periods.text import parse_period
from metrics.store.connection import Store, one_writer, transaction

NEEDS_COLUMNS = ("quarter", "source", "month", "locality", "need", "children")
FINANCE_COLUMNS = ("year", "service", "spend", "children")
WHOLE = re.compile(r"^\d{1,9}$")
MONEY = re.compile(r"^£?\s*(\d{1,12}(,\d{3})*|\d+)(\.\d{1,2})?$")


COUNT_FIX = (
    "Write the count (0 or more) as digits, never a symbol: small numbers are withheld when "
    "published, not in the return."
)


def _one_of(choices: object) -> str:
    return f"Use one of: {', '.join(str(c) for c in choices)}."  # type: ignore[attr-defined]


class NeedsReturnError(ValueError):
    """The charter has no needs.yaml, so there is nothing to check a return against."""


@dataclass
class ReturnReport:
    file_name: str
    outcome: str  # loaded | checked (a dry run that found no problem) | rejected
    rows: int = 0
    upload_id: int | None = None
    errors: list[RowError] = field(default_factory=list)
    figures: list[tuple[object, ...]] = field(default_factory=list)  # what is (to be) stored
    replaced: list[Replacement] = field(default_factory=list)  # stored figures it replaces

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"

    @property
    def message(self) -> str:
        if self.outcome == "checked":
            return f"{self.rows} rows checked: no problems; nothing is stored yet."
        if self.ok:
            return f"{self.rows} rows loaded (upload {self.upload_id})."
        return f"Rejected: {len(self.errors)} problem(s); nothing was stored."


def _columns(raw: RawTable, wanted: tuple[str, ...]) -> dict[str, int] | RowError:
    """Where each of our columns is; a missing one is said with the headings wanted."""
    found = {h.strip().lower(): i for i, h in enumerate(raw.header)}
    missing = [c for c in wanted if c not in found]
    if missing:
        return RowError(
            None,
            ", ".join(missing),
            "",
            f"The file has no column {', '.join(repr(m) for m in missing)}.",
            f"The headings are: {', '.join(wanted)}.",
        )
    return {c: found[c] for c in wanted}


def _rows(raw: RawTable, where: dict[str, int]) -> list[tuple[int, dict[str, str]]]:
    cells = raw.cells.to_pylist()
    out = []
    for row_no, record in zip(raw.row_no, cells, strict=True):
        values = {c: str(record.get(f"c{i}") or "").strip() for c, i in where.items()}
        if any(values.values()):
            out.append((row_no, values))
    return out


def _needs_row(
    charter: Charter, row: int, v: dict[str, str], errors: list[RowError]
) -> tuple[object, ...] | None:
    assert charter.needs is not None
    bad = len(errors)

    def err(col: str, problem: str, fix: str) -> None:
        errors.append(RowError(row, col, v[col], problem, fix))

    quarter = month = None
    try:
        quarter = parse_period(v["quarter"], PeriodKind.FY_QUARTER)
    except PeriodError as e:
        err("quarter", f"Not a quarter: {e}.", "Write it like 2026-27 Q2.")
    try:
        month = parse_period(v["month"], PeriodKind.MONTH)
    except PeriodError as e:
        err("month", f"Not a month: {e}.", "Write the month the figures are as at: Sep 2026.")
    if quarter and month and month.start > quarter.end:
        late = "Give the month its figures are as at, no later than the quarter's last month."
        err("month", f"{month.label} is after {quarter.label} ends.", late)
    # counts as at a month that has begun (a register read this month), of a quarter that
    # has begun (a later one would become every page's 'latest'), and never before the
    # dashboard's earliest year
    earliest, today = charter.council.earliest_year, date.today()
    if month and (problem := _not_begun(month, earliest, today)):
        err("month", problem, "Check the month.")
    if quarter and (problem := _not_begun(quarter, earliest, today)):
        err("quarter", problem, "Check the quarter.")
    source = charter.needs.sources.get(v["source"])
    if source is None:
        err("source", "Not one of our sources.", _one_of(charter.needs.sources))
    if v["locality"] not in charter.needs.localities:
        err("locality", "Not one of our localities.", _one_of(charter.needs.localities))
    needs = charter.breakdowns["primary_need"].groups
    if source is not None and source.kind == "moves" and v["need"]:
        err("need", "Moves into the area are counted for all needs together.", "Leave it blank.")
    elif source is not None and source.kind == "caseload" and v["need"] not in needs:
        err("need", "Not one of the primary needs.", _one_of(needs))
    if not WHOLE.match(v["children"].replace(",", "")):
        err("children", "Not a whole number of children.", COUNT_FIX)
    if len(errors) > bad or quarter is None or month is None:
        return None
    children = int(v["children"].replace(",", ""))
    return (quarter.label, v["source"], month.label, v["locality"], v["need"], children)


def _not_begun(period: Period, earliest_year: int, today: date) -> str | None:
    """Why a quarter or year of counts or spend cannot be loaded: it has not begun (a later one
    would become the pages' 'latest'), or it is before the dashboard's earliest year."""
    if period.year < earliest_year:
        return f"{period.label} is before {earliest_year}, the earliest year accepted."
    if period.start > today:
        return f"{period.label} has not begun: it starts on {long_date(period.start)}."
    return None


def _finance_row(
    charter: Charter, row: int, v: dict[str, str], errors: list[RowError]
) -> tuple[object, ...] | None:
    assert charter.needs is not None
    bad = len(errors)
    year = None
    try:
        year = parse_period(v["year"], PeriodKind.FINANCIAL_YEAR)
    except PeriodError as e:
        problem = f"Not a financial year: {e}."
        errors.append(RowError(row, "year", v["year"], problem, "Write it like 2025-26."))
    if year and (early := _not_begun(year, charter.council.earliest_year, date.today())):
        errors.append(RowError(row, "year", v["year"], early, "Check the year."))
    if v["service"] not in charter.needs.services:
        fix = _one_of(charter.needs.services)
        errors.append(RowError(row, "service", v["service"], "Not one of our services.", fix))
    if not MONEY.match(v["spend"]):
        fix = "Write pounds as digits, e.g. 1250000 or £1,250,000.50."
        errors.append(RowError(row, "spend", v["spend"], "Not an amount of money.", fix))
    children = v["children"].replace(",", "")
    if children and not WHOLE.match(children):
        fix = "Write the count as digits, or leave it blank if not known."
        problem = "Not a whole number of children."
        errors.append(RowError(row, "children", v["children"], problem, fix))
    if len(errors) > bad or year is None:
        return None
    spend = float(v["spend"].replace("£", "").replace(",", "").strip())
    return (year.label, v["service"], spend, int(children) if children else None)


def _load(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    by: Actor | str | None,
    kind: Figures,
    columns: tuple[str, ...],
    check: Callable[[Charter, int, dict[str, str], list[RowError]], tuple[object, ...] | None],
    dry_run: bool = False,
    reason: str | None = None,
) -> ReturnReport:
    what = kind.what
    actor = acting(by)
    require(actor, {ANALYST}, f"load a {what}")
    if charter.needs is None:
        raise NeedsReturnError(f"There is no charter/needs.yaml to check a {what} against.")
    digest = hashlib.sha256(content).hexdigest()
    why = text_limits.bounded(reason, "the reason for the replacement", text_limits.REASON)
    upload = Upload(file_name, digest, content, actor, reason=why or None,
                    source=f"{what}: {file_name}")  # fmt: skip
    errors: list[RowError] = []
    good: list[tuple[object, ...]] = []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        raw = read_upload(file_name, content)
        where = _columns(raw, columns)
        if isinstance(where, RowError):
            errors.append(where)
        else:
            rows = _rows(raw, where)
    except FileProblem as problem:
        errors.append(RowError(None, "", "", str(problem), ""))
    seen: dict[tuple[object, ...], int] = {}
    for row, values in rows:
        checked = check(charter, row, values, errors)
        if checked is None:
            continue
        figure = kind.figure(checked)
        if figure in seen:
            errors.append(RowError(row, "", "", f"The same figure is also in row "
                                   f"{seen[figure]}.", "Keep one of them."))  # fmt: skip
        seen.setdefault(figure, row)
        good.append(checked)
    if not rows and not errors:
        errors.append(RowError(None, "", "", "The file has no rows.", "Fill in the figures."))
    with store.connect() as con:
        if errors:
            message = f"{what} rejected: {len(errors)} problem(s)"
            bad_rows = len({e.row for e in errors})
            upload_id = record_rejection(con, upload, len(rows), bad_rows, errors, message)
            return ReturnReport(upload.file_name, "rejected", len(rows), upload_id, errors)
        if dry_run:  # checked, as storing would check it: nothing stored or logged
            replacing = replaced.replacements(con, kind, good)
            return ReturnReport(upload.file_name, "checked", len(good), figures=good,
                                replaced=replacing)  # fmt: skip
        try:  # one at a time: two returns at once would each find nothing to replace
            with one_writer(con, f"{what}s"), transaction(con):
                message = f"{what}: {len(good)} rows"
                upload_id, replacing = replaced.store(con, kind, upload, len(rows), good, message)
        except replaced.NeedsReason as err:  # nothing stored: the attempt is logged
            error = RowError(None, "", "", str(err), replaced.REASON_FIX)
            upload_id = record_rejection(con, upload, len(rows), 0, [error], f"{what}: {err}")
            return ReturnReport(upload.file_name, "rejected", len(rows), upload_id, [error],
                                replaced=err.replaced)  # fmt: skip
    return ReturnReport(upload.file_name, "loaded", len(good), upload_id, figures=good,
                        replaced=replacing)  # fmt: skip


def load_needs_return(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    by: Actor | str | None = None,
    dry_run: bool = False,
    reason: str | None = None,
) -> ReturnReport:
    """Check and store a needs return; a later return of the same quarter and source
    supersedes the earlier one (which is kept): replacing stored figures needs a `reason`
    (metrics/ingest/replaced.py). `dry_run`: check only, saying what it would replace (a
    rejection is still logged, as a quarterly return's check logs it)."""
    return _load(store, charter, file_name, content, by, replaced.NEEDS, NEEDS_COLUMNS,
                 _needs_row, dry_run, reason)  # fmt: skip


def load_finance_return(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    by: Actor | str | None = None,
    dry_run: bool = False,
    reason: str | None = None,
) -> ReturnReport:
    """Check and store a finance return (spend per service and year); `dry_run` and
    `reason` as above."""
    return _load(store, charter, file_name, content, by, replaced.FINANCE, FINANCE_COLUMNS,
                 _finance_row, dry_run, reason)  # fmt: skip
