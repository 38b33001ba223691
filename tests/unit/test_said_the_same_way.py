"""Say it once, the same way (issue 27 items 15-17): the agreed status goes with its reason
and the computed status wherever a statement's status appears; the scrutiny card leads with
the most pressing measure; plain English never contradicts itself."""

from __future__ import annotations

from dataclasses import replace

from metrics.access import CHAIR, MEMBER, Actor
from metrics.period_text import parse_period
from metrics.publish import scrutiny
from metrics.publish.pack import sections
from metrics.review import agreed
from metrics.review.common import statement_subject
from metrics.rollup import charter_status

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


def test_the_lead_figure_is_the_most_pressing_measure(demo_store, charter):
    facts_now = charter_status(demo_store, charter, parse_period(Q))
    s = next(s for s in facts_now if len([i for i in s.indicators if i.value is not None]) >= 2)
    first, second = [i for i in s.indicators if i.value is not None][:2]
    calm = replace(first, status="on_track", direction="improving")
    worst = replace(second, status="off_track", direction="worsening")
    others = [i for i in s.indicators if i.id not in (first.id, second.id)]
    others = [replace(i, status="no_target") for i in others]
    statement = replace(s, indicators=[calm, worst, *others])
    assert scrutiny.most_pressing(statement).id == second.id  # not the charter's first
    assert scrutiny._headline(statement).startswith(f"{second.title}: ")
    at_risk = replace(worst, status="at_risk")
    getting_worse = replace(calm, status="at_risk", direction="worsening")
    tied = replace(s, indicators=[replace(at_risk, direction="improving"), getting_worse])
    assert scrutiny.most_pressing(tied).id == first.id  # equally short: the worsening one
