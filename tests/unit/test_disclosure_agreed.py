"""The planning group's agreed statuses, their reasons and commentary are decided on the real
figures: a public reader (page, scrutiny view, pack) does not get those that touch a withheld
figure, and is told why (issue 26, derived facts)."""

from __future__ import annotations

from datetime import datetime

import pytest

from metrics import packs as pack
from metrics.access.people import command_line
from metrics.assess.rollup import charter_status
from metrics.packs import content
from metrics.periods.text import parse_period
from metrics.publish import withheld, withheld_review
from metrics.review import agreed, commentary
from metrics.review.common import indicator_subject, statement_subject
from metrics.scrutiny import view as scrutiny
from tests.unit.test_said_the_same_way import CHRIS

Q = "2026-27 Q2"
PCF = "planning-group-pcf-representation"  # its 2026-27 Q2 figure is withheld (statement 3)
KEYWORKER = "keyworker-complex-needs"  # 2026-27 Q2 published, Q1 withheld (statement 6)
REASON = "the forum says every one of the four places is filled"
NOTE = "All four parent carer places are filled"
OPEN = "Families tell us waits are longer still"  # statement 5: no withheld figure


def other_than(status: str) -> str:
    return "off_track" if status != "off_track" else "at_risk"


def agree_beside_withheld(store, charter) -> None:
    """Agreed statuses and commentary beside withheld figures, and one beside none."""
    real = charter_status(store, charter, parse_period(Q))
    by_number = {s.number: s for s in real}
    of = {i.id: i for s in real for i in s.indicators}
    for subject, computed, why in (
        (indicator_subject(PCF), of[PCF].status, REASON),
        (statement_subject(3), by_number[3].status, REASON),
        (indicator_subject(KEYWORKER), of[KEYWORKER].status, REASON),
        (statement_subject(5), by_number[5].status, OPEN),
    ):
        agreed.agree(store, charter, CHRIS, Q, subject, other_than(computed), computed, why)
    for ident in (PCF, KEYWORKER):
        commentary.save(
            store,
            charter,
            CHRIS,
            Q,
            indicator_subject(ident),
            (NOTE, "Recruitment.", "More."),
            based_on=0,
        )


@pytest.fixture
def agreed_store(demo_store, charter):
    agree_beside_withheld(demo_store, charter)
    return demo_store


def test_the_policy_holds_back_what_touches_a_withheld_figure_and_says_why(demo_db, charter):
    from metrics.store.connection import Store

    store = Store(demo_db)
    held = withheld_review.judged_on_withheld(
        charter_status(store, charter, parse_period(Q)), withheld.withheld_figures(store, charter)
    )
    assert indicator_subject(PCF) in held and statement_subject(3) in held
    assert indicator_subject(KEYWORKER) in held  # its change is from a withheld figure
    assert statement_subject(6) in held
    assert statement_subject(5) not in held and indicator_subject("ehcp-mainstream") not in held
    assert "not published" in held[indicator_subject(PCF)]
    assert "2026-27 Q2 figure" in held[indicator_subject(PCF)]
    assert "2026-27 Q1 figure" in held[indicator_subject(KEYWORKER)]


def test_the_scrutiny_view_gives_a_public_reader_why_not_the_agreed_status(agreed_store, charter):
    public = {s.number: s for s in scrutiny.build(agreed_store, charter, Q, public=True).statements}
    staff = {s.number: s for s in scrutiny.build(agreed_store, charter, Q, public=False).statements}
    assert staff[3].agreed_status is not None and REASON in staff[3].agreed
    assert public[3].agreed_status is None and public[3].held_back
    assert REASON not in public[3].agreed and "not published" in public[3].agreed
    assert public[5].agreed_status is not None and OPEN in public[5].agreed  # untouched


def test_the_published_pack_leaves_them_out_and_the_internal_one_keeps_them(agreed_store, charter):
    now = datetime(2026, 11, 26, 9, 30)
    made = {
        audience: content.build(agreed_store, charter, Q, audience, command_line("t"), now=now)
        for audience in content.AUDIENCES
    }
    public = pack.render(made[content.SCRUTINY], "html").decode()
    internal = pack.render(made[content.PLANNING_GROUP], "html").decode()
    assert REASON in internal and NOTE in internal
    assert REASON not in public and NOTE not in public
    assert OPEN in public  # statement 5 touches no withheld figure
    row = next(r for r in made[content.SCRUTINY].statements.rows if r[0] == "3")
    assert "not published" in row[3]
    keyworker = next(
        e
        for e in made[content.SCRUTINY].exceptions
        if e.title == charter.indicators[KEYWORKER].title
    )
    assert keyworker.agreed is None and keyworker.what is None and keyworker.held_back
    assert "not published" in public


def test_the_published_pack_gives_no_revisions_since_sign_off_as_the_page_gives_none(
    demo_store, charter
):
    """Figures pinned at sign-off are not disclosure-checked: the web view hides revisions
    since sign-off from public readers, and so does the published pack (one policy)."""
    from metrics.ingest import load_file

    csv = b"indicator,period,value\nshort-breaks-receiving,2026-27 Q1,450\n"
    loaded = load_file(demo_store, charter, "r.csv", csv, by="t", reason="late returns",
                       confirmed=True)  # fmt: skip
    assert loaded.outcome == "loaded", loaded.errors
    now = datetime(2026, 11, 26, 9, 30)
    notes = {
        audience: " ".join(
            content.build(
                demo_store, charter, "2026-27 Q1", audience, command_line("t"), now=now
            ).quality
        )
        for audience in content.AUDIENCES
    }
    assert "changed since the quarter was signed off" in notes[content.PLANNING_GROUP]
    assert "signed off" not in notes[content.SCRUTINY]
