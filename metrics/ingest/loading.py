"""A return stored: checked (or the check's kept rows taken), then committed, all or nothing.

A file with any error changes no figure (its attempt is logged, with the errors and the
file's bytes); a valid file is committed in one transaction; the same file again is
"no change".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from charter import Charter
from metrics import text_limits
from metrics.access.people import ANALYST, Actor, acting, require
from metrics.ingest.checking import read_and_check, reject, to_confirm
from metrics.ingest.commit import Diff, NeedsReason, Upload, commit
from metrics.ingest.load_report import LoadReport, fill, fmt_number, report_for
from metrics.ingest.plausible import Unusual
from metrics.ingest.validate import RowError
from metrics.store import figures
from metrics.store.connection import Connection, Store, WriteConflict


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
    then: Callable[[Connection, int, Diff], None] | None = None,
    shown: list[Unusual] | None = None,
) -> LoadReport:
    """Validate and commit a file; a rejected attempt is logged and changes no figure.

    Implausible figures (metrics/ingest/plausible.py) are stored only when `confirmed`. `by`
    is the signed-in person (who must be an analyst), or the command line's `--user`. With
    `checked` (check_file's report of the same bytes, as the upload page keeps it) the rows
    it checked are stored without reading the file again, if it still stands (checked.py).
    `then` runs in the storing's transaction (commit.commit): if it raises, nothing is stored.
    `shown` (without `checked`): the unusual figures the person confirming was shown."""
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
    preview = None
    if kept is not None and kept.serves(sha256, charter, provider):
        upload.sheet, result, preview = kept.sheet, kept.result, kept.preview
    else:
        raw, result = read_and_check(file_name, content, charter, provider)
        upload.sheet = raw.sheet if raw else None
        del raw  # the file's cells: only the checked rows are needed from here
    report = report_for(upload, result, "rejected")
    with store.connect() as con:
        if not result.ok:
            return reject(con, upload, report)
        figures.stage(con, result.staged)
        # The preview's unusual figures while the store is as it was for them (checked.py)
        if preview is not None and preview.stands(con):
            report.warnings = list(preview.warnings)
        else:
            report.warnings = to_confirm(con, charter)
            seen = checked.warnings if checked is not None else shown
            if seen is not None and _said(report.warnings) != _said(seen):
                confirmed = False  # what was confirmed is not what there is now: checked again
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
            known = preview.diff if preview is not None else None
            report.upload_id, diff = commit(con, upload, result.rows_in_file, known, then)
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


def _said(warnings: list[Unusual]) -> set[tuple[int, str]]:
    return {(w.row, w.message) for w in warnings}
