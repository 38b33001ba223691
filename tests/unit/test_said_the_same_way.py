"""Say it once, the same way (issue 27 items 15-17): the agreed status goes with its reason
and the computed status wherever a statement's status appears; the scrutiny card leads with
the most pressing measure; plain English never contradicts itself."""

from __future__ import annotations

from dataclasses import replace

from metrics.access import CHAIR, MEMBER, Actor
from metrics.assess.benchmark import Benchmark
from metrics.assess.rollup import charter_status
from metrics.packs import sections
from metrics.periods.text import parse_period
from metrics.publish import plain
from metrics.review import actions, agreed
from metrics.review.common import statement_subject
from metrics.scrutiny import view as scrutiny

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


def test_an_overdue_action_is_not_also_said_to_be_on_track(demo_store):
    late = next(a for a in actions.listed(demo_store) if a.overdue())
    assert late.status == "at risk"  # the demo's: reported at risk, past its date
    assert late.state() == "overdue (last reported at risk)"
    on_time = replace(late, due=late.due.replace(year=late.due.year + 5))
    assert on_time.state() == "at risk"
    assert replace(late, status="not started").state() == "overdue and not started"
    assert replace(late, status="done").state() == "done"  # done is never overdue


def test_trivial_moves_are_about_the_same_not_better_or_worse(demo_store, charter):
    wait = charter.indicators["autism-assessment-median-wait"]
    assert plain.trivial(wait, 52.6, 52.7)  # 0.2% of 52.7: the example in the issue
    assert not plain.trivial(charter.indicators["consultation-participation"], 59, 58)
    facts = scrutiny.build(demo_store, charter, Q, public=False)
    line = next(x for x in facts.lines if x.id == wait.id)
    assert line.change == "About the same as the quarter before (52.7 weeks)."
    better = {x.id for x in facts.better}
    worse = {x.id for x in facts.worse}
    assert wait.id not in better  # 52.7 -> 52.6 weeks against an aim of 18
    assert {"annual-reviews-on-time", "ehcp-mainstream", "autism-assessment-waiting"}.isdisjoint(
        worse
    )  # 73.4 -> 73.1%, 40.4 -> 40.3%, 314 -> 316: under 1% each
    assert {"consultation-participation", "ehcp-issued-20-weeks"} <= better  # real moves


def test_a_rate_compared_with_england_gets_a_verdict_read_the_right_way(demo_store, charter):
    facts = scrutiny.build(demo_store, charter, Q, public=False)
    rate = next(x for x in facts.lines if x.id == "suspensions-sen-rate")
    assert rate.figure.startswith("33.5 per 1,000")  # lower is better
    assert rate.compare.startswith(
        "Higher than England (31.5 per 1,000), which is worse (lower is better)"
    )
    ind = charter.indicators["suspensions-sen-rate"]
    b = Benchmark(england=31.5)
    assert plain.against_england(ind, b, 30.0).startswith("lower than England (31.5 per 1,000)")
    assert "which is better" in plain.against_england(ind, b, 30.0)
    assert plain.against_england(ind, b, 31.6) == "about the same as England (31.5 per 1,000)"
    assert "England: 31.5" not in " ".join(x.compare for x in facts.lines)


def test_an_action_on_a_sister_measure_is_not_called_no_open_action(demo_store, charter):
    assert "autism-assessment-median-wait" in actions.sister_indicators(
        charter, "autism-assessment-waiting"
    )
    facts = scrutiny.build(demo_store, charter, Q, public=False)
    about = [q.text for q in facts.suggested if q.subject == "indicator:autism-assessment-waiting"]
    assert about and "no open action" not in about[0]
    assert "Commission a second autism assessment provider" in about[0]
    others = [q.text for q in facts.suggested if "no open action" in q.text]
    assert others  # indicators with no action anywhere near are still asked about


def test_the_staff_reason_reads_a_rate_against_england_the_right_way(demo_store, charter):
    found = charter_status(demo_store, charter, parse_period(Q))
    rate = next(i for s in found for i in s.indicators if i.id == "suspensions-sen-rate")
    assert "Higher than England (31.5 per 1,000), which is worse (lower is better)" in rate.reason
    assert "England 31.5" not in rate.reason
