"""Rows written in bulk for the benchmarks (bench/): a scale of data no person enters, put
straight into the tables rather than through the domain's one-at-a-time writes (the
benchmarks measure reading it, not writing it)."""

from __future__ import annotations

from collections.abc import Sequence

from metrics.store.connection import Connection, transaction

ADD_ACTION = """
INSERT INTO actions (action_id, title, statement, indicators, owner, due, agreed_quarter,
                     created_by, created_at)
VALUES ($id, $title, $statement, $indicators, $owner, $due, $quarter, $by, $at)
"""
ADD_ACTION_UPDATE = """
INSERT INTO action_updates (action_id, version, status, note, updated_by, updated_at)
VALUES ($id, $version, $status, $note, $by, $at)
"""
LAST_ACTION = "SELECT coalesce(max(action_id), 0) FROM actions"
ALL_FIGURES = "SELECT count(*) FROM observations"

_ACTION = ("id", "title", "statement", "indicators", "owner", "due", "quarter", "by", "at")
_UPDATE = ("id", "version", "status", "note", "by", "at")


def last_action_id(con: Connection) -> int:
    return int(con.execute(LAST_ACTION).fetchall()[0][0])


def add_actions(
    con: Connection, actions: Sequence[Sequence[object]], updates: Sequence[Sequence[object]]
) -> None:
    """Actions (id, title, statement, indicators, owner, due, quarter, by, at) and their log
    entries (id, version, status, note, by, at), in one transaction."""
    with transaction(con):
        con.executemany(ADD_ACTION, [dict(zip(_ACTION, a, strict=True)) for a in actions])
        con.executemany(ADD_ACTION_UPDATE, [dict(zip(_UPDATE, u, strict=True)) for u in updates])


def figure_versions(con: Connection) -> int:
    """Every stored figure, each version counted (the benchmarks' scale)."""
    return int(con.execute(ALL_FIGURES).fetchall()[0][0])
