"""The quarterly review's queries: the quarter's state, commentary and agreed statuses
(actions are metrics/store/actions.py's). Rows come back as plain tuples in the order each
function's docstring gives; metrics/review/ builds its types from them and keeps the rules.

Versions are kept, never replaced: "in force" is each subject's latest version (as at a
moment, if given), picked with ROW_NUMBER() in a subquery so that any SQL database runs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

Row = tuple[Any, ...]

EARLIEST = """
SELECT min(p.start_date) FROM periods p
WHERE p.kind = 'fy_quarter' AND EXISTS (SELECT 1 FROM observations o WHERE o.period = p.label)
"""

STATE = "SELECT state, signed_off_at FROM review_quarters WHERE quarter = $quarter"
QUARTER = """
SELECT state, meeting_date, signed_off_at, signed_off_by, snapshot
FROM review_quarters WHERE quarter = $quarter
"""
# The quarter's row written with a new value: DuckDB (2.0) skips an update that changes
# nothing, and counts two transactions as conflicting only where they write one column of
# one row, so this writes `changed_at`, which every save of the row writes too.
HOLD_QUARTER = "UPDATE review_quarters SET changed_at = $at WHERE quarter = $quarter"
SAVE_QUARTER = """
INSERT INTO review_quarters VALUES ($quarter, $state, $meeting, $signed_at, $signed_by,
                                    $snapshot, $at, $by)
ON CONFLICT (quarter) DO UPDATE SET state = excluded.state, meeting_date = excluded.meeting_date,
    signed_off_at = excluded.signed_off_at, signed_off_by = excluded.signed_off_by,
    snapshot = excluded.snapshot, changed_at = excluded.changed_at,
    changed_by = excluded.changed_by
"""

COMMENTARY_COLUMNS = """commentary_id, quarter, subject, version, what_happens, why, what_next,
    written_by, written_at, figure_period, figure_value, figure_shown, copied_from"""
COMMENTARY_IN_FORCE = f"""
SELECT {COMMENTARY_COLUMNS} FROM (
    SELECT *, row_number() OVER (PARTITION BY subject ORDER BY version DESC) AS newest
    FROM commentary
    WHERE quarter = $quarter AND (CAST($as_at AS TIMESTAMP) IS NULL OR written_at <= $as_at)
) AS c
WHERE newest = 1
"""
COMMENTARY_HISTORY = f"""
SELECT {COMMENTARY_COLUMNS} FROM commentary WHERE quarter = $quarter AND subject = $subject
ORDER BY version DESC
"""
COMMENTARY_HISTORIES = f"""
SELECT {COMMENTARY_COLUMNS} FROM commentary WHERE quarter = $quarter
ORDER BY subject, version DESC
"""
COMMENTARY_VERSION = """
SELECT coalesce(max(version), 0) FROM commentary WHERE quarter = $quarter AND subject = $subject
"""
ADD_COMMENTARY = """
INSERT INTO commentary VALUES (nextval('commentary_id_seq'), $quarter, $subject, $version,
    $what, $why, $next, $by, $at, $figure_period, $figure_value, $figure_shown, $copied_from)
"""

AGREED_IN_FORCE = """
SELECT quarter, subject, version, status, computed, reason, agreed_by, agreed_at FROM (
    SELECT *, row_number() OVER (PARTITION BY subject ORDER BY version DESC) AS newest
    FROM agreed_statuses
    WHERE quarter = $quarter AND (CAST($as_at AS TIMESTAMP) IS NULL OR agreed_at <= $as_at)
) AS a
WHERE newest = 1
"""
AGREED_LATEST = """
SELECT version, status, agreed_by FROM agreed_statuses
WHERE quarter = $quarter AND subject = $subject ORDER BY version DESC LIMIT 1
"""
AGREED_VERSION = """
SELECT coalesce(max(version), 0) FROM agreed_statuses
WHERE quarter = $quarter AND subject = $subject
"""
ADD_AGREED = """
INSERT INTO agreed_statuses VALUES ($quarter, $subject, $version, $status, $computed, $reason,
                                    $by, $at)
"""


def first_quarter_start(con: Connection) -> date | None:
    """The first day of the earliest financial-year quarter with figures (None: no figures)."""
    found: date | None = con.execute(EARLIEST).fetchall()[0][0]
    return found


def quarter_state(con: Connection, quarter: str) -> tuple[str, datetime | None] | None:
    """(state, signed_off_at) of a quarter's review, or None if it was never moved on."""
    rows = con.execute(STATE, {"quarter": quarter}).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def hold_quarter(con: Connection, quarter: str) -> None:
    """Write the quarter's review row (its `changed_at`: when it or the quarter's words last
    changed), so that another transaction changing it (a sign-off) conflicts with this one,
    on DuckDB and PostgreSQL alike."""
    con.execute(HOLD_QUARTER, {"quarter": quarter, "at": datetime.now()})


@remembered(QUARTER)  # every page's review read asks (a cold page's too: no figures in it)
def quarter_review(con: Connection, quarter: str) -> Row | None:
    """(state, meeting_date, signed_off_at, signed_off_by, snapshot), or None."""
    rows = con.execute(QUARTER, {"quarter": quarter}).fetchall()
    return tuple(rows[0]) if rows else None


def save_quarter_review(
    con: Connection,
    quarter: str,
    *,
    state: str,
    meeting: date | None,
    signed_at: datetime | None,
    signed_by: str | None,
    snapshot: str | None,
    at: datetime,
    by: str,
) -> None:
    """Add or replace the quarter's review row (its history is the audit trail)."""
    con.execute(
        SAVE_QUARTER,
        {"quarter": quarter, "state": state, "meeting": meeting, "signed_at": signed_at,
         "signed_by": signed_by, "snapshot": snapshot, "at": at, "by": by},
    )  # fmt: skip


@remembered(COMMENTARY_IN_FORCE)
def commentary_in_force(con: Connection, quarter: str, as_at: datetime | None) -> list[Row]:
    """Each subject's latest commentary row for the quarter (as at `as_at`, if given); a row
    is (commentary_id, quarter, subject, version, what, why, next, written_by, written_at,
    figure_period, figure_value, figure_shown, copied_from)."""
    return _rows(con, COMMENTARY_IN_FORCE, {"quarter": quarter, "as_at": as_at})


def commentary_history(con: Connection, quarter: str, subject: str) -> list[Row]:
    """Every version of a subject's commentary, newest first (rows as above)."""
    return _rows(con, COMMENTARY_HISTORY, {"quarter": quarter, "subject": subject})


def commentary_histories(con: Connection, quarter: str) -> list[Row]:
    """Every subject's versions for the quarter, by subject, newest first (rows as above)."""
    return _rows(con, COMMENTARY_HISTORIES, {"quarter": quarter})


def latest_commentary_version(con: Connection, quarter: str, subject: str) -> int:
    """0 when there is none yet."""
    key = {"quarter": quarter, "subject": subject}
    return int(con.execute(COMMENTARY_VERSION, key).fetchall()[0][0])


def add_commentary(con: Connection, row: Mapping[str, object]) -> None:
    """A new version: `row` has quarter, subject, version, what, why, next, by, at,
    figure_period, figure_value, figure_shown and copied_from."""
    con.execute(ADD_COMMENTARY, row)


@remembered(AGREED_IN_FORCE)
def agreed_in_force(con: Connection, quarter: str, as_at: datetime | None) -> list[Row]:
    """Each subject's latest agreed status (as at `as_at`, if given), withdrawn ones too:
    (quarter, subject, version, status, computed, reason, agreed_by, agreed_at)."""
    return _rows(con, AGREED_IN_FORCE, {"quarter": quarter, "as_at": as_at})


def latest_agreed(con: Connection, quarter: str, subject: str) -> Row | None:
    """(version, status (None: withdrawn), agreed by) of the subject's latest agreement."""
    rows = con.execute(AGREED_LATEST, {"quarter": quarter, "subject": subject}).fetchall()
    return tuple(rows[0]) if rows else None


def latest_agreed_version(con: Connection, quarter: str, subject: str) -> int:
    key = {"quarter": quarter, "subject": subject}
    return int(con.execute(AGREED_VERSION, key).fetchall()[0][0])


def add_agreed(con: Connection, row: Mapping[str, object]) -> None:
    """A new version: `row` has quarter, subject, version, status (None: withdrawn),
    computed, reason, by and at."""
    con.execute(ADD_AGREED, row)


def _rows(con: Connection, sql: str, params: Mapping[str, object]) -> list[Row]:
    return [tuple(r) for r in con.execute(sql, params).fetchall()]
