"""The leadership self-review's queries: review points and versioned answers. Rows come back
as plain tuples in the order each docstring gives; metrics/leadership/self_review.py keeps
the rules (who answers, what a signed-off point freezes). The latest answer is picked with
ROW_NUMBER() in a subquery so that any SQL database runs it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from metrics.store.connection import Connection

Row = tuple[Any, ...]

POINTS = """
SELECT held_on, state, opened_by, opened_at, signed_off_by, signed_off_at
FROM self_review_points ORDER BY held_on
"""
POINT_STATE = "SELECT state FROM self_review_points WHERE held_on = $held_on"
OPEN_POINTS = "SELECT held_on FROM self_review_points WHERE state = 'open' ORDER BY held_on"
OPEN_POINT = """
INSERT INTO self_review_points VALUES ($held_on, 'open', $by, $at, NULL, NULL)
"""
SIGN = """
UPDATE self_review_points SET state = 'signed off', signed_off_by = $by, signed_off_at = $at
WHERE held_on = $held_on
"""
ANSWER = """
INSERT INTO self_review_answers VALUES ($held_on, $question, $version, $confidence, $links,
                                        $will_do, $by, $at)
"""
LATEST = """
SELECT held_on, question_id, version, confidence, links, will_do, answered_by, answered_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY held_on, question_id ORDER BY version DESC)
           AS newest
    FROM self_review_answers
) AS a
WHERE newest = 1
ORDER BY held_on, question_id
"""
LAST_ANSWER = """
SELECT version, confidence FROM self_review_answers
WHERE held_on = $held_on AND question_id = $question
ORDER BY version DESC LIMIT 1
"""
ANSWERED = "SELECT DISTINCT question_id FROM self_review_answers WHERE held_on = $held_on"
LIVE_EVIDENCE = """
SELECT count(*) FROM evidence_items WHERE evidence_id = $id AND withdrawn_at IS NULL
"""


def points(con: Connection) -> list[Row]:
    """Every review point, oldest first: (held_on, state, opened_by, opened_at,
    signed_off_by, signed_off_at)."""
    return [tuple(r) for r in con.execute(POINTS).fetchall()]


def point_state(con: Connection, held_on: date) -> str | None:
    """The point's state, or None if there is no point on that day."""
    rows = con.execute(POINT_STATE, {"held_on": held_on}).fetchall()
    return str(rows[0][0]) if rows else None


def open_points(con: Connection) -> list[date]:
    return [r[0] for r in con.execute(OPEN_POINTS).fetchall()]


def open_point(con: Connection, held_on: date, by: str, at: datetime) -> None:
    con.execute(OPEN_POINT, {"held_on": held_on, "by": by, "at": at})


def sign_off(con: Connection, held_on: date, by: str, at: datetime) -> None:
    con.execute(SIGN, {"held_on": held_on, "by": by, "at": at})


def last_answer(con: Connection, held_on: date, question_id: str) -> tuple[int, str | None]:
    """(version, confidence) of the latest answer to a question at a point; (0, None): none."""
    rows = con.execute(LAST_ANSWER, {"held_on": held_on, "question": question_id}).fetchall()
    return (int(rows[0][0]), rows[0][1]) if rows else (0, None)


def add_answer(
    con: Connection,
    held_on: date,
    question_id: str,
    version: int,
    *,
    confidence: str,
    links: str,
    will_do: str,
    by: str,
    at: datetime,
) -> None:
    con.execute(
        ANSWER,
        {"held_on": held_on, "question": question_id, "version": version,
         "confidence": confidence, "links": links, "will_do": will_do, "by": by, "at": at},
    )  # fmt: skip


def answered(con: Connection, held_on: date) -> set[str]:
    """The questions with an answer at a point."""
    return {r[0] for r in con.execute(ANSWERED, {"held_on": held_on}).fetchall()}


def latest_answers(con: Connection) -> list[Row]:
    """Each point's latest answer to each question: (held_on, question_id, version,
    confidence, links, will_do, answered_by, answered_at)."""
    return [tuple(r) for r in con.execute(LATEST).fetchall()]


def evidence_in_use(con: Connection, evidence_id: int) -> bool:
    """Whether an evidence item exists and is not withdrawn (what an answer may link to)."""
    return bool(con.execute(LIVE_EVIDENCE, {"id": evidence_id}).fetchall()[0][0])
