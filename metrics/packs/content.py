"""What a meeting pack says, for one quarter and one audience, as plain data: the HTML, PDF
and XLSX writers only lay it out, so the three always agree.

Audiences: `planning group` (internal: real figures, figures that would be withheld marked
"not for publication", commentary with its authors) and `scrutiny` (published: disclosure
control applied, members' questions and answers, questions they may want to ask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from charter import Charter
from metrics.access.people import Actor, require
from metrics.assess.rollup import Known, charter_statuses
from metrics.assess.trend import trends
from metrics.evidence import items as evidence_items
from metrics.packs import benchmarks, sections, shape
from metrics.packs.benchmarks import Views as BenchmarkViews
from metrics.packs.exception_item import ExceptionItem, exception_item
from metrics.packs.front import Front, front
from metrics.packs.needs_section import NeedsSection, needs_section
from metrics.packs.sections import Chart, Table
from metrics.partners.quality import quality as data_quality
from metrics.periods.text import parse_period
from metrics.publish import withheld
from metrics.publish.policy import (
    DisclosurePolicy,
    ReviewCells,
    audience_for,
)
from metrics.review import report
from metrics.review.common import SIGNED_OFF
from metrics.review.cycle import QuarterReview
from metrics.scrutiny import scorecard, view as scrutiny
from metrics.store.connection import Store

PLANNING_GROUP, SCRUTINY = "planning group", "scrutiny"
PACK_QUARTERS = 6  # the scorecard's quarters: as many as an A4 page's width reads
AUDIENCES = (PLANNING_GROUP, SCRUTINY)
AUDIENCE_WORDS = {
    PLANNING_GROUP: "For the disabled children's planning group. Internal: not for publication.",
    SCRUTINY: "For overview and scrutiny. For publication: small numbers are withheld.",
}


@dataclass
class Pack:
    council: str
    quarter: str
    audience: str
    state: str
    figures_as_at: datetime
    made_at: datetime
    contact: str
    rule: str  # the disclosure rule in words
    status_rule: str
    statements: Table
    exceptions: list[ExceptionItem]
    actions: Table
    indicators: Table
    quality: list[str]
    evidence: Table  # what families and front-line staff tell us
    figures: Table | None = None  # every measure's latest figure as numbers (spreadsheets)
    questions: Table | None = None  # members' questions and answers (scrutiny)
    suggested: list[str] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    scorecard: Table | None = None  # every measure's status over the last PACK_QUARTERS
    front: Front | None = None  # the key messages: the pack's first page
    benchmarks: Table | None = None  # how we compare with England, region, neighbours, all
    # each such measure over time, its focus chart and every council (benchmarks.py)
    benchmark_views: list[BenchmarkViews] = field(default_factory=list)
    all_councils: Table | None = None  # every measure's every council, for spreadsheets
    sections: tuple[str, ...] = shape.DEFAULT  # the chair's choice for the audience, in order
    needs: NeedsSection | None = None  # the needs baseline by locality (issue 33)

    @property
    def title(self) -> str:
        who = "Planning group" if self.audience == PLANNING_GROUP else "Overview and scrutiny"
        return f"{self.council}: disabled children's charter, {self.quarter}. {who} pack"

    @property
    def benchmark_charts(self) -> list[Chart]:
        return [v.over_time for v in self.benchmark_views]

    @property
    def public(self) -> bool:
        return self.audience == SCRUTINY


STATUS_RULE = (
    "Each measure with an aim is on track when its latest figure meets the aim, at risk when it "
    "is within a small margin of it, and off track otherwise. A measure with no aim is shown "
    "for information. A measure whose figure for the period due has not arrived has no recent "
    "data, and is never counted as on track. A statement is on track when at least {on:.0%} of "
    "its measures with an aim and a figure are on track and none is off track; off track when "
    "at least {off:.0%} are off track; otherwise at risk. A statement with no such measure is "
    "not evidenced. The planning group may agree a different status, with its reason; both are "
    "shown."
)


def figures_as_at(review: QuarterReview, now: datetime) -> datetime:
    """The sign-off time for a signed-off quarter (its figures are pinned), else `now`."""
    if review.state == SIGNED_OFF and review.signed_off_at:
        return review.signed_off_at
    return now


def status_rule(charter: Charter) -> str:
    rule = charter.council.rollup
    return STATUS_RULE.format(on=rule.on_track_share, off=rule.off_track_share)


def build(
    store: Store,
    charter: Charter,
    quarter: str,
    audience: str,
    reader: Actor,
    now: datetime | None = None,
    today: date | None = None,
) -> Pack:
    """The pack. A planning-group pack holds figures not for publication: staff only."""
    if audience not in AUDIENCES:
        raise ValueError(f"The audience is one of: {', '.join(AUDIENCES)} (not {audience!r}).")
    if audience == PLANNING_GROUP:
        require(reader, withheld.SEES_REAL_FIGURES, "make a planning-group pack")
    public = audience == SCRUTINY
    reading = audience_for(public)
    now = now or datetime.now()
    known = _statuses(store, charter, quarter)
    built = report.build(store, charter, quarter, today, known[parse_period(quarter).label])
    trust = data_quality(store, charter, quarter, today)
    policy = DisclosurePolicy.audited(store, charter)
    hidden = policy.figures_withheld()
    facts = scrutiny.build(store, charter, quarter, public, today, hidden, known)
    # agreed statuses and commentary touching a withheld figure are held back from the public
    built = policy.publish(ReviewCells(built), reading)
    review = built.review
    end = parse_period(review.quarter).end
    shown = [
        e
        for e in built.exceptions
        if not public or _published_status(facts, e.indicator_id) != withheld.WITHHELD_STATUS
    ]
    whole = trends(store, charter, [charter.indicators[e.indicator_id] for e in shown])
    pack = Pack(
        council=charter.council.name,
        quarter=review.quarter,
        audience=audience,
        state=review.state,
        figures_as_at=figures_as_at(review, now),
        made_at=now,
        contact=charter.council.contact,
        rule=policy.words,
        status_rule=status_rule(charter),
        statements=sections.statements(facts),
        exceptions=[
            exception_item(
                store,
                charter,
                built,
                e,
                whole[e.indicator_id],
                facts,
                policy,
                reading,
                trust.ratings[e.indicator_id].sentence(),
            )
            for e in shown
        ],
        actions=sections.actions(built.actions, charter, today),
        indicators=sections.indicators(facts, charter, hidden, public, built),
        quality=sections.quality(facts, built, hidden, public) + sections.returns(trust, charter),
        evidence=sections.evidence(
            evidence_items.recent(evidence_items.listed(store), end),
            charter,
            policy,
            reading,
            end,
        ),
        figures=sections.figures(built, charter, hidden, public),
        scorecard=sections.scorecard(
            scorecard.build(store, charter, quarter, PACK_QUARTERS, public, hidden, known),
            symbols=False,  # the word says it; a PDF's fonts need not carry the symbols
        ),
    )
    if public:
        pack.questions = sections.questions(facts, charter)
        pack.suggested = [q.text for q in facts.suggested]
    # as they stood at sign-off, once signed off: the pack that was signed off
    pinned = review.signed_off_at if review.state == SIGNED_OFF else None
    pack.front = front(store, review.quarter, facts, pinned)
    pack.needs = needs_section(store, charter, review.quarter, reading)
    unseen = {k: withheld.not_compared(v) for k, v in hidden.items()} if public else {}
    found = benchmarks.gathered(store, charter, review.quarter, unseen)
    pack.benchmarks = benchmarks.table(found)
    pack.benchmark_views = benchmarks.views(found, charter.council.name)
    pack.all_councils = benchmarks.all_councils_sheet(found)
    pack.sections = shape.sections_for(store, audience, pinned)
    return pack


def _statuses(store: Store, charter: Charter, quarter: str) -> Known:
    """Every statement's status at each quarter the pack shows (the report's, the scrutiny
    history's, the scorecard's), worked out once: they were worked out three times."""
    latest = parse_period(quarter)
    every = [latest.shift(-k) for k in range(scrutiny.HISTORY)]
    every += scorecard.quarters_to(quarter, PACK_QUARTERS)
    periods = list({p.label: p for p in every}.values())
    return dict(
        zip([p.label for p in periods], charter_statuses(store, charter, periods), strict=True)
    )


def _published_status(facts: scrutiny.Scrutiny, ind_id: str) -> str:
    """A public reader's status of an indicator: a withheld figure's is "withheld", and being
    among the exceptions (off track, at risk) would say what it is not, so it is left out."""
    return next((x.status for x in facts.lines if x.id == ind_id), "")
