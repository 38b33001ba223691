"""Commentary, questions, actions, agreed statuses and the review's moves refuse quarters that
do not exist (issue 25, section 6): `2099-00 Q1` is a quarter's name, not a quarter anyone can
review; nor is one before the first quarter with figures. Nothing is stored either way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from metrics.access import CHAIR, COUNCILLOR, MEMBER, Actor, audit, command_line
from metrics.access.writing import ReviewError
from metrics.review import actions, agreed, commentary, cycle
from metrics.review.common import statement_subject
from metrics.scrutiny import questions

CHRIS = Actor("chris", "Chris Chair", "chris@x.example", "app", frozenset({CHAIR, MEMBER}))
CY = Actor("cy", "Cy Councillor", "cy@x.example", "app", frozenset({COUNCILLOR}))
TEXT = ("Waits rose.", "Two therapists left.", "Agency cover.")
FUTURE, BEFORE = "2099-00 Q1", "1990-91 Q1"


def writes(store, charter, quarter):
    due = date.today() + timedelta(days=30)
    s = statement_subject(5)

    def computed() -> str:  # as a page would show it: only a quarter with figures has one
        known = quarter == "2026-27 Q2"
        return agreed.computed_status(store, charter, quarter, s) if known else "at_risk"

    return [
        lambda: commentary.save(store, charter, CHRIS, quarter, s, TEXT, based_on=0),
        lambda: questions.ask(store, charter, CY, quarter, s, "Why?"),
        lambda: actions.add(
            store,
            charter,
            CHRIS,
            title="Recruit",
            owner="head-of-send",
            due=due,
            quarter=quarter,
            statement=5,
        ),
        lambda: agreed.agree(store, charter, CHRIS, quarter, s, "off_track", computed(), "Why"),
        lambda: cycle.move(store, charter, CHRIS, quarter, "commentary drafted"),
        lambda: cycle.set_meeting(store, CHRIS, quarter, date(2026, 12, 12)),
    ]


@pytest.mark.parametrize(("quarter", "said"), [(FUTURE, "has not begun"),
                                               (BEFORE, "no figures for 1990-91 Q1")])  # fmt: skip
def test_review_writes_refuse_a_quarter_that_does_not_exist(demo_store, charter, quarter, said):
    before = len(audit.entries(demo_store, command_line("t")))
    for write in writes(demo_store, charter, quarter):
        with pytest.raises(ReviewError, match=said):
            write()
    assert commentary.current(demo_store, quarter) == {}
    assert [a for a in actions.listed(demo_store) if a.agreed_quarter == quarter] == []
    assert [q for q in questions.listed(demo_store) if q.quarter == quarter] == []
    assert len(audit.entries(demo_store, command_line("t"))) == before


def test_the_quarters_with_figures_are_still_written(demo_store, charter):
    for write in writes(demo_store, charter, "2026-27 Q2"):
        write()
