"""Compare a validated return with the stored figures and commit it in one transaction.

Revisions never overwrite: the current version of a changed figure is marked superseded (when
and by which upload) and the new version is added with who recorded it and why.
"""

from __future__ import annotations

import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

import pyarrow as pa

from metrics import text_limits
from metrics.access import audit
from metrics.access.people import Actor
from metrics.ingest.validate import RowError
from metrics.store.connection import Connection, transaction

# The current version of each staged figure, if any, and whether it is the same.
_SAME = """(o.value IS NOT DISTINCT FROM s.value AND o.symbol IS NOT DISTINCT FROM s.symbol
            AND o.numerator IS NOT DISTINCT FROM s.numerator
            AND o.denominator IS NOT DISTINCT FROM s.denominator)"""
_MATCH = """
FROM staged s
LEFT JOIN observations o
  ON o.superseded_by IS NULL AND o.indicator_id = s.indicator_id AND o.period = s.period
 AND o.area_code = s.area_code AND o.breakdown = s.breakdown AND o.grp = s.grp
 AND o.origin = s.origin
"""
# A figure sent again keeps its stored note unless the note is replaced or explicitly cleared
# with a dash: a file without a note column, or an empty cell, says nothing about the note.
CLEAR_NOTE = "-"
_NOTE = (
    f"CASE WHEN s.note IS NULL THEN o.note WHEN s.note = '{CLEAR_NOTE}' THEN NULL ELSE s.note END"
)
_UNCHANGED = f"({_SAME} AND o.status = s.status AND o.note IS NOT DISTINCT FROM {_NOTE})"

COUNTS = f"""
SELECT count(*) FILTER (WHERE o.obs_id IS NULL),
       count(*) FILTER (WHERE o.obs_id IS NOT NULL AND NOT {_UNCHANGED}),
       count(*) FILTER (WHERE o.obs_id IS NOT NULL AND {_UNCHANGED})
{_MATCH}
"""

# Only the revised figures are kept aside: few, and needed after new versions are added.
REVISED = f"""
CREATE OR REPLACE TEMP TABLE revised AS
SELECT s.row_no, s.indicator_id, s.period, s.area_code, s.breakdown, s.grp,
       o.value AS old_value, s.value, o.symbol AS old_symbol, s.symbol, o.status AS old_status,
       s.status, NOT {_SAME} AS figure_changed, o.obs_id AS old_id
{_MATCH}
WHERE o.obs_id IS NOT NULL AND NOT {_UNCHANGED}
"""

# The figures a file adds, for the preview (the first few thousand: a preview is read).
ADDITIONS = f"""
SELECT s.row_no, s.indicator_id, s.period, s.area_code, s.breakdown, s.grp, s.value, s.symbol,
       s.status
{_MATCH}
WHERE o.obs_id IS NULL ORDER BY s.row_no LIMIT 5000
"""

# Figures a file sends again as stored (its status or note may change): an unusual one was
# confirmed when it was first stored, so it is not asked about again.
SAME_FIGURE = f"""
SELECT s.row_no {_MATCH} WHERE o.obs_id IS NOT NULL AND {_SAME}
"""

REVISIONS = """
SELECT * EXCLUDE (old_id) FROM revised ORDER BY row_no
"""

SUPERSEDE = """
UPDATE observations SET superseded_by = $upload
WHERE obs_id IN (SELECT old_id FROM revised)
"""

INSERT = f"""
INSERT INTO observations
SELECT nextval('obs_id_seq'), s.indicator_id, s.period, s.area_code, s.breakdown, s.grp,
       s.value, s.numerator, s.denominator, s.symbol, s.status, {_NOTE}, $upload,
       o.obs_id IS NOT NULL, NULL, s.origin
{_MATCH}
WHERE o.obs_id IS NULL OR NOT {_UNCHANGED}
"""

NEW_PERIODS = """
INSERT INTO periods
SELECT DISTINCT period, period_kind, period_start, period_end FROM staged
WHERE period NOT IN (SELECT label FROM periods)
"""

NEXT_UPLOAD = "SELECT nextval('upload_id_seq')"

LOG_UPLOAD = """
INSERT INTO uploads VALUES ($id, $file_name, $sha256, $user, $now, $kind, $outcome, $rows,
                            $added, $revised, $unchanged, $rejected, $reason, $sheet, $source,
                            $message, $release_end)
"""

# Only when the file is not kept already (checked first, in the same transaction): a
# conditional INSERT ... SELECT copies a large parameter several times (3.5 s against 0.3 s
# for a 110 MB file).
KEEP_FILE = """
INSERT INTO upload_files VALUES ($sha256, $size, 'zlib', $content)
"""

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
    figure_changed: bool


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
    return {int(r[0]) for r in con.execute(SAME_FIGURE).fetchall()}


def compare(con: Connection, additions: bool = True) -> Diff:
    """Compare the view `staged` with the current figures; `additions` lists the new figures
    too (for a preview; storing needs only the counts)."""
    added, revised, unchanged = con.execute(COUNTS).fetchall()[0]
    con.execute(REVISED)
    revisions = [Revision(*r) for r in con.execute(REVISIONS).fetchall()]
    new = [Addition(*r) for r in con.execute(ADDITIONS).fetchall()] if added and additions else []
    return Diff(int(added), int(revised), int(unchanged), revisions, new)


def log_upload(
    con: Connection,
    upload: Upload,
    now: datetime,
    outcome: str,
    rows: int,
    diff: Diff,
    rejected: int,
    message: str,
) -> int:
    """Record an upload and keep its bytes; call inside the caller's transaction."""
    upload_id = int(con.execute(NEXT_UPLOAD).fetchall()[0][0])
    known = con.execute("SELECT count(*) FROM upload_files WHERE sha256 = ?", [upload.sha256])
    keep = outcome != "rejected" or len(upload.content) <= KEEP_REJECTED_BYTES
    if keep and not known.fetchall()[0][0]:
        con.execute(
            KEEP_FILE,
            {"sha256": upload.sha256, "size": len(upload.content), "content": upload.packed()},
        )
    con.execute(
        LOG_UPLOAD,
        {
            "id": upload_id,
            "file_name": upload.file_name,
            "sha256": upload.sha256,
            "user": upload.user,
            "now": now,
            "kind": upload.kind,
            "outcome": outcome,
            "rows": rows,
            "added": diff.added,
            "revised": diff.revised,
            "unchanged": diff.unchanged,
            "rejected": rejected,
            # why figures were revised: none when nothing was (an EES import always carries
            # "Revised in a newer release", which must not be logged for an import that
            # revised nothing)
            "reason": upload.reason if diff.revised else None,
            "sheet": upload.sheet,
            "source": upload.source or f"return: {upload.file_name}",
            "message": message,
            "release_end": upload.release_end,
        },
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
            con.register("_errors", table)
            con.execute("INSERT INTO upload_errors SELECT * FROM _errors")
            con.unregister("_errors")
    return upload_id


def commit(con: Connection, upload: Upload, rows: int) -> tuple[int, Diff]:
    """Store the new and revised figures of the validated view `staged`, all or nothing."""
    now = datetime.now()
    with transaction(con):
        diff = compare(con, additions=False)
        if diff.figures_changed and not (upload.reason or "").strip():
            raise NeedsReason(diff)
        outcome = "loaded" if diff.added or diff.revised else "no change"
        message = (
            f"{diff.added} added, {diff.revised} revised, {diff.unchanged} unchanged"
            if outcome == "loaded"
            else "No change: every figure is already stored."
        )
        if upload.confirmed:
            s = "s" if upload.confirmed != 1 else ""
            message += f"; {upload.confirmed} unusual figure{s} confirmed by {upload.user}"
        upload_id = log_upload(con, upload, now, outcome, rows, diff, 0, message)
        if diff.added or diff.revised:  # new versions first: SUPERSEDE would hide the old ones
            con.execute(NEW_PERIODS)
            con.execute(INSERT, {"upload": upload_id})
        if diff.revised:
            con.execute(SUPERSEDE, {"upload": upload_id})
            audit.record_revisions(con, upload.actor, upload_id, upload.reason, now)
    return upload_id, diff
