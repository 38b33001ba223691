"""A form sent twice makes one thing (issue 27 item 13): the same token again returns what
the first sending made and writes nothing, neither the thing nor its audit row; a new
token (the next, emptied form) makes a new one."""

from __future__ import annotations

from datetime import date, timedelta

from metrics import evidence
from metrics.access import ANALYST, COUNCILLOR, MEMBER, Actor, audit
from metrics.access.people import command_line
from metrics.review import actions
from metrics.scrutiny import questions

MEG = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER, ANALYST}))
CLLR = Actor("cy", "Cllr Y", "cy@x.example", "app", frozenset({COUNCILLOR}))
Q = "2026-27 Q2"


def audited(store) -> int:
    return len(audit.entries(store, command_line()))


def add_action(store, charter, token):
    return actions.add(
        store, charter, MEG, title="Recruit two speech therapists",
        owner="designated-clinical-officer", due=date.today() + timedelta(days=30),
        quarter=Q, statement=5, token=token,
    )  # fmt: skip


def test_an_action_sent_twice_is_added_once(demo_store, charter):
    before, rows = len(actions.listed(demo_store)), audited(demo_store)
    first = add_action(demo_store, charter, "t-1")
    assert add_action(demo_store, charter, "t-1") == first
    assert len(actions.listed(demo_store)) == before + 1
    assert audited(demo_store) == rows + 1
    assert add_action(demo_store, charter, "t-2") == first + 1  # the next form's is new


def test_a_progress_update_sent_twice_is_logged_once(demo_store, charter):
    ident = add_action(demo_store, charter, None)
    n = actions.update(demo_store, MEG, ident, "on track", "Interviews booked", token="u-1")
    assert actions.update(demo_store, MEG, ident, "on track", "Interviews booked", token="u-1") == n
    assert len(actions.progress_log(demo_store, ident)) == 2  # 'Agreed', then the one update


def test_a_question_and_its_answer_sent_twice_are_recorded_once(demo_store, charter):
    before = len(questions.listed(demo_store))
    asked = questions.ask(demo_store, charter, CLLR, Q, "statement:5", "Why longer?", token="q")
    assert (
        questions.ask(demo_store, charter, CLLR, Q, "statement:5", "Why longer?", token="q")
        == asked
    )
    assert len(questions.listed(demo_store)) == before + 1
    questions.reply(demo_store, MEG, asked, questions.ANSWER, "Staffing.", token="r")
    questions.reply(demo_store, MEG, asked, questions.ANSWER, "Staffing.", token="r")
    [q] = [x for x in questions.listed(demo_store) if x.question_id == asked]
    assert len(q.replies) == 1


def test_evidence_sent_twice_is_saved_once(demo_store, charter):
    def add():
        return evidence.add(
            demo_store, charter, MEG, kind="family-voice", source="Parent carer forum",
            summary="Waits for assessment are long.", on=date.today(), statements=[5],
            no_personal_data=True, token="e-1",
        )  # fmt: skip

    before = len(evidence.listed(demo_store))
    assert add() == add()
    assert len(evidence.listed(demo_store)) == before + 1
