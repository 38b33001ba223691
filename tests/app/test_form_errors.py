"""A form's refusal of a box is said right under that box and names it (ui/forms.py): said
under the whole form ("Write the reason ..."), a screen-reader user had to work out which
box was wrong."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import ui
from ui import access

Q = "2026-27 Q2"


def in_order(at: AppTest) -> list[object]:
    """The page's elements in the order they are drawn (a form's, inside it)."""
    found: list[object] = []

    def walk(node: object) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
        else:
            found.append(node)

    walk(at.main)
    return found


def under(at: AppTest, key: str) -> object:
    """The element drawn just under the widget with this key."""
    elements = in_order(at)
    at_box = next(i for i, e in enumerate(elements) if getattr(e, "key", None) == key)
    return elements[at_box + 1]


def test_an_empty_reason_is_said_under_its_box_by_name(fresh):
    opened = fresh(ui.REVIEW_PAGE, **{access.DEMO_ROLE: "chair"})
    opened.at.query_params["quarter"] = Q
    at = opened.run()
    at.selectbox(key="agreed:s5").set_value("off_track")
    buttons = [b for b in at.button if b.label == "Record the agreed status"]
    buttons[-12 + 4].click().run()  # the statements' forms come last, in order
    assert not at.exception, at.exception
    said = under(at, "agreed_reason:s5")
    assert type(said).__name__ == "Error", said
    assert said.value.replace("\\", "").startswith("Reason (required): this box is empty")


def test_a_dropped_action_without_a_why_is_said_under_that_box(fresh):
    at = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "member"}).run()
    status = next(s for s in at.selectbox if s.label == "Status now")
    status.set_value("dropped")
    note = next(t for t in at.text_input if t.label == "Progress note")
    note.input("No longer needed")
    next(b for b in at.button if b.label == "Log progress").click().run()
    assert not at.exception, at.exception
    why = next(t for t in at.text_input if t.label == "If dropped: why")
    said = under(at, why.key)
    assert type(said).__name__ == "Error", said
    assert said.value.replace("\\", "").startswith("If dropped: why: this box is empty")


def test_a_due_date_the_domain_refuses_is_said_under_the_due_box(fresh):
    """A refusal found by the domain when saving, about a named field (an action's due date
    already passed: ReviewError's field "due"), was said only under the whole form. It is
    said under the Due box, naming it, and summed up under the form; what was typed stays."""
    from datetime import date, timedelta

    at = fresh(ui.ACTIONS_PAGE, **{access.DEMO_ROLE: "member"}).run()
    next(t for t in at.text_input if t.label == "What will be done").input("Ring the schools")
    due = next(d for d in at.date_input if d.label == "Due")
    due.set_value(date.today() - timedelta(days=3))
    statement = next(s for s in at.selectbox if s.label == "Statement it should change")
    statement.set_value(statement.options[1])
    next(b for b in at.button if b.label == "Add the action").click().run()
    assert not at.exception, at.exception
    due = next(d for d in at.date_input if d.label == "Due")
    said = under(at, due.key)
    assert type(said).__name__ == "Error", said
    assert said.value.replace("\\", "").startswith("Due: The due date "), said.value
    assert "has passed" in said.value
    summary = [e.value.replace("\\", "") for e in at.error if e.value.startswith("Not saved")]
    assert summary and summary[0].startswith("Not saved. Due: The due date "), summary
    assert next(t for t in at.text_input if t.label == "What will be done").value == (
        "Ring the schools"
    )
