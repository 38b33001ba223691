"""The scrutiny view: plain English, small numbers withheld for councillors, and members'
questions recorded by councillors and answered by officers."""

from __future__ import annotations

import pytest

import ui
from metrics.publish.plain import is_plain
from metrics.scrutiny import questions
from ui import access
from ui.scrutiny_view import ASK_OFFICER, ASK_SUBJECT, ASK_TEXT

QUARTER = "2026-27 Q2"


def scrutiny(fresh, role: str):
    opened = fresh(ui.SCRUTINY_PAGE, **{access.DEMO_ROLE: role})
    opened.at.query_params["quarter"] = QUARTER
    at = opened.run()
    assert not at.exception, at.exception
    return at


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")


def test_the_scrutiny_view_speaks_plain_english(fresh):
    at = scrutiny(fresh, "councillor")
    text = page_text(at)
    assert is_plain(text) == []
    for heading in (
        "How we are doing",
        "What has got better, and what has got worse",
        "How we compare with England and similar councils",
        "What is being done",
        "Questions members may want to ask",
    ):
        assert heading in [h.value for h in at.header]
    assert "At risk for at least 8 quarters in a row" not in text  # only off track listed
    assert "Off track for at least 8 quarters in a row." in text  # how long, plainly
    assert "Fill the two vacant SEND caseworker posts" in text  # an open action, overdue
    assert "what is in the way, and what is the new date?" in text


def test_the_jargon_check_can_fail():
    found = is_plain("Special cause concern: a point beyond the process limits")
    assert found == ["special cause", "process limit"]


@pytest.mark.parametrize("role", ["analyst", "member"])
def test_staff_cannot_record_a_members_question(fresh, role):
    at = scrutiny(fresh, role)
    assert not [w for w in at.text_area if ASK_TEXT in w.key]  # keys change per form


def test_a_councillor_asks_and_an_officer_answers(fresh):
    at = scrutiny(fresh, "councillor")
    next(w for w in at.selectbox if ASK_SUBJECT in w.key).set_value(
        "indicator:ehcp-issued-20-weeks"
    )
    next(w for w in at.text_area if ASK_TEXT in w.key).input(
        "Why did the <b>figure</b> fall in Q1?"
    )
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert any("Question 2 recorded" in s.value for s in at.success)  # 1 is the demo's
    asked = [q for q in questions.listed(fresh.store) if q.question_id != 1]
    assert [(q.subject, q.question) for q in asked] == [
        ("indicator:ehcp-issued-20-weeks", "Why did the <b>figure</b> fall in Q1?")
    ]

    officer = scrutiny(fresh, "analyst")
    assert "Why did the <b>figure</b> fall in Q1?" in page_text(officer)  # escaped, as typed
    answer = next(
        w for w in officer.text_area if w.label == "Your answer" and "reply_answer_2" in w.key
    )
    answer.input("Two caseworker posts were vacant.")
    next(
        b for b in officer.button
        if b.label == "Record the answer" and "reply_answer_2" in b.form_id
    ).click().run()  # fmt: skip
    assert not officer.exception, officer.exception
    q = next(q for q in questions.listed(fresh.store) if q.question_id == 2)
    assert q.answered and q.replies[0].text == "Two caseworker posts were vacant."
    assert q.replies[0].written_by == "demo (analyst)"


def test_a_question_goes_to_the_officer_chosen_when_asked_or_by_the_chair(fresh):
    at = scrutiny(fresh, "councillor")
    next(w for w in at.text_area if ASK_TEXT in w.key).input("Who is answering this?")
    next(w for w in at.selectbox if ASK_OFFICER in w.key).set_value("head-of-send")
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert questions.officers(fresh.store)[2] == "head-of-send"
    assert "To be answered by Head of SEND (Wrenfield Council)." in page_text(at)
    assert not [b for b in at.button if b.label == "Give it to this officer"]  # the chair's

    chair = scrutiny(fresh, "chair")
    box = next(w for w in chair.selectbox if w.key.startswith("assign_1:officer"))
    assert box.value == "designated-clinical-officer"  # as the demo's question was asked
    box.set_value("head-of-performance")
    next(
        b for b in chair.button
        if b.label == "Give it to this officer" and b.form_id.startswith("assign_1")
    ).click().run()  # fmt: skip
    assert not chair.exception, chair.exception
    assert questions.officers(fresh.store)[1] == "head-of-performance"
    assert "Question 1 is now Head of Performance (Wrenfield Council)'s." in [
        s.value.replace("\\", "") for s in chair.success
    ]


def test_a_withheld_percentage_with_an_aim_of_100_gives_no_status_away(fresh, monkeypatch):
    """Issue 26: PCF representation is 4 of 4 in the demo's latest quarter; "On track" beside
    an aim of 100% would say 100%, so a councillor sees it withheld, and why."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")

    def statement_3(text: str) -> str:
        return text.split("**3. ")[1].split("**4. ")[0]

    staff = statement_3(page_text(scrutiny(fresh, "analyst")))
    assert "1 of 2 measures with an aim met it." in staff  # PCF representation on track
    councillor = statement_3(page_text(scrutiny(fresh, "councillor")))
    assert "0 of 1 measure with an aim met it." in councillor  # rolled up without it
