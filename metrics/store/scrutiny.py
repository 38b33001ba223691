"""The queries of overview & scrutiny members' questions and their threads of replies. Rows
come back as plain tuples in the order each docstring gives; metrics/scrutiny/questions.py
keeps the rules. Nothing is edited in place: a question and each reply are added, never
changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

Row = tuple[Any, ...]

ADD_QUESTION = """
INSERT INTO scrutiny_questions VALUES (nextval('question_id_seq'), $quarter, $subject, $text,
                                       $by, $at)
RETURNING question_id
"""
ADD_REPLY = """
INSERT INTO scrutiny_replies
SELECT $id, coalesce(max(number), 0) + 1, $kind, $text, $by, $at
FROM scrutiny_replies WHERE question_id = $id
"""
LAST_REPLY = "SELECT max(number) FROM scrutiny_replies WHERE question_id = $id"
QUESTION = "SELECT question_id, subject FROM scrutiny_questions WHERE question_id = $id"
COLUMNS = "question_id, quarter, subject, question, asked_by, asked_at"
ORDER = "ORDER BY asked_at, question_id"
QUESTIONS = f"SELECT {COLUMNS} FROM scrutiny_questions"  # what `questions` reads (its kinds)
REPLIES = """
SELECT question_id, number, kind, text, written_by, written_at FROM scrutiny_replies
ORDER BY question_id, number
"""

ASSIGN = """
INSERT INTO question_assignments
SELECT $id, coalesce(max(version), 0) + 1, $officer, $by, $at
FROM question_assignments WHERE question_id = $id
"""
# Each question's latest assignment.
ASSIGNED = """
SELECT question_id, officer, assigned_by, assigned_at FROM (
    SELECT question_id, officer, assigned_by, assigned_at,
           row_number() OVER (PARTITION BY question_id ORDER BY version DESC) AS newest
    FROM question_assignments
) AS latest
WHERE newest = 1
"""


def add_question(
    con: Connection, quarter: str, subject: str, text: str, by: str, at: datetime
) -> int:
    """The new question's number."""
    params = {"quarter": quarter, "subject": subject, "text": text, "by": by, "at": at}
    return int(con.execute(ADD_QUESTION, params).fetchall()[0][0])


def question_exists(con: Connection, question_id: int) -> bool:
    return bool(con.execute(QUESTION, {"id": question_id}).fetchall())


def add_reply(
    con: Connection, question_id: int, kind: str, text: str, by: str, at: datetime
) -> int:
    """Add the next reply in the question's thread; returns its number there."""
    params = {"id": question_id, "kind": kind, "text": text, "by": by, "at": at}
    con.execute(ADD_REPLY, params)
    return int(con.execute(LAST_REPLY, {"id": question_id}).fetchall()[0][0])


# Remembered (by the versions of the questions and replies): the scrutiny view and its pack
# read them, and an upload of a return, which makes that view be worked out again, changes
# neither.
@remembered(QUESTIONS)
def questions(con: Connection, quarters: list[str] | None) -> list[Row]:
    """Questions about the given quarters (None: all), oldest first: (question_id, quarter,
    subject, question, asked_by, asked_at)."""
    if quarters is None:
        sql, params = f"{QUESTIONS} {ORDER}", {}
    else:  # one named parameter per quarter: a list parameter is not portable SQL
        params = {f"q{i}": q for i, q in enumerate(quarters)}
        listed = ", ".join(f"${name}" for name in params) or "NULL"
        sql = f"{QUESTIONS} WHERE quarter IN ({listed}) {ORDER}"
    return [tuple(r) for r in con.execute(sql, params).fetchall()]


@remembered(REPLIES)
def replies(con: Connection) -> list[Row]:
    """Every reply, by question then number: (question_id, number, kind, text, written_by,
    written_at)."""
    return [tuple(r) for r in con.execute(REPLIES).fetchall()]


def assign_question(con: Connection, question_id: int, officer: str, by: str, at: datetime) -> None:
    """The question's next assignment (to an owner id)."""
    params = {"id": question_id, "officer": officer, "by": by, "at": at}
    con.execute(ASSIGN, params)


def assignments(con: Connection) -> dict[int, Row]:
    """Each question's latest assignment: question_id -> (officer, assigned_by, assigned_at)."""
    return {int(r[0]): tuple(r[1:]) for r in _assigned(con)}


@remembered(ASSIGNED)  # the overview's "My work" asks after an upload too
def _assigned(con: Connection) -> list[Row]:
    return [tuple(r) for r in con.execute(ASSIGNED).fetchall()]


REDATE = "UPDATE scrutiny_questions SET asked_at = $at WHERE question_id = $id"


def redate_question(con: Connection, question_id: int, at: datetime) -> None:
    """Date a question as if asked at `at` (the demo's, whose stories happen in the autumn;
    the audit trail keeps when it was really recorded)."""
    con.execute(REDATE, {"id": question_id, "at": at})
