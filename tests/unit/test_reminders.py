"""Reminders (issue 30): the schedule's working days, who owes what, a chair's assignment of a
question, and digests turned off, on the demo database (both backends)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import yaml

from charter import CharterError, load_charter
from charter.reminders import Reminders
from metrics.access import audit
from metrics.access.people import ADMIN, CHAIR, COUNCILLOR, MEMBER, AccessDenied, Actor
from metrics.access.writing import ReviewError
from metrics.periods.text import parse_period
from metrics.reminders import choices, digest, run, schedule, work
from metrics.reminders.schedule import ESCALATION, OVERDUE, REMINDER
from metrics.scrutiny import questions

DAY = run.DEMO_DAY  # Tuesday 27 October 2026
PLAN = Reminders(chair="planning-group-chair")
CHAIR_ACTOR = Actor(
    "chair", "Chris Chair", "chris.chair@wrenfield.example", roles=frozenset({CHAIR, MEMBER})
)
ADMIN_ACTOR = Actor("admin", "Ada Admin", roles=frozenset({ADMIN}))


def test_working_days_skip_englands_bank_holidays():
    """2026-27 Q3 ends on Thursday 31 December: New Year's Day is a bank holiday, so ten
    working days on is Friday 15 January, not Thursday 14th."""
    q3 = parse_period("2026-27 Q3")
    assert schedule.commentary_due(PLAN, q3) == date(2027, 1, 15)
    # Three working days before Tuesday 29 December skips the 28th (Boxing Day's substitute)
    # and Christmas Day: Tuesday 22nd.
    assert schedule.subtract_working_days(date(2026, 12, 29), 3) == date(2026, 12, 22)
    due = date(2026, 12, 29)
    assert schedule.commentary_stage(PLAN, due, date(2026, 12, 21)) is None
    assert schedule.commentary_stage(PLAN, due, date(2026, 12, 22)) == REMINDER
    assert schedule.commentary_stage(PLAN, due, date(2026, 12, 30)) == OVERDUE
    # escalated two working days after: 30 and 31 December (1 January is a holiday)
    assert not schedule.commentary_escalates(PLAN, due, date(2026, 12, 30))
    assert schedule.commentary_escalates(PLAN, due, date(2026, 12, 31))


def test_actions_a_week_before_and_once_overdue_questions_after_ten_working_days():
    due = date(2026, 11, 20)
    assert schedule.action_stage(PLAN, due, date(2026, 11, 12)) is None
    assert schedule.action_stage(PLAN, due, date(2026, 11, 13)) == REMINDER
    assert schedule.action_stage(PLAN, due, date(2026, 11, 21)) == OVERDUE
    # asked on Friday 18 December 2026: ten working days skip three bank holidays
    assert schedule.question_due(PLAN, date(2026, 12, 18)) == date(2027, 1, 6)
    assert schedule.question_stage(PLAN, date(2026, 12, 18), date(2027, 1, 5)) is None


def _schedule_file(tmp_path, monkeypatch, change):
    import shutil

    from charter import CHARTER_DIR

    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for name, edit in change.items():
        data = yaml.safe_load((root / name).read_text())
        edit(data)
        (root / name).write_text(yaml.safe_dump(data))
    return root


@pytest.mark.parametrize(
    ("name", "edit", "said"),
    [
        ("council.yaml", lambda d: d["reminders"].update(chair="nobody"),
         "charter/council.yaml: reminders.chair: unknown owner 'nobody'"),
        ("council.yaml", lambda d: d["reminders"]["commentary"].update(
            remind_before_working_days=12),
         "charter/council.yaml: reminders.commentary: Value error, remind_before_working_days"),
        ("council.yaml", lambda d: d["reminders"]["returns"].update(every="day"),
         "charter/council.yaml: reminders.returns.every: Extra inputs are not permitted"),
        ("owners.yaml", lambda d: d["owners"]["head-of-send"].pop("email"),
         "charter/owners.yaml: owners.head-of-send.email: missing; council.yaml has a reminders"),
        ("owners.yaml", lambda d: d["owners"]["head-of-send"].update(email="head of send"),
         "charter/owners.yaml: owners.head-of-send.email: Value error, 'head of send' is not"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_schedule_stops_the_charter_loading(
    tmp_path, monkeypatch, name, edit, said
):
    root = _schedule_file(tmp_path, monkeypatch, {name: edit})
    with pytest.raises(CharterError) as err:
        load_charter(root)
    assert any(p.startswith(said) for p in err.value.problems), err.value.problems


def test_each_piece_of_work_is_owed_by_whoever_the_charter_says(demo_store, charter):
    items = work.everything(demo_store, charter, PLAN, DAY)
    kinds = {i.kind for i in items}
    assert kinds == {"commentary", "action", "question", "return"}
    for i in items:
        if i.kind == "commentary":
            indicator = i.key.split(":")[-1]
            assert i.owner == charter.indicators[indicator].owner
            assert i.email == charter.owners[i.owner].email
            assert i.due == date(2026, 10, 14) and i.stage == OVERDUE and i.escalate
        if i.kind == "return":
            assert i.email == charter.providers[i.owner].contact.email
    action = next(i for i in items if i.kind == "action")
    assert (action.owner, action.stage, action.due) == ("head-of-send", OVERDUE, date(2026, 10, 23))
    question = next(i for i in items if i.kind == "question")
    assert question.owner == "designated-clinical-officer" and question.stage == OVERDUE
    tomorrow = next(i for i in items if i.key.endswith("speech-therapy-median-wait:2026-27 Q2"))
    assert tomorrow.stage == REMINDER and tomorrow.due_words(DAY).endswith("(tomorrow)")
    assert tomorrow.email == "priya.shah@wrenfieldhealth.example"
    # what a person owes, by their address (any case)
    mine = work.mine(items, "  DCO@wrenfieldicb.example")
    assert {i.kind for i in mine} == {"commentary", "question", "action"}  # due in January


def test_the_chair_gives_a_question_to_an_officer_and_the_reminder_follows(demo_store, charter):
    [q] = questions.listed(demo_store)
    with pytest.raises(AccessDenied):
        questions.assign(demo_store, charter, Actor("c", "Cllr", roles=frozenset({COUNCILLOR})),
                         q.question_id, "head-of-send")  # fmt: skip
    with pytest.raises(ReviewError, match="no owner 'nobody'"):
        questions.assign(demo_store, charter, CHAIR_ACTOR, q.question_id, "nobody")
    questions.assign(demo_store, charter, CHAIR_ACTOR, q.question_id, "head-of-send")
    [item] = [i for i in work.everything(demo_store, charter, PLAN, DAY) if i.kind == "question"]
    assert item.owner == "head-of-send" and item.email == "head.of.send@wrenfield.example"
    rows = audit.entries(demo_store, ADMIN_ACTOR, kind="question assigned")
    assert [r.after for r in rows] == ["head-of-send", "designated-clinical-officer"]
    assert rows[0].name == "Chris Chair"
    # whom it was with before: the officer chosen when asked; then, the chair (none chosen)
    assert [r.before for r in rows] == ["designated-clinical-officer", "none (the chair)"]


def test_an_unassigned_question_is_the_chairs_and_an_answered_one_nobodys(demo_store, charter):
    ident = questions.ask(
        demo_store, charter, Actor("c", "Cllr", roles=frozenset({COUNCILLOR})), "2026-27 Q1",
        "statement:1", "Why is this late?",
    )  # fmt: skip
    later = date.today()  # asked today: due ten working days on
    [item] = [i for i in work.question_items(demo_store, charter, PLAN, later)
              if i.key == f"question:{ident}.0"]  # fmt: skip
    assert item.owner == "planning-group-chair" and "no officer assigned" in item.what
    assert item.stage is None
    questions.reply(demo_store, CHAIR_ACTOR, ident, questions.ANSWER, "Because.")
    assert not [i for i in work.question_items(demo_store, charter, PLAN, later)
                if i.key.startswith(f"question:{ident}.")]  # fmt: skip


def test_a_follow_up_makes_the_question_owed_again_and_chased_again(demo_store, charter):
    [q] = questions.listed(demo_store)
    questions.reply(demo_store, CHAIR_ACTOR, q.question_id, questions.ANSWER, "In March.")
    cllr = Actor("c", "Cllr", roles=frozenset({COUNCILLOR}))
    questions.reply(demo_store, cllr, q.question_id, questions.FOLLOW_UP, "Which March?")
    [item] = [i for i in work.question_items(demo_store, charter, PLAN, date.today())]
    assert item.key == "question:1.2"  # a new key: the reminder sent for 1.0 does not stop it
    assert item.due > date.today() and item.stage is None  # ten working days from now


def test_digests_turned_off_leave_only_escalations(demo_store, charter):
    before = {d.email: d for d in run.pending(demo_store, charter, DAY)}
    assert "head.of.send@wrenfield.example" in before
    chair_stages = {n.stage for n in before["chris.chair@wrenfield.example"].notices}
    assert chair_stages == {ESCALATION}
    head = Actor("h", "Head of SEND", "Head.Of.Send@wrenfield.example", roles=frozenset({MEMBER}))
    with pytest.raises(ReviewError, match="Only the person"):
        choices.choose(demo_store, head, False, email="dco@wrenfieldicb.example")
    choices.choose(demo_store, head, False)
    choices.choose(demo_store, CHAIR_ACTOR, False)
    after = {d.email: d for d in run.pending(demo_store, charter, DAY)}
    assert "head.of.send@wrenfield.example" not in after
    assert after["chris.chair@wrenfield.example"] == before["chris.chair@wrenfield.example"]
    assert not choices.wants_digests(demo_store, "head.of.send@wrenfield.example")
    choices.choose(demo_store, head, True)
    assert "head.of.send@wrenfield.example" in {
        d.email for d in run.pending(demo_store, charter, DAY)
    }
    rows = audit.entries(demo_store, ADMIN_ACTOR, text="head.of.send@wrenfield.example")
    assert [r.kind for r in rows][:2] == ["reminder digests on", "reminder digests off"]
    assert [(r.before, r.after) for r in rows][:2] == [("off", "on"), ("on", "off")]


def test_the_html_part_shows_every_word_as_text(charter):
    item = work.Item("action:9", "action", 'Action 9 on "<script>alert(1)</script>"', DAY,
                     "head-of-send", "Head <b>of</b> SEND", "x@wrenfield.example",
                     "/Actions?quarter=2026-27+Q2", OVERDUE)  # fmt: skip
    d = digest.Digest("x@wrenfield.example", "<img src=x>", (digest.Notice(item, OVERDUE),))
    page = digest.html(d, charter, "https://outcomes.wrenfield.example", DAY)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x&gt;" in page
    assert 'href="https://outcomes.wrenfield.example/Actions?quarter=2026-27+Q2"' in page
    assert '<html lang="en-GB">' in page


def test_without_a_schedule_nobody_is_reminded(demo_store, charter):
    bare = dataclasses.replace(charter, reminders=None)
    with pytest.raises(run.RemindError, match="no reminders: schedule"):
        run.pending(demo_store, bare, DAY)
