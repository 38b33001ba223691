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
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.periods.text import parse_period
from metrics.review.common import check_subject, known_quarter
from metrics.store import once, scrutiny as stored
from metrics.store.connection import Connection, Store

ASKERS = frozenset({COUNCILLOR})
OFFICERS = frozenset({ANALYST, MEMBER, CHAIR})  # who answers for the planning group
ASSIGNERS = frozenset({CHAIR})  # who gives a question to an officer after it is asked
ANSWER, FOLLOW_UP = "answer", "follow-up"


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
    officer: str | None = None,
) -> int:
    """Record a member's question (assigned to `officer`, an owner id, if chosen); returns
    its number (the first one's again, recording nothing, for a form sent twice: `token`)."""
    require(actor, ASKERS, "record a scrutiny question")
    quarter = known_quarter(store, quarter)
    subject = check_subject(charter, subject)
    text = plain(text, "the question")
    officer = _officer(charter, officer) if officer else None
    now = datetime.now()
    with writing(store, "the questions") as con:
        if (earlier := once.made_before(con, token, "question")) is not None:
            return earlier
        question_id = stored.add_question(con, quarter, subject, text, actor.label, now)
        audit.record(
            con, actor, "question asked", f"question {question_id} on {subject}", text,
            after=text, at=now,
        )  # fmt: skip
        if officer:
            _assign(con, charter, actor, question_id, officer, now)
        once.remember(con, token, "question", question_id, actor.label, now)
    return question_id


def _officer(charter: Charter, officer: str) -> str:
    if officer not in charter.owners:
        raise ReviewError(f"There is no owner {officer!r} in owners.yaml to answer it.")
    return officer


UNASSIGNED = "none (the chair)"  # who answers a question no officer was given: the chair


def _assign(
    con: Connection, charter: Charter, actor: Actor, question_id: int, officer: str, at: datetime
) -> None:
    """Give the question to `officer`, audited with whom it was with before (read in this
    transaction: the store answers nothing from memory inside one)."""
    earlier = stored.assignments(con).get(question_id)
    stored.assign_question(con, question_id, officer, actor.label, at)
    audit.record(
        con, actor, "question assigned", f"question {question_id}",
        f"To {charter.owner_name(officer)}", before=earlier[0] if earlier else UNASSIGNED,
        after=officer, at=at,
    )  # fmt: skip


@one_after_the_other
def assign(store: Store, charter: Charter, actor: Actor, question_id: int, officer: str) -> None:
    """The chair gives a question to an officer (an owner id) to answer: reminders go to
    them, not the chair, from now on."""
    require(actor, ASSIGNERS, "assign a scrutiny question to an officer")
    officer = _officer(charter, officer)
    now = datetime.now()
    with writing(store, f"who answers question {question_id}") as con:
        if not stored.question_exists(con, question_id):
            raise ReviewError(f"There is no question {question_id}.")
        _assign(con, charter, actor, question_id, officer, now)


def officers(store: Store) -> dict[int, str]:
    """Each assigned question's officer (an owner id)."""
    with store.connect() as con:
        return {q: row[0] for q, row in stored.assignments(con).items()}


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
        if not stored.question_exists(con, question_id):
            raise ReviewError(f"There is no question {question_id}.")
        number = stored.add_reply(con, question_id, kind, text, actor.label, now)
        audit.record(
            con, actor, f"question {kind}", f"question {question_id}", text, after=text, at=now
        )
        once.remember(con, token, "reply", number, actor.label, now)
    return number


def listed(store: Store, quarters: list[str] | None = None) -> list[Question]:
    """Questions (about the given quarters, or all), oldest first, each with its replies."""
    with store.connect() as con:
        found = [Question(*r) for r in stored.questions(con, quarters)]
        replies = stored.replies(con)
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
