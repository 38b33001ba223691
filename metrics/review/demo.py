"""The demo council's previous quarter, reviewed and signed off: commentary for each exception,
an agreed status, and actions (two done, one on track, one overdue), so that the review of the
latest quarter has "actions agreed at the last meeting" to follow up. Fictional throughout."""

from __future__ import annotations

import re
from datetime import date, timedelta

from charter import Charter
from metrics.access.people import EVERY_ROLE, Actor
from metrics.periods import Period
from metrics.review import actions, agreed, commentary, cycle
from metrics.review.common import indicator_subject, statement_subject
from metrics.rollup import charter_status
from metrics.store import Store

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
         ["annual-reviews-on-time"], date(2026, 10, 31), "at risk", "One post re-advertised"),
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
