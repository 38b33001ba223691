"""The quarterly review's rules: the cycle, commentary history, staleness and conflicts,
agreed statuses, actions, sign-off and reopening."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest

from metrics.access import (
    ANALYST,
    CHAIR,
    COUNCILLOR,
    MEMBER,
    AccessDenied,
    Actor,
    audit as audit_trail,
    command_line,
)
from metrics.access.writing import ReviewError
from metrics.assess.rollup import charter_status
from metrics.ingest import load_file
from metrics.periods.text import parse_period
from metrics.review import actions, agreed, commentary, cycle, report
from metrics.review.common import indicator_subject, statement_subject
from metrics.store import review as review_store

Q = "2026-27 Q2"  # the demo's latest quarter
MEG = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
MO = Actor("mo", "Mo Member", "mo@x.example", "app", frozenset({MEMBER}))
CHRIS = Actor("chris", "Chris Chair", "chris@x.example", "app", frozenset({CHAIR, MEMBER}))
TEXT = ("Waits rose in the summer.", "Two therapists left.", "Agency cover from October.")


def exception_ids(store, charter) -> list[str]:
    statuses = charter_status(store, charter, parse_period(Q))
    return [i.id for i in cycle.exceptions(statuses)]


def write_all(store, charter, who=MEG) -> None:
    for ident in exception_ids(store, charter):
        commentary.save(store, charter, who, Q, indicator_subject(ident), TEXT, based_on=0)


def test_the_demo_quarter_has_exceptions_of_each_kind(demo_store, charter):
    statuses = charter_status(demo_store, charter, parse_period(Q))
    found = cycle.exceptions(statuses)
    assert len(found) >= 5
    assert {i.status for i in found} >= {"off_track", "at_risk"}


def test_cannot_circulate_until_every_exception_is_written_up(demo_store, charter):
    cycle.move(demo_store, charter, CHRIS, Q, "commentary drafted")
    with pytest.raises(ReviewError, match=r"exceptions? still needs? commentary"):
        cycle.move(demo_store, charter, CHRIS, Q, "circulated")
    write_all(demo_store, charter)
    built = report.build(demo_store, charter, Q)
    assert built.written == len(built.exceptions) > 0
    assert cycle.move(demo_store, charter, CHRIS, Q, "circulated").state == "circulated"


def test_text_copied_forward_counts_only_once_edited(demo_store, charter):
    last = commentary.current(demo_store, "2026-27 Q1")  # the demo's signed-off quarter
    first = next(i for i in exception_ids(demo_store, charter) if indicator_subject(i) in last)
    subject = indicator_subject(first)
    copied = commentary.copy_forward(demo_store, charter, MEG, Q, subject, "2026-27 Q1")
    assert copied.copied_from == "2026-27 Q1" and copied.what == last[subject].what
    statuses = charter_status(demo_store, charter, parse_period(Q))
    assert first in cycle.unexplained(demo_store, Q, statuses)
    edited = commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=copied.version)
    assert edited.copied_from is None and edited.version == 2
    assert first not in cycle.unexplained(demo_store, Q, statuses)


def test_moves_go_one_step_forward_and_back_only_with_a_reason(demo_store, charter):
    with pytest.raises(ReviewError, match="'open' is followed by 'commentary drafted'"):
        cycle.move(demo_store, charter, CHRIS, Q, "discussed")
    cycle.move(demo_store, charter, CHRIS, Q, "commentary drafted")
    with pytest.raises(ReviewError, match="Write why the review goes back"):
        cycle.move(demo_store, charter, CHRIS, Q, "open", reason=" ")
    assert cycle.move(demo_store, charter, CHRIS, Q, "open", reason="Too early").state == "open"


@pytest.mark.parametrize(
    "who", [MEG, Actor("a", "Ann", "", "app", frozenset({ANALYST, COUNCILLOR}))]
)
def test_only_the_chair_moves_the_review_or_agrees_statuses(demo_store, charter, who):
    with pytest.raises(AccessDenied):
        cycle.move(demo_store, charter, who, Q, "commentary drafted")
    with pytest.raises(AccessDenied):
        agreed.agree(demo_store, charter, who, Q, statement_subject(5), "off_track", "at_risk", "x")


def sign_off(store, charter) -> cycle.QuarterReview:
    write_all(store, charter)
    for state in ("commentary drafted", "circulated", "discussed"):
        cycle.move(store, charter, CHRIS, Q, state)
    cycle.set_meeting(store, CHRIS, Q, date(2026, 12, 12))
    return cycle.move(store, charter, CHRIS, Q, "signed off")


def test_sign_off_freezes_commentary_and_agreed_statuses_and_reopening_needs_a_reason(
    demo_store, charter
):
    review = sign_off(demo_store, charter)
    assert review.state == "signed off" and review.signed_off_by == "Chris Chair"
    assert review.pinned and review.meeting_date == date(2026, 12, 12)
    subject = indicator_subject(exception_ids(demo_store, charter)[0])
    with pytest.raises(ReviewError, match="is signed off"):
        commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=1)
    with pytest.raises(ReviewError, match="is signed off"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "on_track", "off_track", "Reason")
    with pytest.raises(ReviewError, match="Write why it is reopened"):
        cycle.move(demo_store, charter, CHRIS, Q, "discussed")
    reopened = cycle.move(demo_store, charter, CHRIS, Q, "discussed", reason="New data")
    assert reopened.state == "discussed" and reopened.signed_off_at is None
    commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=1)  # allowed again
    kinds = [r.kind for r in audit_trail.entries(demo_store, command_line())]
    assert "review signed off" in kinds and "review reopened" in kinds


def demo_figure(store, charter, ident: str) -> str:
    """The latest quarter's figure for `ident` as the review shows it ("78.6%")."""
    statuses = charter_status(store, charter, parse_period(Q))
    return next(i.shown for s in statuses for i in s.indicators if i.id == ident)


def test_a_revision_after_sign_off_is_marked_with_old_and_new_values(demo_store, charter):
    signed = demo_figure(demo_store, charter, "ehcp-issued-20-weeks")  # as the demo made it
    assert signed != "40.0%"
    sign_off(demo_store, charter)
    content = (
        b"indicator,period,value,numerator,denominator\nehcp-issued-20-weeks,2026-27 Q2,,20,50\n"
    )
    load_file(demo_store, charter, "late.csv", content, by="Sam", reason="Audit", confirmed=True)
    built = report.build(demo_store, charter, Q)
    pin, now = built.revised["ehcp-issued-20-weeks"]
    assert pin.shown == signed and now.shown == "40.0%"  # the demo's figure, then ours


def test_commentary_keeps_every_version_and_flags_staleness_after_a_revision(demo_store, charter):
    subject = indicator_subject("ehcp-issued-20-weeks")
    statuses = {
        i.id: i for s in charter_status(demo_store, charter, parse_period(Q)) for i in s.indicators
    }
    i = statuses["ehcp-issued-20-weeks"]
    figure = commentary.Figure(i.period, i.value, i.shown)
    commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=0, figure=figure)
    second = ("Better.", "Recruitment.", "Keep going.")
    saved = commentary.save(demo_store, charter, MO, Q, subject, second, based_on=1, figure=figure)
    assert saved.written_against() == f"written when the latest figure was {i.shown} for {Q}"
    versions = commentary.history(demo_store, Q, subject)
    assert [(c.version, c.written_by) for c in versions] == [(2, "Mo Member"), (1, "Meg Member")]
    assert not saved.is_stale(figure)
    assert saved.is_stale(commentary.Figure("2026-27 Q2", 40.0, "40.0%"))


def test_two_members_editing_at_once_get_a_conflict_with_both_texts(demo_store, charter):
    subject = statement_subject(5)
    commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=0)
    mine = ("Meg's version.", "Because.", "Next.")
    theirs = ("Mo's version.", "Because.", "Next.")
    commentary.save(demo_store, charter, MO, Q, subject, theirs, based_on=1)  # Mo saves first
    with pytest.raises(commentary.EditConflict) as err:
        commentary.save(demo_store, charter, MEG, Q, subject, mine, based_on=1)
    assert err.value.theirs.what == "Mo's version." and err.value.yours[0] == "Meg's version."
    assert "Mo Member saved this commentary" in str(err.value)
    assert commentary.current(demo_store, Q)[subject].what == "Mo's version."  # nothing lost


def test_commentary_refuses_empty_text_and_unknown_subjects(demo_store, charter):
    with pytest.raises(ReviewError, match="Write why it is happening"):
        commentary.save(
            demo_store, charter, MEG, Q, statement_subject(5), ("a", "", "c"), based_on=0
        )
    with pytest.raises(ReviewError, match="There is no indicator 'nope'"):
        commentary.save(demo_store, charter, MEG, Q, "indicator:nope", TEXT, based_on=0)
    with pytest.raises(AccessDenied):
        commentary.save(
            demo_store, charter, councillor(), Q, statement_subject(5), TEXT, based_on=0
        )


def councillor() -> Actor:
    return Actor("c", "Cllr C", "", "app", frozenset({COUNCILLOR}))


def test_agreed_statuses_need_a_reason_and_a_different_status(demo_store, charter):
    subject = statement_subject(5)
    with pytest.raises(ReviewError, match="Write the reason"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "off_track", "at_risk", "")
    with pytest.raises(ReviewError, match="same as the computed one"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "at_risk", "at_risk", "x")
    with pytest.raises(ReviewError, match="must be one of"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "purple", "at_risk", "x")
    agreed.agree(
        demo_store, charter, CHRIS, Q, subject, "off_track", "at_risk", "Parents report long waits"
    )
    found = agreed.current(demo_store, Q)[subject]
    assert found.sentence("at_risk") == (
        "Computed: at risk. Agreed: off track, because Parents report long waits."
    )
    agreed.agree(demo_store, charter, CHRIS, Q, subject, None, "at_risk", "Waits fell")
    assert subject not in agreed.current(demo_store, Q)


def test_actions_refuse_bad_input_and_track_progress_and_overdue(store, charter):
    today = date(2026, 11, 26)
    kw = {"quarter": Q, "statement": 5, "today": today}
    with pytest.raises(ReviewError, match="has passed"):
        actions.add(
            store,
            charter,
            MEG,
            title="x",
            owner="head-of-send",
            due=today - timedelta(days=1),
            **kw,
        )
    with pytest.raises(ReviewError, match="Unknown owner 'bob'"):
        actions.add(store, charter, MEG, title="x", owner="bob", due=today, **kw)
    with pytest.raises(ReviewError, match="Say what the action should change"):
        actions.add(
            store,
            charter,
            MEG,
            title="x",
            owner="head-of-send",
            due=today,
            quarter=Q,
            today=today,
        )
    with pytest.raises(AccessDenied):
        actions.add(
            store,
            charter,
            councillor(),
            title="x",
            owner="head-of-send",
            due=today,
            **kw,
        )
    ident = actions.add(
        store,
        charter,
        MEG,
        title="Recruit two therapists",
        owner="designated-clinical-officer",
        due=today + timedelta(days=30),
        indicators=["speech-therapy-median-wait"],
        **kw,
    )
    [a] = actions.listed(store, owner="designated-clinical-officer")
    assert (a.action_id, a.status, a.overdue(today)) == (ident, "not started", False)
    assert a.overdue(today + timedelta(days=31))
    assert actions.listed(store, organisation="icb", charter=charter) == [a]
    actions.update(store, MO, ident, "on track", "One appointed")
    with pytest.raises(ReviewError, match="Write why the action is dropped"):
        actions.update(store, MO, ident, "dropped", "Stopping")
    actions.update(store, MO, ident, "done", "Both in post")
    log = actions.progress_log(store, ident)
    assert [(v, s) for v, s, *_ in log] == [(1, "not started"), (2, "on track"), (3, "done")]
    assert not actions.listed(store, overdue=True, today=today + timedelta(days=99))


def test_the_demo_reviewed_and_signed_off_its_previous_quarter(demo_store, charter):
    built = report.build(demo_store, charter, "2026-27 Q1")
    assert built.review.state == "signed off" and built.review.meeting_date
    assert built.exceptions and all(e.commentary_state == "written" for e in built.exceptions)
    assert len(built.agreed) == 1
    states = {a.title: (a.status, a.overdue(date(2026, 11, 26))) for a in built.actions}
    assert sorted(s for s, _ in states.values()) == ["at risk", "done", "done", "on track"]
    assert sum(late for _, late in states.values()) == 1
    follow_up = report.last_meeting_actions(demo_store, Q)
    assert len(follow_up) == 4


def test_a_commentary_edit_is_audited_with_the_text_before_and_after(demo_store, charter):
    subject = statement_subject(5)
    commentary.save(demo_store, charter, MEG, Q, subject, TEXT, based_on=0)
    commentary.save(demo_store, charter, MO, Q, subject, ("New.", "Why.", "Next."), based_on=1)
    edit = audit_trail.entries(demo_store, command_line(), kind="commentary written")[0]
    assert edit.name == "Mo Member"
    assert edit.before == f"What: {TEXT[0]} | Why: {TEXT[1]} | Next: {TEXT[2]}"
    assert edit.after == "What: New. | Why: Why. | Next: Next."


def test_moving_the_meeting_is_audited_with_the_date_it_replaced(demo_store):
    cycle.set_meeting(demo_store, CHRIS, Q, date(2026, 12, 12))
    cycle.set_meeting(demo_store, CHRIS, Q, date(2026, 12, 19))
    newest = audit_trail.entries(demo_store, command_line(), kind="meeting date set")[0]
    assert newest.summary == "Meeting on 19 December 2026 (was 12 December 2026)"
    assert (newest.before, newest.after) == (
        "Meeting on 12 December 2026",
        "Meeting on 19 December 2026",
    )


def test_reopening_keeps_what_was_signed_off_on_record(demo_store, charter):
    """Reopening clears the quarter's sign-off; the audit keeps who signed it off, when, and
    the figures and statuses it pinned, so a second sign-off never hides the first."""
    review = sign_off(demo_store, charter)
    pinned = {k: v.shown for k, v in review.pinned.items()}
    cycle.move(demo_store, charter, CHRIS, Q, "discussed", reason="New data")
    entry = audit_trail.entries(demo_store, command_line(), kind="review reopened")[0]
    assert entry.before.startswith("signed off on ") and "by Chris Chair" in entry.before
    kept = json.loads(entry.before.split("pinned then: ", 1)[1])
    assert {k: v["shown"] for k, v in kept.items()} == pinned and pinned
    assert entry.after == "discussed"


def test_a_move_never_writes_back_a_meeting_date_set_since_the_page_was_drawn(
    demo_store, charter, monkeypatch
):
    """Chair A's move works from the review as read before chair B set the meeting; the
    meeting B set stays (only the state is A's to change)."""
    cycle.set_meeting(demo_store, CHRIS, Q, date(2026, 12, 12))
    drawn = cycle.read(demo_store, Q)
    real_read = cycle.read

    def read_before_b(store, quarter):  # chair B moves the meeting just after A's read
        monkeypatch.setattr(cycle, "read", real_read)
        cycle.set_meeting(demo_store, CHRIS, Q, date(2026, 12, 19))
        return drawn

    monkeypatch.setattr(cycle, "read", read_before_b)
    moved = cycle.move(demo_store, charter, CHRIS, Q, "commentary drafted")
    assert moved.state == "commentary drafted" and moved.meeting_date == date(2026, 12, 19)


def test_no_commentary_is_added_to_a_quarter_after_its_sign_off_commits(
    demo_store, charter, monkeypatch
):
    """The chair signs off while a member's save is between its 'not signed off' check and
    its commit: the two conflict, so the sign-off never commits before the member's text
    (DuckDB refuses the sign-off, which the chair tries again; PostgreSQL makes it wait)."""
    write_all(demo_store, charter)
    for state in ("commentary drafted", "circulated", "discussed"):
        cycle.move(demo_store, charter, CHRIS, Q, state)
    subject = indicator_subject(exception_ids(demo_store, charter)[0])
    signing: dict[str, object] = {}

    def sign_off_now() -> None:
        try:
            signing["review"] = cycle.move(demo_store, charter, CHRIS, Q, "signed off")
        except ReviewError as err:  # Concurrent: someone else changed the review meanwhile
            signing["refused"] = err

    real_version = review_store.latest_commentary_version

    def chair_signs_off_meanwhile(con, quarter, subject):
        monkeypatch.setattr(review_store, "latest_commentary_version", real_version)
        chair = threading.Thread(target=sign_off_now)
        chair.start()
        chair.join(timeout=3)  # the member's transaction is still open
        signing["before the member's commit"] = dict(signing)
        signing["chair"] = chair
        return real_version(con, quarter, subject)

    monkeypatch.setattr(review_store, "latest_commentary_version", chair_signs_off_meanwhile)
    commentary.save(demo_store, charter, MO, Q, subject, ("Late", "text", "here"), based_on=1)
    signing["chair"].join(timeout=30)
    assert "review" not in signing["before the member's commit"]
    review = cycle.read(demo_store, Q)
    latest = commentary.history(demo_store, Q, subject)[0]
    if review.state == "signed off":  # PostgreSQL: the sign-off waited, then came after it
        assert latest.written_at <= review.signed_off_at


def test_an_agreed_status_is_recorded_over_what_the_chair_saw_and_says_what_it_replaced(
    demo_store, charter
):
    """Two chairs who both saw no agreed status record different ones: the second is refused
    (it was silently the later version). The audit's 'before' is the agreed status replaced,
    and a computed status the figures no longer give is refused (it was taken as given)."""
    subject = statement_subject(5)  # computed: at risk
    with pytest.raises(ReviewError, match="computed status is now At risk"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "off_track", "on_track", "Spoofed")
    agreed.agree(demo_store, charter, CHRIS, Q, subject, "off_track", "at_risk", "Waits", None)
    with pytest.raises(agreed.AgreedConflict, match="Chris Chair recorded an agreed status"):
        agreed.agree(demo_store, charter, CHRIS, Q, subject, "on_track", "at_risk", "Fell", None)
    assert agreed.current(demo_store, Q)[subject].status == "off_track"
    agreed.agree(demo_store, charter, CHRIS, Q, subject, "on_track", "at_risk", "Fell", "off_track")
    entry = audit_trail.entries(demo_store, command_line(), kind="status agreed")[0]
    assert (entry.before, entry.after) == ("Off track (agreed)", "On track")


def test_an_action_update_is_logged_over_what_its_writer_saw_and_says_what_it_replaced(
    demo_store, charter
):
    """Two members who both saw the action 'not started' log progress: the second is refused
    with who logged what (it silently became the action's status, the first one's unseen).
    Nothing of theirs is logged; logged again over what they now see, it is, audited with
    the status it replaced."""
    ident = actions.add(demo_store, charter, MEG, title="Recruit two therapists",
                        owner="head-of-send", due=date.today() + timedelta(days=30), quarter=Q,
                        statement=5)  # fmt: skip
    [shown] = [a for a in actions.listed(demo_store) if a.action_id == ident]
    assert (shown.status, shown.version) == ("not started", 1)
    actions.update(demo_store, MO, ident, "at risk", "One left", seen=shown.version)
    with pytest.raises(actions.ActionConflict, match=r"Mo Member logged progress on action \d+ "
                       r"\(now at risk\) after this page was drawn"):  # fmt: skip
        actions.update(demo_store, MEG, ident, "on track", "Both in post", seen=shown.version)
    log = actions.progress_log(demo_store, ident)
    assert [(v, s) for v, s, *_ in log] == [(1, "not started"), (2, "at risk")]
    [now] = [a for a in actions.listed(demo_store) if a.action_id == ident]
    assert actions.update(demo_store, MEG, ident, "on track", "Both in post", seen=now.version) == 3
    entry = audit_trail.entries(demo_store, command_line(), kind="action updated")[0]
    assert (entry.before, entry.after, entry.name) == ("at risk", "on track", "Meg Member")


def test_last_quarters_text_never_replaces_commentary_written_meanwhile(demo_store, charter):
    """'Start from last quarter's text', pressed on a page drawn before a colleague saved,
    made last quarter's text the current version (the exception unexplained again)."""
    last = commentary.current(demo_store, "2026-27 Q1")
    first = next(i for i in exception_ids(demo_store, charter) if indicator_subject(i) in last)
    subject = indicator_subject(first)
    commentary.save(demo_store, charter, MO, Q, subject, TEXT, based_on=0)  # the colleague's
    with pytest.raises(commentary.Conflict):
        commentary.copy_forward(demo_store, charter, MEG, Q, subject, "2026-27 Q1")
    kept = commentary.current(demo_store, Q)[subject]
    assert (kept.what, kept.copied_from, kept.version) == (TEXT[0], None, 1)


def test_a_sign_off_is_later_than_every_word_saved_before_it_commits(
    demo_store, charter, monkeypatch
):
    """The sign-off's moment was taken before its transaction: a member's save committing in
    between was 'written' after the quarter was signed off, yet in it (found by a review)."""
    write_all(demo_store, charter)
    for state in ("commentary drafted", "circulated", "discussed"):
        cycle.move(demo_store, charter, CHRIS, Q, state)
    subject = indicator_subject(exception_ids(demo_store, charter)[0])
    real = cycle._snapshot

    def member_saves_meanwhile(statements):
        commentary.save(demo_store, charter, MO, Q, subject, ("Late", "but", "in"), based_on=1)
        return real(statements)

    monkeypatch.setattr(cycle, "_snapshot", member_saves_meanwhile)
    signed = cycle.move(demo_store, charter, CHRIS, Q, "signed off")
    latest = commentary.history(demo_store, Q, subject)[0]
    assert latest.what == "Late" and latest.written_at <= signed.signed_off_at
