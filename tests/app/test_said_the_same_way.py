"""Say it once, the same way, on the pages (issue 27 items 15-17)."""

from __future__ import annotations

import pytest

import ui
from tests.app.conftest import opened_in_quarter
from tests.unit.test_said_the_same_way import WHY, agree_statement_5
from ui import access

Q = "2026-27 Q2"


def said(at) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


@pytest.mark.parametrize("path", [ui.OVERVIEW, ui.SCRUTINY_PAGE, ui.STATEMENT_PAGE])
def test_the_agreed_status_shows_with_the_computed_one_and_its_reason(fresh, charter, path):
    status = agree_statement_5(fresh.store, charter)
    page = fresh(path, **{access.DEMO_ROLE: "councillor"})
    page.at.query_params["quarter"] = Q
    page.at.query_params["statement"] = "5"
    at = page.run()
    assert not at.exception, at.exception
    words = {"off_track": "off track", "at_risk": "at risk"}[status]
    assert f"Agreed: {words}, because {WHY}." in said(at)
    assert said(at).count("Computed: ") == 1  # statement 5 only: the rest were not agreed


def test_the_scrutiny_page_says_things_once_and_plainly(fresh):
    at = opened_in_quarter(fresh, Q, ui.SCRUTINY_PAGE, "councillor")
    text = said(at)
    assert "Fill the two vacant SEND caseworker posts" in text
    assert "due 23 October 2026; overdue (last reported at risk)." in text
    assert "Overdue." not in text  # never "at risk. Overdue."
    listed = [m.value for m in at.markdown if "Median wait for an autism" in m.value]
    assert not any("Better than the quarter before (52.7 weeks)" in m for m in listed)
    assert "England: " not in text  # every comparison with England has a verdict
    assert "which is worse (lower is better)" in text
    assert "Children waiting for an autism assessment is at risk and no open action" not in text


def test_a_trivial_move_is_no_biggest_mover_on_the_overview(fresh):
    at = opened_in_quarter(fresh, Q, ui.OVERVIEW, "member")
    movers = [  # each card one element (ui/cards.py): its movers are its last paragraph
        part.replace("\\", "")
        for m in at.markdown
        for part in m.value.split("\n\n")
        if part.startswith("Biggest movers")
    ]
    assert len(movers) >= 10  # the statements' real movers are still named
    assert not any("in mainstream schools worsened" in m for m in movers)  # 40.4 -> 40.3%
