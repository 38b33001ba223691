"""What a person just did shows at once (issue 27, items 12-14 and 18): every save is drawn
on the page above its form in the same step, forms clear after success, a second click never
adds a duplicate, signing off asks first, and dates read the UK way."""

from __future__ import annotations

import re

import ui
from tests.app.conftest import opened_in_quarter

Q = "2026-27 Q2"


def test_action_dates_read_the_uk_way(fresh):
    at = opened_in_quarter(fresh, Q, ui.ACTIONS_PAGE, "member")
    assert next(d for d in at.date_input if d.label == "Due").proto.format == "DD/MM/YYYY"
    log = next(d.value for d in at.dataframe if "When" in d.value.columns)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", w) for w in log["When"])


def labelled(widgets, label: str):
    """The widget in a form with this label (form keys change with each drawing)."""
    return next(w for w in widgets if w.label == label and w.form_id)


def counted(at) -> str:
    """The actions page's count above its list: "4 actions, 1 overdue."."""
    return next(m.value for m in at.markdown if " actions, " in m.value)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_an_added_action_shows_at_once_and_the_form_comes_back_empty(fresh):
    at = opened_in_quarter(fresh, Q, ui.ACTIONS_PAGE, "member")
    assert counted(at).startswith("4 actions")
    labelled(at.text_input, "What will be done").input("Recruit two speech therapists")
    labelled(at.selectbox, "Statement it should change").set_value("5")
    button(at, "Add the action").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Action #5 added."]
    assert counted(at).startswith("5 actions")  # the list above counts it already
    assert "#5 Recruit two speech therapists" in list(at.dataframe[0].value["Action"])
    assert labelled(at.text_input, "What will be done").value == ""  # ready for the next
    button(at, "Add the action").click().run()  # a second click on the emptied form
    assert counted(at).startswith("5 actions")  # adds nothing
    assert any("cannot be empty" in e.value for e in at.error)


def test_a_logged_status_shows_in_the_list_above_at_once(fresh):
    at = opened_in_quarter(fresh, Q, ui.ACTIONS_PAGE, "member")
    chosen = labelled(at.selectbox, "Action").value
    labelled(at.selectbox, "Status now").set_value("at risk")
    labelled(at.text_input, "Progress note").input("Recruitment slipped")
    button(at, "Log progress").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[table["Action"].str.startswith(f"#{chosen} ")].iloc[0]
    # an overdue action reads "overdue (last reported at risk)" (issue 27 item 17)
    assert row["Status"] in ("at risk", "overdue (last reported at risk)")
    assert [s.value for s in at.success] == [f"Action #{chosen}: at risk."]
    assert labelled(at.text_input, "Progress note").value == ""


def test_a_recorded_question_is_listed_at_once_and_sent_twice_is_recorded_once(fresh):
    at = opened_in_quarter(fresh, Q, ui.SCRUTINY_PAGE, "councillor")
    text = lambda: " ".join(m.value for m in at.markdown)  # noqa: E731
    assert "**Question 1**" in text()  # the demo's, about the quarter before
    asking = next(w for w in at.text_area if w.label == "Question")
    asking.input("Why did waits rise?")
    button(at, "Record the question").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Question 2 recorded; an officer will answer it."]
    assert "**Question 2**" in text()  # the list above has it already
    assert next(w for w in at.text_area if w.label == "Question").value == ""


def headline(at) -> str:
    return " ".join(i.value for i in at.info).replace("\\", "")


def test_saved_commentary_counts_in_the_headline_above_at_once(fresh):
    at = opened_in_quarter(fresh, Q, ui.REVIEW_PAGE, "member")
    assert "open, 0 of" in headline(at)
    box = next(t.key for t in at.text_area if t.key.startswith(f"what:{Q}:indicator:"))
    subject = box.split(":", 2)[2]
    for part, text in zip(("what", "why", "next"), ("Rose.", "Staff.", "Cover."), strict=True):
        at.text_area(key=f"{part}:{Q}:{subject}").input(text)
    button(at, "Save commentary").click().run()
    assert not at.exception, at.exception
    assert "open, 1 of" in headline(at)  # "0 of" until the next rerun, before
    assert [s.value for s in at.success] == ["Saved (version 1)."]


def test_an_agreed_status_is_confirmed_and_shown_at_once(fresh):
    at = opened_in_quarter(fresh, Q, ui.REVIEW_PAGE, "chair")
    at.selectbox(key="agreed:s5").set_value("off_track")
    at.text_input(key="agreed_reason:s5").input("Families report longer waits")
    [b for b in at.button if b.label == "Record the agreed status"][-12 + 4].click().run()
    assert not at.exception, at.exception
    assert "Recorded: off track." in [s.value for s in at.success]  # lost in the rerun, before
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Agreed: off track, because Families report longer waits" in said
    assert at.text_input(key="agreed_reason:s5").value == ""  # the form is ready again


def test_signing_off_asks_first_and_can_be_cancelled(fresh, charter):
    from metrics.review import cycle
    from tests.unit.test_review import CHRIS, write_all

    write_all(fresh.store, charter)  # every exception written up, so it can be discussed
    for step in ("commentary drafted", "circulated", "discussed"):
        cycle.move(fresh.store, charter, CHRIS, Q, step)
    at = opened_in_quarter(fresh, Q, ui.REVIEW_PAGE, "chair")
    assert at.button(key="review_next").label == "Sign the quarter off"
    at.button(key="review_next").click().run()
    assert cycle.read(fresh.store, Q).state == "discussed"  # not signed off by one click
    assert any("Sign 2026-27 Q2 off?" in w.value for w in at.warning)
    at.button(key="review_sign_off_no").click().run()
    assert cycle.read(fresh.store, Q).state == "discussed"
    assert not any("Sign 2026-27 Q2 off?" in w.value for w in at.warning)
    at.button(key="review_next").click().run()
    at.button(key="review_sign_off_yes").click().run()
    assert not at.exception, at.exception
    assert cycle.read(fresh.store, Q).state == "signed off"
