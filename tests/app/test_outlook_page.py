"""The indicator page's projection and the chair's trajectory (issue 31): the projection is
said and drawn as a projection; a councillor gets none from a withheld figure; the chair sets
a trajectory and the status and target line follow it."""

from __future__ import annotations

import ui
from metrics.assess import trajectory
from tests.app.conftest import open_expanders
from ui import access
from ui.outlook_view import REASON, STEPS, parse_steps

QUARTER = "2026-27 Q2"


def opened(fresh, role: str, indicator: str):
    page = fresh(ui.INDICATOR_PAGE, **{access.DEMO_ROLE: role})
    page.at.query_params["quarter"] = QUARTER
    page.at.query_params["indicator"] = indicator
    at = page.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")  # as read: without markdown's escapes


def test_the_projection_is_said_and_tabled_as_a_projection(fresh):
    at = opened(fresh, "councillor", "ehcp-issued-20-weeks")
    assert "Where we are heading (a projection)" in [s.value for s in at.subheader]
    words = texts(at)
    assert "On the current course, about " in words and "This is a projection" in words
    assert "rolling origin" in words
    table = next(d.value for d in open_expanders(at).dataframe if "Projected" in d.value.columns)
    assert set(table["Kind"]) == {"Projection"} and len(table) == 4
    assert not [e for e in at.expander if e.label == "Chair: set a trajectory"]


def test_no_projection_from_a_withheld_figure_for_a_councillor(fresh):
    at = opened(fresh, "councillor", "keyworker-complex-needs")
    assert "No forecast is published" in texts(at)
    assert not [d for d in open_expanders(at).dataframe if "Projected" in d.value.columns]
    staff = opened(fresh, "analyst", "keyworker-complex-needs")
    assert "On the current course, about " in texts(staff)


def test_the_chair_sets_a_trajectory_and_the_status_follows(fresh):
    at = opened(fresh, "chair", "ehcp-issued-20-weeks")
    at.text_input(key=STEPS).input("2026-27: 99, 2027-28: 99.5")
    at.text_input(key=REASON).input("Stretch agreed by the board")
    next(b for b in at.button if b.label == "Save the trajectory").click().run()
    assert not at.exception, at.exception
    assert any("Trajectory saved." in s.value for s in at.success)
    found = trajectory.in_force(fresh.store)["ehcp-issued-20-weeks"]
    assert found.steps == (("2026-27", 99.0), ("2027-28", 99.5)) and found.set_by == "demo (chair)"
    words = texts(at)
    assert "99% in 2026-27, 99.5% by 2027-28 (the goal)" in words
    assert "Off track" in words or "At risk" in words  # judged against 99% now
    trend = next(d.value for d in open_expanders(at).dataframe if "Target" in d.value.columns
                 and "Value" in d.value.columns)  # fmt: skip
    assert "99%" in set(trend["Target"]) and "70%" in set(trend["Target"])


def test_a_mistyped_trajectory_is_refused_plainly(fresh):
    at = opened(fresh, "chair", "ehcp-issued-20-weeks")
    at.text_input(key=STEPS).input("2026-27 75")
    at.text_input(key=REASON).input("x")
    next(b for b in at.button if b.label == "Save the trajectory").click().run()
    assert any("is not 'year: target'" in e.value.replace("\\", "") for e in at.error)
    assert trajectory.in_force(fresh.store) == {}


def test_steps_are_read_as_typed():
    assert parse_steps("2026-27: 75%; 2027-28: 80") == {"2026-27": 75.0, "2027-28": 80.0}
    assert parse_steps("  ") == {}
