"""Say it once, the same way (issue 27 items 15-17): the agreed status goes with its reason
and the computed status wherever a statement's status appears; the scrutiny card leads with
the most pressing measure; plain English never contradicts itself."""

from __future__ import annotations

from metrics.access import CHAIR, MEMBER, Actor
from metrics.publish import scrutiny
from metrics.publish.pack import sections
from metrics.review import agreed
from metrics.review.common import statement_subject

Q = "2026-27 Q2"
CHRIS = Actor("chris", "Chris Chair", "chris@x.example", "app", frozenset({CHAIR, MEMBER}))
WHY = "Families tell us waits are longer still"


def agree_statement_5(store, charter) -> str:
    facts = scrutiny.build(store, charter, Q, public=False)
    computed = next(s.status for s in facts.statements if s.number == 5)
    status = "off_track" if computed != "off_track" else "at_risk"
    agreed.agree(store, charter, CHRIS, Q, statement_subject(5), status, computed, WHY)
    return status


def test_the_scrutiny_view_and_pack_give_the_agreed_status_with_its_reason(demo_store, charter):
    status = agree_statement_5(demo_store, charter)
    facts = scrutiny.build(demo_store, charter, Q, public=True)
    five = next(s for s in facts.statements if s.number == 5)
    assert five.agreed.endswith(f"because {WHY}")
    assert agreed.beside(five.status, five.agreed).startswith("Computed: ")
    row = next(r for r in sections.statements(facts).rows if r[0] == "5")
    assert row[3] == five.agreed and WHY in row[3]  # the pack's table: with the reason
    other = next(r for r in sections.statements(facts).rows if r[0] == "1")
    assert other[3] == agreed.NOT_AGREED
    assert status in ("off_track", "at_risk")
