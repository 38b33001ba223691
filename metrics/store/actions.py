"""The queries of the actions the planning group agrees and their dated progress log. Rows
come back as plain tuples in the order each docstring gives; metrics/review/actions.py keeps
the rules. An action's state is its latest log entry, picked with ROW_NUMBER() in a subquery
so that any SQL database runs it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

Row = tuple[Any, ...]

NEXT_ID = "SELECT nextval('action_id_seq')"
ADD = """
INSERT INTO actions VALUES ($id, $title, $statement, $indicators, $owner, $due, $quarter, $by,
                            $at)
"""
ADD_UPDATE = """
INSERT INTO action_updates VALUES ($id, $version, $status, $note, $by, $at)
"""
LATEST_VERSION = """
SELECT coalesce(max(version), 0) FROM action_updates WHERE action_id = $id
"""
# Each action with its latest update (as at $as_at, if given).
LIST = """
SELECT action_id, title, statement, indicators, owner, due, agreed_quarter, created_by,
       created_at, status, note, updated_by, updated_at, version
FROM (
    SELECT a.action_id, a.title, a.statement, a.indicators, a.owner, a.due, a.agreed_quarter,
           a.created_by, a.created_at, u.status, u.note, u.updated_by, u.updated_at, u.version,
           row_number() OVER (PARTITION BY a.action_id ORDER BY u.version DESC) AS newest
    FROM actions a
    JOIN action_updates u ON u.action_id = a.action_id
    WHERE (CAST($as_at AS TIMESTAMP) IS NULL
           OR (a.created_at <= $as_at AND u.updated_at <= $as_at))
) AS latest
WHERE newest = 1
ORDER BY due, action_id
"""
LOG = """
SELECT version, status, note, updated_by, updated_at FROM action_updates
WHERE action_id = $id ORDER BY version
"""
STATES = """
SELECT action_id, status FROM (
    SELECT action_id, status,
           row_number() OVER (PARTITION BY action_id ORDER BY version DESC) AS newest
    FROM action_updates
) AS latest
WHERE newest = 1
"""
EXISTS = "SELECT count(*) FROM actions WHERE action_id = $id"


def next_action_id(con: Connection) -> int:
    return int(con.execute(NEXT_ID).fetchall()[0][0])


def add_action(
    con: Connection,
    action_id: int,
    *,
    title: str,
    statement: int | None,
    indicators: str,
    owner: str,
    due: date,
    quarter: str,
    by: str,
    at: datetime,
) -> None:
    con.execute(
        ADD,
        {"id": action_id, "title": title, "statement": statement, "indicators": indicators,
         "owner": owner, "due": due, "quarter": quarter, "by": by, "at": at},
    )  # fmt: skip


def add_update(
    con: Connection, action_id: int, version: int, status: str, note: str, by: str, at: datetime
) -> None:
    """A log entry: the action's new status and a dated note."""
    con.execute(
        ADD_UPDATE,
        {"id": action_id, "version": version, "status": status, "note": note, "by": by,
         "at": at},
    )  # fmt: skip


def latest_version(con: Connection, action_id: int) -> int:
    """The number of the action's last log entry (0: there is no such action)."""
    return int(con.execute(LATEST_VERSION, {"id": action_id}).fetchall()[0][0])


@remembered(LIST)
def actions_with_latest_update(con: Connection, as_at: datetime | None) -> list[Row]:
    """Every action with its latest log entry (as at `as_at`, if given), by due date:
    (action_id, title, statement, indicators, owner, due, agreed_quarter, created_by,
    created_at, status, note, updated_by, updated_at, version: the log entry's number)."""
    return [tuple(r) for r in con.execute(LIST, {"as_at": as_at}).fetchall()]


def log(con: Connection, action_id: int) -> list[Row]:
    """The progress log, oldest first: (version, status, note, updated_by, updated_at)."""
    return [tuple(r) for r in con.execute(LOG, {"id": action_id}).fetchall()]


def latest_statuses(con: Connection) -> dict[int, str]:
    """Each action's status now."""
    return {int(r[0]): r[1] for r in con.execute(STATES).fetchall()}


def exists(con: Connection, action_id: int) -> bool:
    return bool(con.execute(EXISTS, {"id": action_id}).fetchall()[0][0])
