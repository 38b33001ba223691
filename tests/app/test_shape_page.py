"""The chair shapes the packs on the Packs page (issue 31): writes the key messages and
chooses the sections of a pack for the audience; nobody else sees the forms."""

from __future__ import annotations

import pytest

import ui
from metrics import packs as pack
from metrics.packs import shape
from metrics.review import key_messages
from ui import access, pack_view
from ui.shape_view import SECTIONS, part_key

QUARTER = "2026-27 Q2"


def packs_page(fresh, role: str):
    opened = fresh(ui.PACKS_PAGE, **{access.DEMO_ROLE: role})
    opened.at.query_params["quarter"] = QUARTER
    at = opened.run()
    assert not at.exception, at.exception
    return at


def test_the_chair_writes_the_key_messages(fresh):
    at = packs_page(fresh, "chair")
    at.text_area(key=part_key("better")).input("Waits fell <b>sharply</b>.")
    at.text_area(key=part_key("asks")).input("Ask the ICB about autism waits.")
    next(b for b in at.button if b.label == "Save the key messages").click().run()
    assert not at.exception, at.exception
    assert any("Key messages saved (version 1)." in s.value for s in at.success)
    saved = key_messages.current(fresh.store, QUARTER)
    assert saved is not None and saved.better == "Waits fell <b>sharply</b>."  # as typed
    assert saved.written_by == "demo (chair)"
    assert at.text_area(key=part_key("better")).value == "Waits fell <b>sharply</b>."


def test_the_chair_chooses_the_sections_for_the_audience(fresh):
    at = packs_page(fresh, "chair")
    at.radio(key=pack_view.AUDIENCE).set_value(pack.PLANNING_GROUP).run()
    box = at.multiselect(key=f"{SECTIONS}_{pack.PLANNING_GROUP}")
    assert list(box.value) == list(shape.DEFAULT)
    box.set_value(["key messages", "scorecard", "method"])
    next(b for b in at.button if b.label == "Save the sections").click().run()
    assert not at.exception, at.exception
    assert shape.sections_for(fresh.store, pack.PLANNING_GROUP) == (
        "key messages", "scorecard", "method")  # fmt: skip
    assert shape.sections_for(fresh.store, pack.SCRUTINY) == shape.DEFAULT


@pytest.mark.parametrize("role", ["member", "councillor", "analyst"])
def test_nobody_else_sees_the_chairs_forms(fresh, role):
    at = packs_page(fresh, role)
    assert not [e for e in at.expander if e.label.startswith("Chair:")]
