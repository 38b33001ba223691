"""Overview & scrutiny members' questions: a councillor records a question against a statement
or indicator, an officer records the answer, and either may add to it (a follow-up question,
a further answer). Questions and answers appear in the scrutiny view and the next scrutiny
pack. Every entry is audited; nothing is edited in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from charter import Charter
from metrics.access import audit
from metrics.access.people import ANALYST, CHAIR, COUNCILLOR, MEMBER, Actor, require
from metrics.periods.text import parse_period
from metrics.review.common import (
    ReviewError,
    check_subject,
    known_quarter,
    one_after_the_other,
    plain,
    writing,
)
from metrics.store import once
from metrics.store.connection import Store

ASKERS = frozenset({COUNCILLOR})
OFFICERS = frozenset({ANALYST, MEMBER, CHAIR})  # who answers for the planning group
ANSWER, FOLLOW_UP = "answer", "follow-up"

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
LAST_REPLY = "SELECT max(number) FROM scrutiny_replies WHERE question_id = ?"
QUESTION = "SELECT question_id, subject FROM scrutiny_questions WHERE question_id = ?"
LIST = """
SELECT question_id, quarter, subject, question, asked_by, asked_at FROM scrutiny_questions
WHERE $quarters IS NULL OR list_contains($quarters, quarter)
ORDER BY asked_at, question_id
"""
REPLIES = """
SELECT question_id, number, kind, text, written_by, written_at FROM scrutiny_replies
ORDER BY question_id, number
"""


@dataclass(frozen=True)
class Reply:
    number: int
    kind: str
    text: str
    written_by: str
    written_at: datetime


@dataclass
class Question:
    question_id: int
    quarter: str
    subject: str
    question: str
    asked_by: str
    asked_at: datetime
    replies: list[Reply] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.replies) and self.replies[-1].kind == ANSWER


@one_after_the_other
def ask(
    store: Store,
    charter: Charter,
    actor: Actor,
    quarter: str,
    subject: str,
    text: str,
    token: str | None = None,
) -> int:
    """Record a member's question; returns its number (the first one's again, recording
    nothing, for a form sent twice: `token`)."""
    require(actor, ASKERS, "record a scrutiny question")
    quarter = known_quarter(store, quarter)
    subject = check_subject(charter, subject)
    text = plain(text, "the question")
    now = datetime.now()
    with writing(store, "the questions") as con:
        if (earlier := once.made_before(con, token, "question")) is not None:
            return earlier
        row = con.execute(
            ADD_QUESTION,
            {"quarter": quarter, "subject": subject, "text": text, "by": actor.label, "at": now},
        ).fetchall()
        question_id = int(row[0][0])
        audit.record(
            con, actor, "question asked", f"question {question_id} on {subject}", text,
            after=text, at=now,
        )  # fmt: skip
        once.remember(con, token, "question", question_id, actor, now)
    return question_id


@one_after_the_other
def reply(
    store: Store, actor: Actor, question_id: int, kind: str, text: str, token: str | None = None
) -> int:
    """An officer's answer, or a member's follow-up; returns its number in the thread (the
    first one's again for a form sent twice: `token`)."""
    if kind == ANSWER:
        require(actor, OFFICERS, "answer a scrutiny question")
    elif kind == FOLLOW_UP:
        require(actor, ASKERS, "add a follow-up question")
    else:
        raise ReviewError(f"A reply is an {ANSWER} or a {FOLLOW_UP}, not {kind!r}.")
    text = plain(text, f"the {kind}")
    now = datetime.now()
    with writing(store, f"the replies to question {question_id}") as con:
        if (earlier := once.made_before(con, token, "reply")) is not None:
            return earlier
        if not con.execute(QUESTION, [question_id]).fetchall():
            raise ReviewError(f"There is no question {question_id}.")
        con.execute(
            ADD_REPLY,
            {"id": question_id, "kind": kind, "text": text, "by": actor.label, "at": now},
        )
        audit.record(
            con, actor, f"question {kind}", f"question {question_id}", text, after=text, at=now
        )
        number = int(con.execute(LAST_REPLY, [question_id]).fetchall()[0][0])
        once.remember(con, token, "reply", number, actor, now)
    return number


def listed(store: Store, quarters: list[str] | None = None) -> list[Question]:
    """Questions (about the given quarters, or all), oldest first, each with its replies."""
    with store.connect() as con:
        found = [Question(*r) for r in con.execute(LIST, {"quarters": quarters}).fetchall()]
        replies = con.execute(REPLIES).fetchall()
    by_id = {q.question_id: q for q in found}
    for question_id, *rest in replies:
        if question_id in by_id:
            by_id[question_id].replies.append(Reply(*rest))
    return found


def for_pack(store: Store, quarter: str) -> list[Question]:
    """What the scrutiny pack for `quarter` carries: questions about the previous quarter (the
    last meeting's, with their answers since) and any already asked about this one."""
    previous = parse_period(quarter).previous().label
    return listed(store, [previous, quarter])
