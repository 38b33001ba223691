"""Queries of where we are heading and what the packs say first (issue 31): the chair's
trajectories, the quarter's key messages and each audience's choice of pack sections. Each
is versioned: a change adds a version, and the latest (as at a moment, if given) is in force.
Rows come back as plain tuples in the order each docstring gives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

Row = tuple[Any, ...]

TRAJECTORIES = """
SELECT indicator_id, version, steps, reason, set_by, set_at FROM (
    SELECT *, row_number() OVER (PARTITION BY indicator_id ORDER BY version DESC) AS newest
    FROM trajectories
) AS t
WHERE newest = 1
ORDER BY indicator_id
"""
TRAJECTORY_VERSION = """
SELECT coalesce(max(version), 0) FROM trajectories WHERE indicator_id = $indicator
"""
ADD_TRAJECTORY = """
INSERT INTO trajectories VALUES ($indicator, $version, $steps, $reason, $by, $at)
"""

KEY_MESSAGES = """
SELECT quarter, version, better, worse, off_track, asks, written_by, written_at
FROM key_messages
WHERE quarter = $quarter AND (CAST($as_at AS TIMESTAMP) IS NULL OR written_at <= $as_at)
ORDER BY version DESC
"""
KEY_MESSAGES_VERSION = "SELECT coalesce(max(version), 0) FROM key_messages WHERE quarter = $quarter"
ADD_KEY_MESSAGES = """
INSERT INTO key_messages VALUES ($quarter, $version, $better, $worse, $off_track, $asks, $by, $at)
"""

SECTIONS = """
SELECT audience, version, sections, chosen_by, chosen_at FROM pack_sections
WHERE audience = $audience AND (CAST($as_at AS TIMESTAMP) IS NULL OR chosen_at <= $as_at)
ORDER BY version DESC
"""
SECTIONS_VERSION = "SELECT coalesce(max(version), 0) FROM pack_sections WHERE audience = $audience"
ADD_SECTIONS = "INSERT INTO pack_sections VALUES ($audience, $version, $sections, $by, $at)"


@remembered(TRAJECTORIES)
def trajectories(con: Connection) -> list[Row]:
    """Each indicator's trajectory in force: (indicator_id, version, steps, reason, set_by,
    set_at)."""
    return con.execute(TRAJECTORIES).fetchall()


def trajectory_version(con: Connection, indicator: str) -> int:
    return int(con.execute(TRAJECTORY_VERSION, {"indicator": indicator}).fetchall()[0][0])


def add_trajectory(
    con: Connection, indicator: str, version: int, steps: str, reason: str, by: str, at: datetime
) -> None:
    params = {"indicator": indicator, "version": version, "steps": steps, "reason": reason}
    con.execute(ADD_TRAJECTORY, params | {"by": by, "at": at})


def key_messages(con: Connection, quarter: str, as_at: datetime | None = None) -> list[Row]:
    """The quarter's key messages, newest version first (those written by `as_at`):
    (quarter, version, better, worse, off_track, asks, written_by, written_at)."""
    return con.execute(KEY_MESSAGES, {"quarter": quarter, "as_at": as_at}).fetchall()


def key_messages_version(con: Connection, quarter: str) -> int:
    return int(con.execute(KEY_MESSAGES_VERSION, {"quarter": quarter}).fetchall()[0][0])


def add_key_messages(
    con: Connection, quarter: str, version: int, texts: tuple[str, str, str, str], by: str,
    at: datetime,
) -> None:  # fmt: skip
    better, worse, off_track, asks = texts
    con.execute(
        ADD_KEY_MESSAGES,
        {"quarter": quarter, "version": version, "better": better, "worse": worse,
         "off_track": off_track, "asks": asks, "by": by, "at": at},
    )  # fmt: skip


def pack_sections(con: Connection, audience: str, as_at: datetime | None = None) -> list[Row]:
    """An audience's choices of pack sections, newest first (those made by `as_at`):
    (audience, version, sections, chosen_by, chosen_at)."""
    return con.execute(SECTIONS, {"audience": audience, "as_at": as_at}).fetchall()


def pack_sections_version(con: Connection, audience: str) -> int:
    return int(con.execute(SECTIONS_VERSION, {"audience": audience}).fetchall()[0][0])


def add_pack_sections(
    con: Connection, audience: str, version: int, sections: str, by: str, at: datetime
) -> None:
    con.execute(
        ADD_SECTIONS,
        {"audience": audience, "version": version, "sections": sections, "by": by, "at": at},
    )
