"""A return read and checked, and previewed against the store without storing a figure.

`check_file` is what the upload page calls first; `read_and_check` reads and validates a
file without the store, so a large or bad file never holds its lock.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from charter import Charter
from metrics.access.people import Actor, acting, may_send
from metrics.ingest import layout
from metrics.ingest.checked import Checked, Preview, store_state
from metrics.ingest.commit import Upload, compare, record_rejection, same_figure_rows
from metrics.ingest.load_report import LoadReport, fill, report_for
from metrics.ingest.plausible import Unusual, implausible
from metrics.ingest.read import FileProblem, RawTable, read_upload
from metrics.ingest.validate import RowError, Validation, validate_file
from metrics.store import figures
from metrics.store.connection import Connection, Store

_HASHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hash-upload")


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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
    hashing = _HASHER.submit(_sha256, content)  # beside the read (hashlib lets go of the GIL)
    raw, result = read_and_check(file_name, content, charter, provider)
    sheet = raw.sheet if raw else None
    del raw  # the file's cells: only the checked rows are needed from here
    sha256 = hashing.result()
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
        seen = store_state(con)  # before comparing: a write after this changes the state
        figures.stage(con, result.staged)
        diff = compare(con)
        report.warnings = to_confirm(con, charter)
    fill(report, diff)
    if not diff.added and not diff.revised:
        report.outcome = "no change"
    preview = None
    if seen is not None:
        found = (diff.added, diff.revised, diff.unchanged, tuple(report.warnings))
        preview = Preview(seen, *found)
    report.checked = Checked(sha256, charter, provider, day, upload.sheet, result, preview)
    return report
