"""The review pages under AppTest: members write commentary (and meet a conflict rather than
lose text), the chair agrees statuses and moves the cycle, councillors read but cannot edit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

import ui
from metrics.access import audit as audit_trail, command_line
from metrics.access.people import demo
from metrics.assess import trajectory
from metrics.review import actions, agreed, commentary
from metrics.review.common import statement_subject
from tests.app.conftest import open_expanders
from ui import access

Q = "2026-27 Q2"


def plain(text: str) -> str:
    """Markdown source as read: the escaping backslashes dropped."""
    return text.replace("\\", "")


def open_review(fresh, role: str):
    opened = fresh(ui.REVIEW_PAGE, **{access.DEMO_ROLE: role})
    opened.at.query_params["quarter"] = Q
    at = opened.run()
    assert not at.exception, at.exception
    return at


def labelled(widgets, label: str, form: bool = False):
    """The add-action form's widget with this label (its keys change with each drawing of the
    form, ui/forms.py); `form`: the one in a form, where a filter has the same label."""
    return next(w for w in widgets if w.label == label and (not form or w.form_id))


def first_exception(at) -> str:
    """The subject of the first exception's editor on the page."""
    key = next(t.key for t in at.text_area if t.key.startswith(f"what:{Q}:indicator:"))
    return key.split(":", 2)[2]


def save_first(at, texts: tuple[str, str, str]):
    subject = first_exception(at)
    for part, text in zip(("what", "why", "next"), texts, strict=True):
        at.text_area(key=f"{part}:{Q}:{subject}").input(text)
    next(b for b in at.button if b.label == "Save commentary").click().run()
    assert not at.exception, at.exception
    return subject


def test_a_member_writes_commentary_and_it_is_audited(fresh):
    at = open_review(fresh, "member")
    assert any("open, 0 of" in plain(i.value) for i in at.info)  # the review's headline
    subject = save_first(at, ("Waits rose.", "Two staff left.", "Agency cover."))
    assert any(s.value == "Saved (version 1)." for s in at.success)
    saved = commentary.current(fresh.store, Q)[subject]
    assert (saved.what, saved.written_by) == ("Waits rose.", "demo (member)")
    row = audit_trail.entries(fresh.store, command_line())[0]
    assert (row.kind, row.name) == ("commentary written", "demo (member)")


def test_the_saved_note_stays_until_someone_saves_a_newer_version(fresh):
    """A rerun (another box saved, a quarter picked) must not take the confirmation away;
    a newer version saved by someone else does, and is not claimed as theirs."""
    first = open_review(fresh, "member")
    subject = save_first(first, ("Waits rose.", "Two staff left.", "Agency cover."))
    first.run()
    assert [s.value for s in first.success] == ["Saved (version 1)."]
    second = open_review(fresh, "member")
    assert not [s.value for s in second.success]  # the note is the saver's, not everyone's
    for part, text in zip(("what", "why", "next"), ("Newer.", "Reason.", "Plan."), strict=True):
        second.text_area(key=f"{part}:{Q}:{subject}").input(text)
    next(b for b in second.button if b.label == "Save commentary").click().run()
    assert [s.value for s in second.success] == ["Saved (version 2)."]
    first.run()
    assert not [s.value for s in first.success]


def test_a_save_is_kept_as_saved_when_a_rerun_is_asked_for_during_it(fresh, monkeypatch):
    """A rerun asked for while the save is being written (a second click, a reconnection, a
    slow server) stops the run at its next use of the session state: the save, committed,
    must still be recorded as this person's, or they see no 'Saved' and their next save of
    the same box is refused as a conflict with their own text."""
    real = commentary.save

    def save_then_rerun_asked(*args, **kwargs):
        saved = real(*args, **kwargs)
        ctx = get_script_run_ctx()
        assert ctx is not None and ctx.script_requests is not None
        ctx.script_requests.request_rerun(
            RerunData(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash)
        )
        return saved

    at = open_review(fresh, "member")
    monkeypatch.setattr(commentary, "save", save_then_rerun_asked)
    subject = save_first(at, ("Waits rose.", "Two staff left.", "Agency cover."))
    assert [v.version for v in commentary.history(fresh.store, Q, subject)] == [1]
    assert [s.value for s in at.success] == ["Saved (version 1)."]
    monkeypatch.setattr(commentary, "save", real)
    save_first(at, ("Waits rose again.", "Two staff left.", "Agency cover."))
    assert not at.error, [e.value for e in at.error]  # not a conflict with their own text
    assert [s.value for s in at.success] == ["Saved (version 2)."]


def test_two_members_saving_the_same_text_get_a_conflict_not_a_loss(fresh):
    first = open_review(fresh, "member")
    second = open_review(fresh, "member")  # both opened before either saved
    subject = save_first(first, ("Mine first.", "Because.", "Then this."))
    save_first(second, ("Second person.", "Other reason.", "Other plan."))
    assert any("saved this commentary" in e.value for e in second.error)
    assert any("Yours (not saved)" in m.value for m in second.markdown)
    assert commentary.current(fresh.store, Q)[subject].what == "Mine first."


def test_the_chair_agrees_a_status_only_with_a_reason(fresh):
    at = open_review(fresh, "chair")
    assert [b.label for b in at.button if b.key == "review_next"] == [
        "Move on to 'commentary drafted'"
    ]
    form = "s5"
    at.selectbox(key=f"agreed:{form}").set_value("off_track")
    buttons = [b for b in at.button if b.label == "Record the agreed status"]
    statement_button = buttons[-12 + 4]  # the statements' forms come last, in order
    statement_button.click().run()
    assert any(plain(e.value).startswith("Reason (required): this box is empty") for e in at.error)
    at.selectbox(key=f"agreed:{form}").set_value("off_track")
    at.text_input(key=f"agreed_reason:{form}").input("Families report longer waits")
    [b for b in at.button if b.label == "Record the agreed status"][-12 + 4].click().run()
    assert not at.exception, at.exception
    found = agreed.current(fresh.store, Q)[statement_subject(5)]
    assert found.status == "off_track" and found.agreed_by == "demo (chair)"
    at.button(key="review_next").click().run()
    assert any("commentary drafted" in plain(i.value) for i in at.info)


def agree(at, status: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Record an agreed status for statement 5 on an open review page."""
    at.selectbox(key="agreed:s5").set_value(status)
    at.text_input(key="agreed_reason:s5").input(reason)
    [b for b in at.button if b.label == "Record the agreed status"][-12 + 4].click().run()
    assert not at.exception, at.exception


def test_two_chairs_agreeing_one_status_get_a_conflict_not_a_silent_replacement(fresh):
    """Both pages drawn before either recorded: the second chair is refused (the press runs
    the page again, which reads the first one's status: sent with that, it went through)."""
    first = open_review(fresh, "chair")
    second = open_review(fresh, "chair")
    agree(first, "off_track", "Families report longer waits")
    agree(second, "on_track", "Waits are falling again")
    said = [e.value for e in second.error]
    assert any("recorded an agreed status" in e for e in said), said
    found = agreed.current(fresh.store, Q)[statement_subject(5)]
    assert (found.status, found.reason) == ("off_track", "Families report longer waits")
    agree(second, "on_track", "Waits are falling again")  # over what the page now shows
    found = agreed.current(fresh.store, Q)[statement_subject(5)]
    assert (found.status, found.reason) == ("on_track", "Waits are falling again")


def test_a_councillor_reads_everything_and_can_change_nothing(fresh):
    member_view = open_review(fresh, "member")
    save_first(member_view, ("Waits rose.", "Two staff left.", "Agency cover."))
    at = open_review(fresh, "councillor")
    shut = len(at.markdown)  # a reader's stories are drawn once opened (ui/lazy.py)
    at = open_expanders(at, "")  # every one
    assert len(at.markdown) > shut
    assert not at.text_area and not at.text_input
    assert not [b for b in at.button if b.label != "Sign out"]
    assert any("\n\n*What is happening:* Waits rose" in plain(m.value) for m in at.markdown)
    actions_page = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "councillor"}).run()
    assert not actions_page.exception
    assert len(actions_page.dataframe[0].value) == 4  # the demo's actions, read-only
    log = actions_page.dataframe[1].value  # the first action's dated progress log
    assert list(log["Status"]) == ["not started", "done"]
    assert not [b for b in actions_page.button if b.label in ("Add the action", "Log progress")]


def test_a_member_adds_an_action_and_a_past_due_date_is_refused(fresh):
    at = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "member"}).run()
    assert not at.exception, at.exception
    labelled(at.text_input, "What will be done").input("Recruit two speech therapists")
    labelled(at.selectbox, "Owner", form=True).set_value("designated-clinical-officer")
    labelled(at.date_input, "Due").set_value(date.today() - timedelta(days=1))
    labelled(at.selectbox, "Statement it should change").set_value("5")
    next(b for b in at.button if b.label == "Add the action").click().run()
    assert any("has passed" in e.value for e in at.error)
    labelled(at.date_input, "Due").set_value(date.today() + timedelta(days=30))
    next(b for b in at.button if b.label == "Add the action").click().run()
    assert any(s.value.startswith("Action #5 added") for s in at.success)
    [added] = actions.listed(fresh.store, owner="designated-clinical-officer", status="not started")
    assert added.title == "Recruit two speech therapists" and added.created_by == "demo (member)"


def log_progress(at, status: str, note: str):
    labelled(at.selectbox, "Status now").set_value(status)
    labelled(at.text_input, "Progress note").input(note)
    next(b for b in at.button if b.label == "Log progress").click().run()
    assert not at.exception, at.exception
    return at


def test_two_members_logging_progress_on_one_action_get_a_conflict_not_a_silent_loss(fresh):
    """Both pages drawn before either logged: the second is refused, says who logged what,
    keeps what its member typed, and the action keeps the first one's status (the second's
    silently replaced it)."""
    first = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "member"}).run()
    second = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "member"}).run()
    ident = labelled(first.selectbox, "Action").value
    assert labelled(second.selectbox, "Action").value == ident
    log_progress(first, "at risk", "One therapist left")
    assert any(s.value == f"Action #{ident}: at risk." for s in first.success)
    log_progress(second, "done", "Both in post")
    assert any("logged progress on action" in e.value for e in second.error), second.error
    assert labelled(second.text_input, "Progress note").value == "Both in post"  # kept
    [now] = [a for a in actions.listed(fresh.store) if a.action_id == ident]
    assert (now.status, now.note) == ("at risk", "One therapist left")
    log_progress(second, "done", "Both in post")  # now over what the page shows: logged
    [now] = [a for a in actions.listed(fresh.store) if a.action_id == ident]
    assert (now.status, now.note) == ("done", "Both in post")


def test_a_signed_off_quarter_shows_a_status_a_later_trajectory_changed(fresh, charter):
    """The demo's signed-off 2026-27 Q1, after the chair sets a trajectory for 2026-27: the
    review says which statuses changed since sign-off with the figure the same, then and
    now, as it says a figure revised since."""
    ident = "ehcp-issued-20-weeks"
    trajectory.save(fresh.store, charter, demo("chair"), ident,
                    {"2026-27": 99.0, "2027-28": 99.5}, "The board's plan")  # fmt: skip
    opened = fresh(ui.REVIEW_PAGE, **{access.DEMO_ROLE: "member"})
    opened.at.query_params["quarter"] = "2026-27 Q1"
    at = opened.run()
    assert not at.exception, at.exception
    said = [plain(w.value) for w in at.warning if "since sign-off" in plain(w.value)]
    assert said == [
        f"{charter.indicators[ident].title}: status changed since sign-off (its target "
        "changed), on track then, off track now (2026-27 Q1)."
    ], [w.value for w in at.warning]


@pytest.mark.parametrize("path", [ui.ACCOUNTABILITY_PAGE, ui.INDICATOR_PAGE, ui.STATEMENT_PAGE])
def test_pages_show_the_review_state_under_the_title(fresh, path):
    at = fresh(path).run()
    assert not at.exception, at.exception
    assert any(plain(c.value).startswith("2026-27 Q2: open, 0 of") for c in at.caption)
