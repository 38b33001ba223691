"""The demo council's previous quarter, reviewed and signed off: commentary for each exception,
an agreed status, and actions (two done, one on track, one overdue), so that the review of the
latest quarter has "actions agreed at the last meeting" to follow up. Fictional throughout."""

from __future__ import annotations

import re
from datetime import date, timedelta

from charter import Charter
from metrics.access.people import EVERY_ROLE, Actor
from metrics.assess.rollup import charter_status
from metrics.leadership import self_review
from metrics.periods.model import Period
from metrics.review import actions, agreed, commentary, cycle
from metrics.review.common import indicator_subject, statement_subject
from metrics.store.connection import Store

CHAIR = Actor("demo-chair", "Chris Chair (demo)", "", "cli", EVERY_ROLE)
MEMBER = Actor("demo-member", "Sam Member (demo)", "", "cli", EVERY_ROLE)

# Why an indicator was an exception, as its owner might have said at the meeting.
CAUSES = {
    "autism-assessment-median-wait": (
        "Referrals rose by a third after the schools' awareness campaign.",
        "Commission a second assessment provider; triage referrals weekly.",
    ),
    "annual-reviews-on-time": (
        "Two SEND caseworker posts were vacant over the summer.",
        "Agency caseworkers from October; a weekly list of reviews falling due.",
    ),
    "planning-group-pcf-representation": (  # a small number, on purpose (issue 26)
        "Three parent carers stepped down from the group over the summer.",
        "The forum is recruiting; two new members join in October.",
    ),
    "short-breaks-satisfaction": (
        "Families told the forum that holiday schemes filled within a day.",
        "Add two holiday-scheme places per locality and open booking earlier.",
    ),
}
GENERIC = (
    "The team is looking into the change with the provider.",
    "Report back at the next meeting with the provider's explanation.",
)


def seed_previous_quarter(store: Store, charter: Charter, latest: Period) -> None:
    quarter = latest.previous()
    meeting = quarter.end + timedelta(days=56)  # eight weeks on: the returns are in
    statuses = charter_status(store, charter, quarter)
    q = quarter.label
    for i in cycle.exceptions(statuses):
        why, next_ = CAUSES.get(i.id, GENERIC)
        what = re.split(r"(?<=[.!?])\s+", i.reason)[0]  # its first sentence
        figure = commentary.Figure(i.period, i.value, i.shown)
        subject = indicator_subject(i.id)
        commentary.save(
            store, charter, MEMBER, q, subject, (what, why, next_), based_on=0, figure=figure
        )
    at_risk = next((s for s in statuses if s.status == "at_risk"), None)
    if at_risk is not None:
        agreed.agree(
            store, charter, CHAIR, q, statement_subject(at_risk.number), "off_track",
            at_risk.status,
            "the parent carer forum's survey shows families waiting longer than the figures say",
        )  # fmt: skip
    plans = [
        ("Commission a second autism assessment provider", "designated-clinical-officer",
         ["autism-assessment-median-wait"], date(2027, 1, 31), "on track", "Tender issued"),
        ("Fill the two vacant SEND caseworker posts", "head-of-send",
         ["annual-reviews-on-time"], date(2026, 10, 23), "at risk", "One post re-advertised"),
        ("Open holiday-scheme booking four weeks earlier", "short-breaks-commissioner",
         ["short-breaks-satisfaction"], date(2026, 10, 15), "done", "Booking opened 1 October"),
        ("Publish the short breaks statement on the Local Offer", "local-offer-officer",
         ["local-offer-visits"], date(2026, 10, 1), "done", "Published 28 September"),
    ]  # fmt: skip
    for title, owner, links, due, status, note in plans:
        ident = actions.add(
            store, charter, MEMBER, title=title, owner=owner, due=due, quarter=q,
            indicators=links, today=meeting,
        )  # fmt: skip
        actions.update(store, MEMBER, ident, status, note)
    cycle.set_meeting(store, CHAIR, q, meeting)
    for state in ("commentary drafted", "circulated", "discussed", "signed off"):
        cycle.move(store, charter, CHAIR, q, state)


# The leaders' answers at two review points six months apart: (confidence in March, in
# September, what they will do in September). Confidence rises where work was done and falls
# on elected members after May's elections brought a new lead member.
SELF_REVIEW = {
    "evidence-from-stakeholders": ("partly", "mostly",
        "Keep the forum's surveys twice a year and add a young people's survey."),
    "data-to-plan": ("partly", "partly",
        "Match the disabled children's register with health records by March."),
    "outcomes-not-activity": ("not", "partly",
        "Report outcome measures, not activity counts, to the planning group."),
    "acting-on-performance": ("partly", "mostly",
        "Keep exceptions on every agenda until they are back on track."),
    "key-players": ("partly", "mostly", "Map who can unblock each off-track statement."),
    "front-line": ("partly", "mostly", "Each leader visits one front-line team a quarter."),
    "partners": ("partly", "partly",
        "Ask the ICB to co-own the autism and therapy measures at the next board."),
    "voluntary-sector": ("mostly", "fully", "Keep the forum co-chairing the planning group."),
    "political-figures": ("mostly", "partly",
        "Brief the new lead member and offer scrutiny members a front-line visit."),
    "shared-vision": ("partly", "mostly", "Refresh the joint commissioning strategy."),
}  # fmt: skip
SPRING, AUTUMN = date(2026, 3, 31), date(2026, 9, 30)


def seed_self_review(store: Store, charter: Charter, evidence: dict[str, int]) -> None:
    """Two review points six months apart: the first signed off, the second answered and
    still open (the chair signs it off at the meeting)."""
    autism = evidence["Director's visit to the autism assessment team"]
    links = {
        "evidence-from-stakeholders": [
            f"evidence:{evidence['Parent carer forum mid-year survey 2026']}",
            f"evidence:{evidence['Young people' + chr(39) + 's SEND forum']}",
        ],
        "front-line": [f"evidence:{autism}", "indicator:autism-assessment-median-wait"],
        "partners": ["indicator:speech-therapy-median-wait", "action:1"],
        "outcomes-not-activity": ["indicator:short-breaks-satisfaction"],
    }
    for when in (SPRING, AUTUMN):
        cycle_point = when == SPRING
        self_review.open_point(store, CHAIR, when)
        for question, (spring, autumn, will_do) in SELF_REVIEW.items():
            confidence = spring if cycle_point else autumn
            said = "Agree the measures with partners." if cycle_point else will_do
            self_review.answer(
                store, charter, MEMBER, when, question, confidence,
                [] if cycle_point else links.get(question, []), said,
            )  # fmt: skip
        if cycle_point:
            self_review.sign_off(store, charter, CHAIR, when)
