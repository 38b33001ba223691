"""Compare a validated return with the stored figures and commit it in one transaction.

Revisions never overwrite: the current version of a changed figure is marked superseded (when
and by which upload) and the new version is added with who recorded it and why.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

import pyarrow as pa

from metrics import text_limits
from metrics.access import audit
from metrics.access.people import Actor
from metrics.ingest.validate import RowError
from metrics.store import figures
from metrics.store.connection import Connection, transaction

# A figure sent again keeps its stored note unless the note is replaced or explicitly cleared
# with a dash (the comparison itself is the store's: metrics/store/figures.py).
CLEAR_NOTE = figures.CLEAR_NOTE

# A rejected upload keeps its file only when it is small: a 1 GB mistake must not fill the
# database. Its hash, name and first errors are always kept.
KEEP_REJECTED_BYTES = 5 * 1024 * 1024


_PACKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-upload")


@dataclass(frozen=True)
class Revision:
    row: int
    indicator_id: str
    period: str
    area_code: str
    breakdown: str
    group: str
    old_value: float | None
    new_value: float | None
    old_symbol: str | None
    new_symbol: str | None
    old_status: str
    new_status: str
    figure_changed: bool  # the value, symbol or counts (what a reason is asked for)
    counts_added: bool = False  # the same figure, its missing numerator or denominator given
    # The counts and note, before and after: a revision may change only these, and a
    # preview showing "50 -> 50" would hide what it stores (load_report.revision_words).
    old_numerator: float | None = None
    new_numerator: float | None = None
    old_denominator: float | None = None
    new_denominator: float | None = None
    old_note: str | None = None
    new_note: str | None = None


@dataclass
class Upload:
    """Who sent what: the facts logged with every upload."""

    file_name: str
    sha256: str
    content: bytes
    actor: Actor
    kind: str = "return"
    reason: str | None = None
    sheet: str | None = None
    source: str = ""
    confirmed: int = 0  # unusual figures the uploader confirmed were right (for the log)
    release_end: date | None = None  # a published file: the end of its newest period
    _packed: Future[bytes] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The name as sent, cleaned and cut (metrics/text_limits.py): it is logged and shown.
        self.file_name = text_limits.file_name(self.file_name)

    @property
    def user(self) -> str:
        """The name the upload log keeps (the audit trail keeps the rest)."""
        return self.actor.label

    def pack(self) -> None:
        """Start compressing the file for keeping, in parallel with validation (zlib lets
        go of the GIL); level 1 is a fast squeeze for a file we rarely read again."""
        if self._packed is None:
            self._packed = _PACKER.submit(zlib.compress, self.content, 1)

    def packed(self) -> bytes:
        self.pack()
        assert self._packed is not None
        return self._packed.result()


@dataclass(frozen=True)
class Addition:
    row: int
    indicator_id: str
    period: str
    area_code: str
    breakdown: str
    group: str
    value: float | None
    symbol: str | None
    status: str


@dataclass
class Diff:
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    revisions: list[Revision] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)

    @property
    def figures_changed(self) -> int:
        return sum(r.figure_changed for r in self.revisions)

    @property
    def counts_added(self) -> int:
        return sum(r.counts_added for r in self.revisions)

    def words(self) -> str:
        return counts_words(self.added, self.revised, self.unchanged, self.counts_added)


def counts_words(added: int, revised: int, unchanged: int, counts_added: int = 0) -> str:
    """ "3 added, 1 revised, 2 with counts added, 40 unchanged": a figure given the numerator
    or denominator it lacked (the same value) is not counted as revised."""
    with_counts = f", {counts_added} with counts added" if counts_added else ""
    return f"{added} added, {revised - counts_added} revised{with_counts}, {unchanged} unchanged"


class NeedsReason(ValueError):
    """Stored figures would change, and no reason was given."""

    def __init__(self, diff: Diff):
        self.diff = diff
        super().__init__(
            f"{diff.figures_changed} stored figure{'s' if diff.figures_changed != 1 else ''} "
            "would be revised; give a reason for the revision."
        )


def same_figure_rows(con: Connection) -> set[int]:
    """Rows of the view `staged` whose figure is already stored exactly as sent."""
    return figures.same_figure_rows(con)


def compare(con: Connection, additions: bool = True) -> Diff:
    """Compare the view `staged` with the current figures; `additions` lists the new figures
    too (for a preview; storing needs only the counts)."""
    added, revised, unchanged, revisions, new = figures.compare(con, additions)
    return Diff(
        added,
        revised,
        unchanged,
        [Revision(*r) for r in revisions],
        [Addition(*r) for r in new],
    )


def log_upload(
    con: Connection,
    upload: Upload,
    now: datetime,
    outcome: str,
    rows: int,
    diff: Diff,
    rejected: int,
    message: str,
    keep: bool = True,
) -> int:
    """Record an upload and keep its bytes (`keep` False: the caller does, with `keep_bytes`,
    later in the same transaction); call inside the caller's transaction."""
    upload_id = figures.next_upload_id(con)
    if keep:
        keep_bytes(con, upload, outcome)
    figures.add_upload(
        con,
        id=upload_id,
        file_name=upload.file_name,
        sha256=upload.sha256,
        user=upload.user,
        now=now,
        kind=upload.kind,
        outcome=outcome,
        rows=rows,
        added=diff.added,
        revised=diff.revised,
        unchanged=diff.unchanged,
        rejected=rejected,
        # why figures were revised: none when nothing was (an EES import always carries
        # "Revised in a newer release", which must not be logged for an import that
        # revised nothing)
        reason=upload.reason if diff.revised else None,
        sheet=upload.sheet,
        source=upload.source or f"return: {upload.file_name}",
        message=message,
        release_end=upload.release_end,
    )
    kind = {"published": "published import", "submission": "submission"}.get(upload.kind, "upload")
    audit.record(
        con,
        upload.actor,
        f"{kind} rejected" if outcome == "rejected" else kind,
        f"upload {upload_id}: {upload.file_name}",
        message + (f" Reason: {upload.reason}" if upload.reason and diff.revised else ""),
        at=now,
    )
    return upload_id


def keep_bytes(con: Connection, upload: Upload, outcome: str) -> None:
    """Keep the upload's compressed bytes (once per content; a large rejected file not)."""
    keep = outcome != "rejected" or len(upload.content) <= KEEP_REJECTED_BYTES
    if keep and not figures.file_kept(con, upload.sha256):
        figures.keep_file(con, upload.sha256, len(upload.content), upload.packed())


def record_rejection(
    con: Connection,
    upload: Upload,
    rows: int,
    rejected: int,
    errors: list[RowError],
    message: str,
) -> int:
    now = datetime.now()
    with transaction(con):
        upload_id = log_upload(con, upload, now, "rejected", rows, Diff(), rejected, message)
        if errors:  # one bulk insert: row by row took minutes for a large bad file
            table = pa.table(
                {
                    "upload_id": pa.array([upload_id] * len(errors), pa.int32()),
                    "row_no": pa.array([e.row for e in errors], pa.int32()),
                    "column_name": [e.column for e in errors],
                    "value": [e.value for e in errors],
                    "problem": [e.problem for e in errors],
                    "fix": [e.fix for e in errors],
                }
            )
            figures.add_errors(con, table)
    return upload_id


def commit(
    con: Connection,
    upload: Upload,
    rows: int,
    known: Callable[[Connection], Diff | None] | None = None,
    then: Callable[[Connection, int, Diff], None] | None = None,
) -> tuple[int, Diff]:
    """Store the new and revised figures of the validated view `staged`, all or nothing.
    `known`: the comparison as the preview found it, if the store (read in this transaction)
    still stands as it was then (checked.Preview.diff), else None, and it is asked again.
    `then(con, upload_id, diff)`: what else the storing decides, in the same transaction (a
    provider's submission marked accepted): if it raises, nothing is stored."""
    now = datetime.now()
    with transaction(con):
        diff = (known(con) if known else None) or compare(con, additions=False)
        if diff.figures_changed and not (upload.reason or "").strip():
            raise NeedsReason(diff)
        outcome = "loaded" if diff.added or diff.revised else "no change"
        message = (
            diff.words() if outcome == "loaded" else "No change: every figure is already stored."
        )
        if upload.confirmed:
            s = "s" if upload.confirmed != 1 else ""
            message += f"; {upload.confirmed} unusual figure{s} confirmed by {upload.user}"
        upload_id = log_upload(con, upload, now, outcome, rows, diff, 0, message, keep=False)
        figures.store_staged(
            con,
            upload_id,
            bool(diff.added or diff.revised),
            bool(diff.revised),
            all_new=not diff.revised and not diff.unchanged,
        )
        # The bytes last: their compression (started with the store, on a thread) runs beside
        # the INSERT, which keeps one core (a 50 MB return's log waited 0.1 s for it before).
        keep_bytes(con, upload, outcome)
        if diff.revised:
            audit.record_revisions(con, upload.actor, upload_id, upload.reason, now)
        if then is not None:
            then(con, upload_id, diff)
    figures.refresh_statistics(con, diff.added + diff.revised)
    return upload_id, diff
