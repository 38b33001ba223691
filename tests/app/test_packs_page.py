"""The Meeting packs page: the audiences each role is offered, progress while the pack is
made, and a download button for each format."""

from __future__ import annotations

import pytest

import ui
from metrics import packs as pack
from ui import access, pack_view


def packs_page(fresh, role: str):
    opened = fresh(ui.PACKS_PAGE, **{access.DEMO_ROLE: role})
    opened.at.query_params["quarter"] = "2026-27 Q2"
    at = opened.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("councillor", [pack.SCRUTINY]),
        ("member", [*pack.AUDIENCES, pack_view.SELF_EVALUATION]),
    ],
)
def test_each_role_is_offered_the_packs_it_may_have(fresh, role, offered):
    at = packs_page(fresh, role)
    assert list(at.radio(key=pack_view.AUDIENCE).options) == [a.capitalize() for a in offered]


def test_making_a_pack_shows_progress_and_offers_every_format(fresh):
    at = packs_page(fresh, "member")
    at.radio(key=pack_view.AUDIENCE).set_value(pack.PLANNING_GROUP)
    at.button(key=pack_view.MAKE).click().run(timeout=120)
    assert not at.exception, at.exception
    steps = [m.value for m in at.markdown]
    assert "Gathering the figures, commentary and actions" in steps
    assert "Writing the PDF" in steps
    made = at.session_state[pack_view.MADE]
    assert sorted(made["files"]) == ["html", "pdf", "xlsx"]
    name, data = made["files"]["pdf"]
    assert name == "charter-pack-2026-27-Q2-planning-group.pdf" and data.startswith(b"%PDF")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"Download the {pack_view.LABELS[f]}" for f in ("html", "pdf", "xlsx")]


def test_staff_make_the_self_evaluation_draft(fresh):
    at = packs_page(fresh, "analyst")
    at.radio(key=pack_view.AUDIENCE).set_value(pack_view.SELF_EVALUATION)
    at.button(key=pack_view.MAKE).click().run(timeout=120)
    assert not at.exception, at.exception
    made = at.session_state[pack_view.MADE]
    assert "self-evaluation for the area SEND inspection" in made["title"]
    name, data = made["files"]["html"]
    assert name == "self-evaluation-2026-27-Q2.html"
    assert b"Children and young people are valued, visible and included" in data


def test_the_chair_is_warned_of_small_numbers_in_the_packs_words(fresh, monkeypatch):
    """Issue 26: before a scrutiny pack is made, its free text is checked."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")
    opened = fresh(ui.PACKS_PAGE, **{access.DEMO_ROLE: "chair"})
    opened.at.query_params["quarter"] = "2026-27 Q1"
    at = opened.run()
    assert not at.exception, at.exception
    at.radio(key=pack_view.AUDIENCE).set_value(pack.SCRUTINY).run()
    warned = [w.value for w in at.warning]
    assert any("Three parent carers" in w and "Sam Member" in w for w in warned), warned
    at.radio(key=pack_view.AUDIENCE).set_value(pack.PLANNING_GROUP).run()
    assert not any("Three parent carers" in w.value for w in at.warning)


def test_a_councillor_is_never_shown_the_words_the_warnings_quote(fresh, monkeypatch):
    """The warnings quote the pack's free text, commentary held back from public readers
    included (it could narrow a withheld figure): shown to staff only."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")
    opened = fresh(ui.PACKS_PAGE, **{access.DEMO_ROLE: "councillor"})
    opened.at.query_params["quarter"] = "2026-27 Q1"
    at = opened.run()
    assert not at.exception, at.exception
    assert list(at.radio(key=pack_view.AUDIENCE).options) == [pack.SCRUTINY.capitalize()]
    assert not any("Three parent carers" in w.value or "Before publishing" in w.value
                   for w in at.warning)  # fmt: skip
