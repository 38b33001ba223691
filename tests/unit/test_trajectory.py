"""Trajectories (issue 31): the chair's stepped targets to a goal are each year's target,
used by the status of every period in those years and drawn as the chart's target line;
versioned and audited in the same transaction; anyone else, or a bad step, refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from metrics.access.audit import entries
from metrics.access.people import AccessDenied, demo
from metrics.assess import trajectory
from metrics.assess.rollup import charter_status
from metrics.assess.target import Target
from metrics.assess.trend import trend
from metrics.periods.text import parse_period
from metrics.publish import outlook
from metrics.review import cycle, report

IND = "ehcp-issued-20-weeks"  # charter target 70%, the demo's figures above it lately
Q = "2026-27 Q2"
ADMIN = demo("admin")


def status_of(store, charter, ident=IND, quarter=Q):
    found = charter_status(store, charter, parse_period(quarter))
    return next(i for s in found for i in s.indicators if i.id == ident)


def test_the_status_of_each_period_is_judged_against_the_trajectory(demo_store, charter):
    before = status_of(demo_store, charter)
    assert before.target == 70.0 and before.value is not None
    high = before.value + 5  # a step the figure falls short of
    trajectory.save(demo_store, charter, demo("chair"), IND, {"2026-27": high, "2027-28": 95.0},
                    "The board's improvement plan", now=datetime(2026, 11, 20, 10))  # fmt: skip
    after = status_of(demo_store, charter)
    assert after.target == high
    assert after.status == Target.of(charter.indicators[IND]).status(before.value, high)
    assert after.status in ("at_risk", "off_track") and before.status == "on_track"
    earlier = status_of(demo_store, charter, quarter="2025-26 Q4")  # before its first year
    assert earlier.target == 70.0
    rows = {r.period: r.target for r in trend(demo_store, charter, charter.indicators[IND])}
    assert rows["2026-27 Q1"] == rows["2026-27 Q2"] == high and rows["2025-26 Q4"] == 70.0
    projected = outlook.build(demo_store, charter, charter.indicators[IND], Q, public=False)
    assert projected.targets == (high, high, 95.0, 95.0)  # 2026-27 Q3, Q4; 2027-28 Q1, Q2
    assert f"the target is {95:.0f}%" in projected.words


def test_a_trajectory_is_versioned_audited_and_can_be_withdrawn(demo_store, charter):
    chair = demo("chair")
    first = trajectory.save(demo_store, charter, chair, IND, {"2026-27": 75, "2027-28": 80},
                            "Plan agreed at the board")  # fmt: skip
    second = trajectory.save(demo_store, charter, chair, IND, {"2027-28": 85, "2026-27": 78},
                             "Raised after the inspection")  # fmt: skip
    assert (first.version, second.version) == (1, 2)
    assert second.steps == (("2026-27", 78.0), ("2027-28", 85.0))
    assert trajectory.in_force(demo_store)[IND] == second
    rows = entries(demo_store, ADMIN, kind=trajectory.CHANGED)
    assert [r.name for r in rows] == ["demo (chair)", "demo (chair)"]
    assert rows[0].before == "75% in 2026-27, 80% by 2027-28 (the goal)"
    assert rows[0].after == "78% in 2026-27, 85% by 2027-28 (the goal)"
    assert "Raised after the inspection" in rows[0].summary and rows[0].object == f"indicator:{IND}"
    trajectory.save(demo_store, charter, chair, IND, {}, "The plan was dropped")
    assert IND not in trajectory.in_force(demo_store)
    assert status_of(demo_store, charter).target == 70.0
    assert entries(demo_store, ADMIN, kind=trajectory.CHANGED)[0].after is None


@pytest.mark.parametrize("role", ["member", "analyst", "councillor"])
def test_only_the_chair_sets_a_trajectory(demo_store, charter, role):
    with pytest.raises(AccessDenied):
        trajectory.save(demo_store, charter, demo(role), IND, {"2026-27": 80}, "Because")
    assert trajectory.in_force(demo_store) == {}


@pytest.mark.parametrize(
    ("ident", "steps", "reason", "message"),
    [
        (IND, {"2026-27": 80, "2028-29": 90}, "x", "2027-28 is missing between 2026-27 and"),
        (IND, {"2026-27": 101}, "x", "is not a possible percent figure"),
        (IND, {"2026 Q1": 80}, "x", "is not a financial year like 2026-27"),
        (IND, {"2026-27 Q1": 80}, "x", "a financial year is needed here"),
        (IND, {"2026-27": float("nan")}, "x", "is not a number"),
        (IND, {"2026-27": 80}, "  ", "Write why the trajectory is set"),
        ("nothing-like-it", {"2026-27": 80}, "x", "There is no indicator 'nothing-like-it'"),
        ("disabled-children-known-rate", {"2026-27": 80}, "x", "context measure"),
    ],
)
def test_a_bad_trajectory_is_refused_plainly(demo_store, charter, ident, steps, reason, message):
    with pytest.raises(trajectory.ReviewError, match=message):
        trajectory.save(demo_store, charter, demo("chair"), ident, steps, reason)
    assert trajectory.in_force(demo_store) == {}
    assert entries(demo_store, ADMIN, kind=trajectory.CHANGED) == []


def test_a_trajectory_set_after_sign_off_flags_the_signed_off_quarters_changed_statuses(
    demo_store, charter
):
    """The demo signed 2026-27 Q1 off with the figure on track against the charter's 70%. A
    trajectory for 2026-27 set since changes that quarter's status with the same figure: it
    was not flagged (only a revised figure was). It is flagged as a revision is (not
    refused: a figure revised after sign-off is not either), with both statuses."""
    signed = "2026-27 Q1"
    assert cycle.read(demo_store, signed).state == "signed off"
    pin = cycle.read(demo_store, signed).pinned[IND]
    assert pin.status == "on_track" and not report.build(demo_store, charter, signed).revised
    trajectory.save(demo_store, charter, demo("chair"), IND, {"2026-27": 99.0, "2027-28": 99.5},
                    "The board's improvement plan")  # fmt: skip
    built = report.build(demo_store, charter, signed)
    then, now = built.revised[IND]
    assert (then.value, then.status) == (now.value, "on_track") and now.status == "off_track"
    assert cycle.changed_words(then, now) == (
        "status changed since sign-off (its target changed), on track then, off track now"
    )
    said = report.as_json(built, charter)["revised_since_sign_off"][IND]
    assert (said["status_at_sign_off"], said["status_now"]) == ("on_track", "off_track")
    assert status_of(demo_store, charter, quarter=signed).status == "off_track"
