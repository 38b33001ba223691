"""A self-evaluation draft for the area SEND inspection, assembled from everything the app
holds and organised by the inspection's themes (charter/inspection.yaml), each cross-
referenced to the charter statements that evidence it: per theme, the statements' statuses,
the measures with status, trend and data quality, the planning group's commentary, what
families and front-line staff tell us, the leaders' self-review answers that point to it, and
the actions. A closing section gives the whole leadership self-review.

It is internal (real figures, names of those who wrote commentary): staff only. The pack
engine lays it out as HTML, a tagged PDF and a spreadsheet, as for meeting packs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from charter import Charter
from metrics.access.people import Actor, require
from metrics.assess.status import IndicatorStatus
from metrics.evidence import items as evidence_items
from metrics.leadership import self_review
from metrics.packs import sections
from metrics.packs.content import figures_as_at, status_rule
from metrics.packs.needs_section import NeedsSection, needs_section
from metrics.packs.sections import Table
from metrics.partners.quality import quality as data_quality
from metrics.periods.text import parse_period
from metrics.publish import withheld
from metrics.publish.policy import STAFF, DisclosurePolicy
from metrics.review import actions as actions_mod, agreed, commentary, report
from metrics.review.commentary import Commentary
from metrics.review.common import indicator_subject, statement_subject, subject_title
from metrics.store.connection import Store
from metrics.words.narrative import DIRECTION_WORDS, STATUS_WORDS

AUDIENCE = (
    "Self-evaluation draft for the area SEND inspection. Internal: check it, and agree it with "
    "partners, before it is shared with inspectors."
)


@dataclass
class Theme:
    id: str
    title: str
    cross_reference: str  # "Charter statements 1. Knowing our population; 5. Timely ..."
    statements: Table
    indicators: Table
    commentary: Table
    evidence: Table
    self_review: Table
    actions: Table

    def tables(self) -> list[Table]:
        return [self.statements, self.indicators, self.commentary, self.evidence,
                self.self_review, self.actions]  # fmt: skip


@dataclass
class SelfEvaluation:
    council: str
    framework: str
    quarter: str
    state: str
    figures_as_at: datetime
    made_at: datetime
    contact: str
    status_rule: str
    review_point: str  # the self-review the answers come from
    themes: list[Theme]
    leadership: Table
    low: list[str]  # answers below "mostly confident" with no live action
    glossary: list[tuple[str, str]] = field(default_factory=list)
    audience: str = "self-evaluation"
    needs: NeedsSection | None = None  # the needs baseline by locality, where returned

    @property
    def title(self) -> str:
        return (
            f"{self.council}: self-evaluation for the area SEND inspection, draft ({self.quarter})"
        )


def latest_commentary(store: Store, quarter: str, back: int = 4) -> dict[str, Commentary]:
    """Each subject's commentary for `quarter`, else for the latest of the `back` quarters
    before it that has some: a draft written mid-quarter still says what the group last said."""
    out: dict[str, Commentary] = {}
    period = parse_period(quarter)
    for step in range(back + 1):
        for subject, c in commentary.current(store, period.shift(-step).label).items():
            out.setdefault(subject, c)
    return out


def written_for(c: Commentary, latest: IndicatorStatus | None) -> str:
    """The figure commentary was written for, marked when a newer or revised figure has
    replaced it (as the review marks it): a draft must not quote old words as current."""
    if not c.figure_shown or not c.figure_period:
        return ""
    then = f"{c.figure_shown} for {c.figure_period}"
    if latest is None or latest.period is None:
        return then
    now = commentary.Figure(latest.period, latest.value, latest.shown)
    if c.is_stale(now):
        return f"Written for an earlier figure: {then}, since revised to {latest.shown}."
    if latest.period != c.figure_period:
        return (
            f"Written for an earlier figure: {then}; the latest is {latest.shown} for "
            f"{latest.period}."
        )
    return f"{then} (the latest figure)"


def build(
    store: Store,
    charter: Charter,
    quarter: str,
    reader: Actor,
    now: datetime | None = None,
    today: date | None = None,
) -> SelfEvaluation:
    require(reader, withheld.SEES_REAL_FIGURES, "make a self-evaluation draft")
    now = now or datetime.now()
    built = report.build(store, charter, quarter, today=today)
    written = latest_commentary(store, built.review.quarter)
    trust = data_quality(store, charter, quarter, today)
    end = parse_period(built.review.quarter).end
    every_item = evidence_items.listed(store)
    recent = evidence_items.recent(every_item, end)
    headlines = {i.evidence_id: i.headline() for i in every_item}
    acts = {a.action_id: a for a in actions_mod.listed(store)}
    points = self_review.points(store)
    answered = self_review.answers(store)
    latest = points[-1] if points else None
    answers = answered.get(latest.held_on, {}) if latest else {}
    statuses = {s.number: s for s in built.statements}
    asked = set(charter.question_ids())  # answers to removed questions are left out
    policy = DisclosurePolicy(charter)  # a draft for staff: survey results as they are

    def words(a: self_review.Answer) -> str:
        titles = {n: x.title for n, x in acts.items()}
        said = [self_review.link_words(x, charter, headlines, titles) for x in a.links]
        return "; ".join(said) or "None given"

    themes = []
    for theme in charter.inspection:
        numbers = list(theme.statements)
        ids = list(dict.fromkeys(i.id for n in numbers for i in charter.indicators_for(n)))
        subjects = [indicator_subject(i) for i in ids] + [statement_subject(n) for n in numbers]
        inds = {i.id: i for n in numbers for i in statuses[n].indicators}
        items = [i for i in recent if set(i.statements) & set(numbers)]
        linked = {f"indicator:{i}" for i in ids} | {f"evidence:{i.evidence_id}" for i in items}
        open_acts = [
            a for a in acts.values()
            if a.status not in actions_mod.CLOSED
            and (a.statement in numbers or set(a.indicator_ids) & set(ids))
        ]  # fmt: skip
        linked |= {f"action:{a.action_id}" for a in open_acts}
        agreed_for = built.agreed
        themes.append(
            Theme(
                theme.id,
                theme.title,
                "Charter statements: "
                + "; ".join(f"{n}. {charter.statement(n).short_title}" for n in numbers),
                Table(
                    "The charter statements that evidence this theme",
                    ["Statement", "Status from the figures", "Agreed status", "Why"],
                    [
                        [
                            f"{n}. {statuses[n].short_title}",
                            STATUS_WORDS[statuses[n].status],
                            agreed.words_for(agreed_for.get(statement_subject(n))),
                            statuses[n].reason,
                        ]
                        for n in numbers
                    ],
                ),
                Table(
                    "Measures: status, latest figure, trend and data quality",
                    ["Measure", "Status", "Latest figure", "Trend", "Data quality"],
                    [
                        [
                            i.title,
                            STATUS_WORDS[i.status],
                            f"{i.shown} ({i.period})" if i.period else i.shown,
                            DIRECTION_WORDS[i.direction] if i.direction else "[x]",
                            trust.ratings[i.id].sentence() if i.id in trust.ratings else "[x]",
                        ]
                        for i in inds.values()
                    ],
                ),
                Table(
                    "The planning group's latest commentary on these statements and measures",
                    [
                        "About",
                        "Quarter",
                        "What is happening",
                        "Why",
                        "What happens next",
                        "Written",
                        "Figure it was written for",
                    ],
                    [
                        [
                            subject_title(charter, s),
                            c.quarter,
                            c.what,
                            c.why,
                            c.next,
                            f"{c.written_by}, {c.written_at.day} {c.written_at:%B %Y}",
                            written_for(c, inds.get(s.partition(":")[2])),
                        ]
                        for s in subjects
                        if (c := written.get(s)) is not None
                    ],
                ),
                sections.evidence(items, charter, policy, STAFF, end),
                Table(
                    "Leaders' self-review answers that point to this theme",
                    ["Question", "Confidence", "Evidence for it", "What we will do"],
                    [
                        [
                            charter.question(q),
                            self_review.CONFIDENCE_WORDS[a.confidence],
                            words(a),
                            a.will_do,
                        ]
                        for q, a in answers.items()
                        if set(a.links) & linked and q in asked
                    ],
                ),
                sections.actions(open_acts, charter, today),
            )
        )
    order = charter.question_ids()
    theme_of = {q.id: t.title for t in charter.self_review for q in t.every_question()}
    leadership = Table(
        "The leadership self-review: every question's latest answer",
        ["Question", "Theme", "Confidence", "Evidence for it", "What we will do", "Answered by"],
        [
            [charter.question(q), theme_of[q], self_review.CONFIDENCE_WORDS[ans.confidence],
             words(ans), ans.will_do, ans.answered_by]
            for q in order
            if (ans := answers.get(q)) is not None
        ],
    )  # fmt: skip
    low = [
        f"{self_review.CONFIDENCE_WORDS[a.confidence]}: {charter.question(a.question_id)} "
        f"(no action agreed; they will: {a.will_do})"
        for a in sorted(
            (a for a in self_review.low_without_action(store) if a.question_id in asked),
            key=lambda a: order.index(a.question_id),
        )
    ]
    review = built.review
    return SelfEvaluation(
        council=charter.council.name,
        framework=charter.framework,
        quarter=review.quarter,
        state=review.state,
        figures_as_at=figures_as_at(review, now),
        made_at=now,
        contact=charter.council.contact,
        status_rule=status_rule(charter),
        review_point=f"{latest.label} ({latest.state})" if latest else "No self-review yet",
        themes=themes,
        leadership=leadership,
        low=low,
        needs=needs_section(store, charter, review.quarter, STAFF),
    )
