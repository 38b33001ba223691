"""Quarterly returns in: read, validate, preview and commit, all or nothing.

`load_file` is what the CLI and the upload page call. A file with any error changes no
figure (its attempt is logged, with the errors and the file's bytes); a valid file is
committed in one transaction; the same file again is "no change".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from charter import Charter
from metrics import text_limits
from metrics.access.people import ANALYST, Actor, acting, may_send, require
from metrics.ingest import layout
from metrics.ingest.checked import Checked
from metrics.ingest.commit import (
    Addition,
    Diff,
    NeedsReason,
    Revision,
    Upload,
    commit,
    compare,
    record_rejection,
    same_figure_rows,
)
from metrics.ingest.plausible import Unusual, implausible
from metrics.ingest.read import FileProblem, RawTable, read_upload
from metrics.ingest.validate import RowError, Validation, validate_file
from metrics.store import figures
from metrics.store.connection import Connection, Store, WriteConflict

__all__ = [
    "Addition",
    "LoadReport",
    "Revision",
    "RowError",
    "Unusual",
    "check_file",
    "fill",
    "load_file",
    "provider_source",
    "read_and_check",
    "reject",
    "report_for",
]


@dataclass
class LoadReport:
    file_name: str
    sha256: str
    outcome: str  # loaded | no change | rejected | preview
    rows_in_file: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    warnings: list[Unusual] = field(default_factory=list)  # figures to confirm before storing
    upload_id: int | None = None
    sheet: str | None = None
    error_total: int = 0  # every problem found; `errors` keeps the first 1,000
    rows_read: int = 0  # data rows read from the file, blank ones included
    # A clean file's checked rows, for storing it without reading it again (checked.py)
    checked: Checked | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"

    @property
    def figures_changed(self) -> int:
        return sum(r.figure_changed for r in self.revisions)

    def summary(self) -> str:
        if self.outcome == "rejected":
            n = max(self.error_total, len(self.errors))
            problems = f"{n:,} problem{'s' if n != 1 else ''}"
            where = (
                f"in {self.rejected_rows:,} row{'s' if self.rejected_rows != 1 else ''}"
                if self.rejected_rows
                else "with the file"
            )
            return f"Rejected: {problems} {where}; nothing was stored."
        counts = f"{self.added} added, {self.revised} revised, {self.unchanged} unchanged"
        if self.outcome == "no change":
            return f"No change: all {self.unchanged} figures are already stored."
        if self.outcome == "preview":
            return f"Preview (nothing stored yet): {counts}."
        if self.outcome == "submitted":
            return (
                f"Submitted: {self.rows_in_file} figures waiting for an analyst to accept them "
                f"({counts}); nothing is stored yet."
            )
        return f"Loaded: {counts}."


def fmt_number(value: float) -> str:
    return f"{value:g}"


def provider_source(charter: Charter, provider: str) -> str:
    """How the upload log names a provider's submission."""
    return f"{charter.providers[provider].name} (provider)"


def read_and_check(
    file_name: str, content: bytes, charter: Charter, provider: str | None = None
) -> tuple[RawTable | None, Validation]:
    """Read and validate a file without the store: a large or bad file never holds its lock.
    A provider's return is read through its layout (if it has one) and may hold only its own
    indicators; errors name the provider's own columns."""
    own = charter.layouts.get(provider) if provider else None
    try:
        raw = read_upload(file_name, content, own.sheet if own else None)
        if own and layout.is_template(raw):
            own = None  # a provider may send our template instead of its own layout
        raw, names = layout.apply(raw, own) if own else (raw, {})
    except FileProblem as err:
        return None, Validation([RowError(None, "", "", str(err), "")], None, 0, 0, [], 1)
    result = validate_file(raw, charter)
    if provider:
        result = layout.own_indicators(
            result, charter, provider, names.get("indicator", "indicator")
        )
        result = layout.own_area(result, charter, provider, names.get("area", "area"))
        result = layout.in_their_terms(result, charter, provider, own)
    return raw, layout.their_names(result, names)


def report_for(upload: Upload, result: Validation, outcome: str) -> LoadReport:
    """A report of a checked file, before it is compared with the store."""
    return LoadReport(
        upload.file_name,
        upload.sha256,
        outcome,
        result.rows_in_file,
        notes=list(result.notes),
        sheet=upload.sheet,
        errors=list(result.errors),
        rejected_rows=result.rejected_rows,
        error_total=result.error_total or len(result.errors),
        rows_read=result.rows_read,
    )


def reject(con: Connection, upload: Upload, report: LoadReport) -> LoadReport:
    """Log a rejected upload with its errors; no figure changes."""
    report.outcome = "rejected"
    report.upload_id = record_rejection(
        con, upload, report.rows_in_file, report.rejected_rows, report.errors, report.summary()
    )
    return report


def to_confirm(con: Connection, charter: Charter) -> list[Unusual]:
    """The unusual figures of the view `staged` that are new or change a stored figure: one
    sent again as stored (perhaps now final, or with a note) needs no confirming."""
    same = same_figure_rows(con)
    return [w for w in implausible(con, charter) if w.row not in same]


def fill(report: LoadReport, diff: Diff) -> None:
    report.added, report.revised, report.unchanged = diff.added, diff.revised, diff.unchanged
    report.revisions = diff.revisions
    report.additions = diff.additions


def check_file(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    log_as: Actor | str | None = None,
    provider: str | None = None,
) -> LoadReport:
    """Validate and preview a file against the stored figures without changing any figure.

    With `log_as` (the person uploading), a rejected file is logged as a rejected upload, as
    the upload page does: every upload, accepted or rejected, is in the log and the audit.
    """
    actor = acting(log_as)
    if log_as is not None:
        may_send(actor, provider)
    day = date.today()
    raw, result = read_and_check(file_name, content, charter, provider)
    sheet = raw.sheet if raw else None
    del raw  # the file's cells: only the checked rows are needed from here
    sha256 = hashlib.sha256(content).hexdigest()
    upload = Upload(
        file_name,
        sha256,
        content,
        actor,
        "submission" if provider else "return",
        sheet=sheet,
        source=provider_source(charter, provider) if provider else "",
    )
    report = report_for(upload, result, "preview")
    if not result.ok:
        if not log_as:
            report.outcome = "rejected"
            return report
        with store.connect() as con:
            return reject(con, upload, report)
    with store.connect() as con:
        figures.stage(con, result.staged)
        diff = compare(con)
        report.warnings = to_confirm(con, charter)
    fill(report, diff)
    if not diff.added and not diff.revised:
        report.outcome = "no change"
    report.checked = Checked(sha256, charter, provider, day, upload.sheet, result)
    return report


def load_file(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    *,
    by: Actor | str | None = None,
    reason: str | None = None,
    kind: str = "return",
    source: str = "",
    confirmed: bool = False,
    provider: str | None = None,
    checked: LoadReport | None = None,
) -> LoadReport:
    """Validate and commit a file; a rejected attempt is logged and changes no figure.

    Implausible figures (metrics/ingest/plausible.py) are stored only when `confirmed`. `by`
    is the signed-in person (who must be an analyst), or the command line's `--user`. With
    `checked` (check_file's report of the same bytes, as the upload page keeps it) the rows
    it checked are stored without reading the file again, if it still stands (checked.py)."""
    actor = acting(by)
    require(actor, {ANALYST}, "upload a return")
    sha256 = hashlib.sha256(content).hexdigest()
    upload = Upload(
        file_name,
        sha256,
        content,
        actor,
        kind,
        text_limits.bounded(reason, "the reason for the revision", text_limits.REASON) or None,
        None,
        source,
    )
    upload.pack()
    kept = checked.checked if checked is not None else None
    if kept is not None and kept.serves(sha256, charter, provider):
        upload.sheet, result = kept.sheet, kept.result
    else:
        raw, result = read_and_check(file_name, content, charter, provider)
        upload.sheet = raw.sheet if raw else None
        del raw  # the file's cells: only the checked rows are needed from here
    report = report_for(upload, result, "rejected")
    with store.connect() as con:
        if not result.ok:
            return reject(con, upload, report)
        figures.stage(con, result.staged)
        report.warnings = to_confirm(con, charter)
        upload.confirmed = len(report.warnings) if confirmed else 0
        if report.warnings and not confirmed:
            report.errors = [
                RowError(
                    w.row,
                    "value",
                    fmt_number(w.value),
                    f"Check this figure: {w.message}",
                    "If it is right, confirm it (on the command line: --confirm) and store "
                    "the file again.",
                )
                for w in report.warnings
            ]
            report.error_total = len(report.errors)
            return reject(con, upload, report)
        try:
            report.upload_id, diff = commit(con, upload, result.rows_in_file)
        except NeedsReason as err:
            report.errors = [
                RowError(
                    None,
                    "",
                    "",
                    str(err),
                    "Say why the figures changed (for example 'provider "
                    "resubmitted corrected data') and load the file again.",
                )
            ]
            report.error_total = 1
            fill(report, err.diff)
            return reject(con, upload, report)
        except WriteConflict:  # another upload stored figures at the same instant, first
            report.errors = [
                RowError(
                    None, "", "",
                    "Someone else stored figures at the same moment, so nothing from this "
                    "file was stored.",
                    "Check the file again (what it adds and revises may have changed), then "
                    "store it.",
                )
            ]  # fmt: skip
            report.error_total = 1
            return reject(con, upload, report)
    fill(report, diff)
    report.outcome = "loaded" if diff.added or diff.revised else "no change"
    return report
