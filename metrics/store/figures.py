"""Observations and uploads: comparing a checked file with the stored figures, and storing it.

The in-memory checking engine (metrics/ingest/) hands its rows over as an Arrow table; `stage`
makes it readable here as the table `staged`, and every query below that names `staged` reads
it. What a comparison or a store means (reasons, confirming, the audit) stays in
metrics/ingest/commit.py; these are the statements.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from metrics.store.connection import Connection

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
# Counts given that were missing: the same value (or symbol), with a numerator or denominator
# that was missing now given and none changed. The figure itself has not changed, so no
# reason is asked for it (`figure_changed`).
_COUNTS_GIVEN = """(o.value IS NOT DISTINCT FROM s.value AND o.symbol IS NOT DISTINCT FROM s.symbol
            AND (o.numerator IS NULL OR o.numerator IS NOT DISTINCT FROM s.numerator)
            AND (o.denominator IS NULL OR o.denominator IS NOT DISTINCT FROM s.denominator)
            AND (o.numerator IS DISTINCT FROM s.numerator
                 OR o.denominator IS DISTINCT FROM s.denominator))"""
# Counts added: that and nothing else (the same status and note). It is no revision: it is
# audited as counts added, and its new version is no more a revision than the one it
# follows. A status or note changed with them is a revision, as either alone is.
_COUNTS_ADDED = f"""({_COUNTS_GIVEN} AND o.status = s.status
            AND o.note IS NOT DISTINCT FROM {_NOTE})"""

COUNTS = f"""
SELECT count(*) FILTER (WHERE o.obs_id IS NULL),
       count(*) FILTER (WHERE o.obs_id IS NOT NULL AND NOT {_UNCHANGED}),
       count(*) FILTER (WHERE o.obs_id IS NOT NULL AND {_UNCHANGED})
{_MATCH}
"""

# Only the revised figures are kept aside: few, and needed after new versions are added.
REVISED = f"""
CREATE TEMP TABLE revised AS
SELECT s.row_no, s.indicator_id, s.period, s.area_code, s.breakdown, s.grp,
       o.value AS old_value, s.value, o.symbol AS old_symbol, s.symbol, o.status AS old_status,
       s.status, NOT {_SAME} AND NOT {_COUNTS_GIVEN} AS figure_changed, o.obs_id AS old_id,
       o.numerator AS old_numerator, s.numerator, o.denominator AS old_denominator,
       s.denominator, o.note AS old_note, {_NOTE} AS note, {_COUNTS_ADDED} AS counts_added
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

# Figures a file sends again as stored (its status or note may change).
SAME_FIGURE = f"""
SELECT s.row_no {_MATCH} WHERE o.obs_id IS NOT NULL AND {_SAME}
"""

REVISIONS = """
SELECT row_no, indicator_id, period, area_code, breakdown, grp, old_value, value, old_symbol,
       symbol, old_status, status, figure_changed, counts_added, old_numerator, numerator,
       old_denominator, denominator, old_note, note
FROM revised ORDER BY row_no
"""

SUPERSEDE = """
UPDATE observations SET superseded_by = $upload
WHERE obs_id IN (SELECT old_id FROM revised)
"""

INSERT = f"""
INSERT INTO observations
SELECT nextval('obs_id_seq'), s.indicator_id, s.period, s.area_code, s.breakdown, s.grp,
       s.value, s.numerator, s.denominator, s.symbol, s.status, {_NOTE}, $upload,
       CASE WHEN o.obs_id IS NULL THEN false WHEN {_COUNTS_ADDED} THEN o.is_revision
            ELSE true END, NULL, s.origin
{_MATCH}
WHERE o.obs_id IS NULL OR NOT {_UNCHANGED}
"""

# When every staged figure is new (none stored in any version the file matches: `compare`
# found none revised or unchanged, in the same transaction), without the join: for a 50 MB
# return the join's hash table over the staged rows was the upload's peak of memory.
INSERT_NEW = f"""
INSERT INTO observations
SELECT nextval('obs_id_seq'), s.indicator_id, s.period, s.area_code, s.breakdown, s.grp,
       s.value, s.numerator, s.denominator, s.symbol, s.status,
       CASE WHEN s.note = '{CLEAR_NOTE}' THEN NULL ELSE s.note END, $upload, false, NULL,
       s.origin
FROM staged s
"""

# The staged figures' indicators and periods (of their origin) marked as written by this
# upload (migrations 19 and 20), before anything is added: two transactions storing figures
# of one indicator and period at once both change its row, and one of them conflicts
# (WriteConflict), so a new figure is never added twice; uploads of other periods of the
# indicator do not. Our own figures and published ones never share a row.
CLAIM = """
INSERT INTO figure_writes
SELECT DISTINCT indicator_id, period, origin, $upload FROM staged
ON CONFLICT (indicator_id, period, origin) DO UPDATE SET upload_id = excluded.upload_id
"""

NEW_PERIODS = """
INSERT INTO periods
SELECT DISTINCT period, period_kind, period_start, period_end FROM staged
WHERE period NOT IN (SELECT label FROM periods)
"""

NEXT_UPLOAD = "SELECT nextval('upload_id_seq')"

FILE_KEPT = "SELECT count(*) FROM upload_files WHERE sha256 = $sha256"

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

ADD_ERRORS = """
INSERT INTO upload_errors (upload_id, row_no, column_name, value, problem, fix)
SELECT upload_id, row_no, column_name, value, problem, fix FROM _errors
"""

# The staged figures of our council, and its stored ones of the staged indicators: what the
# unusual-figure check reads (metrics/ingest/plausible.py).
STAGED_FIGURES = """
SELECT row_no, indicator_id, period, breakdown, grp, value, numerator FROM staged
WHERE area_code = $council AND value IS NOT NULL
ORDER BY row_no
"""

STORED_FIGURES = """
SELECT o.indicator_id, o.breakdown, o.grp, o.period, o.value FROM observations o
JOIN periods p ON p.label = o.period
WHERE o.area_code = $council AND o.superseded_by IS NULL
  AND o.origin = 'local' AND o.value IS NOT NULL
  AND o.indicator_id IN (SELECT DISTINCT indicator_id FROM staged)
ORDER BY p.start_date
"""

# Every figure of the periods the file touches, the file's own and the stored ones it leaves
# as they are (metrics/ingest/adding_up.py).
FIGURES_OF_TOUCHED_PERIODS = """
WITH touched AS (
    SELECT DISTINCT indicator_id, period FROM staged WHERE area_code = $council
)
SELECT row_no, indicator_id, period, breakdown, grp, value, numerator, denominator, symbol
FROM staged WHERE area_code = $council
UNION ALL
SELECT NULL, o.indicator_id, o.period, o.breakdown, o.grp, o.value, o.numerator,
       o.denominator, o.symbol
FROM observations o JOIN touched t
  ON t.indicator_id = o.indicator_id AND t.period = o.period
WHERE o.area_code = $council AND o.superseded_by IS NULL AND o.origin = 'local'
  AND NOT EXISTS (
      SELECT 1 FROM staged s
      WHERE s.area_code = $council AND s.indicator_id = o.indicator_id AND s.period = o.period
        AND s.breakdown = o.breakdown AND s.grp = o.grp)
"""

# The demo dates its uploads as if sent over the year (metrics/demo/).
REDATE = "UPDATE uploads SET uploaded_at = $at WHERE upload_id = $upload"

Row = tuple[Any, ...]  # a row as the driver gives it


def stage(con: Connection, staged: pa.Table) -> None:
    """A checked file's rows, readable as `staged` by the queries below until the
    connection ends. Storing them changes only the figures of their origins (our own or
    published) and indicators (metrics/store/changes.py)."""
    if "origin" in staged.column_names:
        con.storing_origins({str(o) for o in pc.unique(staged["origin"]).to_pylist()})
    if "indicator_id" in staged.column_names:  # and of their indicators (changes.py)
        con.storing_indicators({str(i) for i in pc.unique(staged["indicator_id"]).to_pylist()})
    con.register("staged", staged)


def same_figure_rows(con: Connection) -> set[int]:
    """Rows of `staged` whose figure is already stored exactly as sent."""
    return {int(r[0]) for r in con.execute(SAME_FIGURE).fetchall()}


def compare(con: Connection, additions: bool = True) -> tuple[int, int, int, list[Row], list[Row]]:
    """(added, revised, unchanged, revised rows, added rows) of `staged` against the current
    figures; the revised rows are kept aside (as `revised`) for `store_staged`. The added rows
    (the first 5,000) only with `additions`."""
    added, revised, unchanged = con.execute(COUNTS).fetchall()[0]
    # PostgreSQL has no CREATE OR REPLACE for tables; DuckDB keeps its one statement.
    if con.backend == "duckdb":
        con.execute(REVISED.replace("CREATE TEMP", "CREATE OR REPLACE TEMP", 1))
    else:
        con.execute("DROP TABLE IF EXISTS pg_temp.revised")
        con.execute(REVISED)
    revisions = con.execute(REVISIONS).fetchall()
    new = con.execute(ADDITIONS).fetchall() if added and additions else []
    return int(added), int(revised), int(unchanged), revisions, new


def next_upload_id(con: Connection) -> int:
    return int(con.execute(NEXT_UPLOAD).fetchall()[0][0])


def file_kept(con: Connection, sha256: str) -> bool:
    return bool(con.execute(FILE_KEPT, {"sha256": sha256}).fetchall()[0][0])


def keep_file(con: Connection, sha256: str, size: int, packed: bytes) -> None:
    """Keep an upload's bytes (zlib-compressed), once per content."""
    con.execute(KEEP_FILE, {"sha256": sha256, "size": size, "content": packed})


def add_upload(con: Connection, **row: object) -> None:
    """A row of the upload log: id, file_name, sha256, user, now, kind, outcome, rows, added,
    revised, unchanged, rejected, reason, sheet, source, message, release_end."""
    con.execute(LOG_UPLOAD, row)


def add_errors(con: Connection, errors: pa.Table) -> None:
    """An upload's errors in one bulk insert (row by row took minutes for a large bad file):
    columns upload_id, row_no, column_name, value, problem, fix."""
    con.register("_errors", errors)
    con.execute(ADD_ERRORS)
    con.unregister("_errors")


def store_staged(
    con: Connection, upload_id: int, added_or_revised: bool, revised: bool, all_new: bool = False
) -> None:
    """Store the new and revised figures of `staged` as `upload_id`, and mark the versions they
    revise superseded (after `compare`, in the same transaction). `all_new`: `compare` found
    every staged figure new (none revised, none unchanged)."""
    if added_or_revised:  # new versions first: SUPERSEDE would hide the old ones
        con.execute(CLAIM, {"upload": upload_id})
        con.execute(NEW_PERIODS)
        con.execute(INSERT_NEW if all_new else INSERT, {"upload": upload_id})
    if revised:
        con.execute(SUPERSEDE, {"upload": upload_id})


# Figure versions one upload may add or revise before PostgreSQL's statistics of
# `observations` are brought up to date at once rather than by autovacuum within the minute.
STATISTICS_STALE_AFTER = 10_000


def refresh_statistics(con: Connection, changed: int) -> None:
    """After an upload has committed: on PostgreSQL, when it changed `changed` >=
    STATISTICS_STALE_AFTER figure versions, ANALYZE `observations`. Until autovacuum gets to
    it, the planner still believes the table as it was: just after the national demo's
    1.6 million rows went into an empty table, it expected 17 current totals and read all
    158,472 to find 5,852 (0.3 s for a council's charter status instead of 0.04 s). DuckDB
    keeps no such statistics to go stale."""
    if con.backend == "postgresql" and changed >= STATISTICS_STALE_AFTER:
        con.execute("ANALYZE observations")


def staged_figures(con: Connection, council: str) -> list[Row]:
    """(row, indicator, period, breakdown, group, value, numerator) of our council in `staged`."""
    return con.execute(STAGED_FIGURES, {"council": council}).fetchall()


def stored_figures_of_staged(con: Connection, council: str) -> list[Row]:
    """(indicator, breakdown, group, period, value) of our council's current figures of the
    staged indicators, oldest period first."""
    return con.execute(STORED_FIGURES, {"council": council}).fetchall()


def figures_of_touched_periods(con: Connection, council: str) -> list[Row]:
    """(row or None, indicator, period, breakdown, group, value, numerator, denominator,
    symbol) of the staged figures and the stored ones of the same periods they leave alone."""
    return con.execute(FIGURES_OF_TOUCHED_PERIODS, {"council": council}).fetchall()


def redate_upload(con: Connection, upload_id: int | None, at: datetime | date) -> None:
    con.execute(REDATE, {"at": at, "upload": upload_id})
