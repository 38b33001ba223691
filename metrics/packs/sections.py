"""The tables and notes of a meeting pack, each from the review, the scrutiny facts and the
withheld figures: statements, actions, every measure (in words and as numbers), data-quality
notes and members' questions. metrics/packs/content.py puts them together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from charter import Charter, Indicator
from charter.models import UNIT_LABEL
from metrics.assess.target import Target, fmt_target_value
from metrics.dates import long_date
from metrics.evidence.items import EvidenceItem
from metrics.partners.quality import Quality
from metrics.publish import withheld
from metrics.publish.policy import (
    Audience,
    DisclosurePolicy,
    FigureCell,
    StatusCells,
    SurveyCells,
    audience_for,
)
from metrics.review import actions as actions_mod, report
from metrics.review.common import subject_title
from metrics.scrutiny import scorecard as scorecard_mod, view as scrutiny
from metrics.words.narrative import STATUS_WORDS


@dataclass
class Table:
    """A real table: a caption, header cells and rows of text (numbers already formatted)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    # A spreadsheet's values for columns whose words are written for reading (header -> one
    # value a row): statement numbers and aims as numbers, not text.
    sheet: dict[str, list[object]] = field(default_factory=dict)


@dataclass
class Chart:
    """A chart as an SVG document, its alt text and its table twin; its size in pixels."""

    svg: str
    alt: str
    table: Table
    width: int = 640
    height: int = 260


def statements(facts: scrutiny.Scrutiny) -> Table:
    return Table(
        "The 12 charter statements: status worked out from the figures, and as agreed",
        ["No.", "Statement", "Status", "Agreed by the planning group", "Lead figure", "Summary"],
        [
            [
                str(s.number),
                s.title,
                STATUS_WORDS[s.status],
                s.agreed,  # with its reason, as on every page
                s.headline,
                s.sentence,
            ]
            for s in facts.statements
        ],
        sheet={"No.": [s.number for s in facts.statements]},
    )


def actions(found: list[actions_mod.Action], charter: Charter, today: date | None) -> Table:
    open_ = [a for a in found if a.status not in actions_mod.CLOSED]
    return Table(
        "Actions not yet done, soonest due first",
        ["Action", "Owner", "Due", "Progress", "Overdue", "Latest note"],
        [
            [
                a.title,
                charter.owner_name(a.owner),
                long_date(a.due),
                a.state(today),  # "overdue (last reported on track)": one voice per row
                "Overdue" if a.overdue(today) else "No",
                a.note,
            ]
            for a in sorted(open_, key=lambda a: a.due)
        ],
    )


def indicators(
    facts: scrutiny.Scrutiny,
    charter: Charter,
    hidden: dict[str, withheld.Withheld],
    public: bool,
    built: report.Report,
) -> Table:
    rows, aims = [], []
    policy, audience = DisclosurePolicy(charter, hidden), audience_for(public)
    for x in facts.lines:
        ind = charter.indicators[x.id]
        status = next((i for s in built.statements for i in s.indicators if i.id == x.id), None)
        target = status.target if status is not None else Target.of(ind).value  # in force then
        aims.append(aim_value(ind, target))
        note = ""
        if not public:
            assessed = next(
                (i for s in built.statements for i in s.indicators if i.id == x.id), None
            )
            marker = policy.publish(
                FigureCell(x.id, (assessed.period if assessed else "") or ""), audience
            )
            note = marker.note(audience) if marker else ""
        rows.append(
            [
                str(x.statement),
                x.title,
                STATUS_WORDS[x.status],
                x.figure,
                fmt_target_value(ind, target) if target is not None else "None set",
                x.change or "[x]",
                x.compare or "[x]",
                note or "",
            ]
        )
    headers = ["Statement", "Measure", "Status", "Latest figure", "Aim", "Change", "Compared"]
    sheet: dict[str, list[object]] = {
        "Statement": [x.statement for x in facts.lines],
        "Aim": aims,
    }
    if public:
        return Table("Every measure", headers, [r[:-1] for r in rows], sheet)
    return Table("Every measure", [*headers, "Publication"], rows, sheet)


def aim_value(ind: Indicator, target: float | None) -> object:
    """An aim for a spreadsheet: the number in force for the period (targets may change by
    year), in the measure's unit; [z] when there is none."""
    return target if target is not None and Target.of(ind).has_better_side else "[z]"


def unit_words(ind: Indicator) -> str:
    """A unit as a reader says it ("per 10,000"), never our code ("rate_per_10000")."""
    return {"percent": "per cent"}.get(ind.unit, UNIT_LABEL[ind.unit] or "count")


def figures(
    built: report.Report, charter: Charter, hidden: dict[str, withheld.Withheld], public: bool
) -> Table:
    """The latest figures as numbers, for a spreadsheet: a withheld one is [c], a missing one
    [x], an aim not set [z]. Cells are numbers or shorthand; the writer keeps numbers as such."""
    policy, audience = DisclosurePolicy(charter, hidden), audience_for(public)
    statements = policy.publish(StatusCells(built.statements), audience)
    rows: list[list[object]] = []
    seen: set[str] = set()
    for s in statements:
        for i in s.indicators:
            if i.id in seen:
                continue
            seen.add(i.id)
            ind = charter.indicators[i.id]
            marker = policy.publish(FigureCell(i.id, i.period or ""), audience)
            value: object = i.value if i.value is not None else f"[{i.symbol or 'x'}]"
            rows.append([
                s.number, ind.title, i.period or i.due, value, unit_words(ind),
                aim_value(ind, i.target),
                STATUS_WORDS[i.status],
                marker.note(audience) if marker else "",
            ])  # fmt: skip
    headers = ["Statement", "Measure", "Period", "Value", "Unit", "Aim", "Status", "Publication"]
    if public:
        return Table("Latest figure of every measure", headers[:-1], [r[:-1] for r in rows])  # type: ignore[misc]
    return Table("Latest figure of every measure", headers, rows)  # type: ignore[arg-type]


def returns(trust: Quality, charter: Charter) -> list[str]:
    """Partners' returns for the quarter, and the measures whose figures are in doubt."""
    notes = []
    for key, c in trust.by_provider().items():
        notes.append(
            f"{charter.providers[key].name}: {c['received']} of {c['expected']} returns "
            f"received, {c['late']} late, {c['overdue']} overdue."
        )
    for rating in ("poor", "some concerns"):
        named = [
            f"{charter.indicators[i].title} ({'; '.join(g.reasons)})"
            for i, g in trust.ratings.items()
            if g.rating == rating
        ]
        if named:
            notes.append(f"Data quality {rating}: {'; '.join(named)}.")
    return notes


def quality(
    facts: scrutiny.Scrutiny,
    built: report.Report,
    hidden: dict[str, withheld.Withheld],
    public: bool,
) -> list[str]:
    notes = []
    assessed = {i.id: i for s in built.statements for i in s.indicators}
    late = [x.title for x in facts.lines if x.status == "no_recent_data"]
    if late:
        notes.append(f"No up-to-date figure for {len(late)} measures: {', '.join(late)}.")
    provisional = [assessed[x.id].title for x in facts.lines if assessed[x.id].provisional]
    if provisional:
        notes.append(f"Provisional figures, which may change: {', '.join(provisional)}.")
    revised = [assessed[x.id].title for x in facts.lines if assessed[x.id].revised]
    if revised:
        notes.append(f"Figures revised since first reported: {', '.join(revised)}.")
    if built.revised:
        notes.append(
            f"{len(built.revised)} figures or their statuses have changed since the quarter "
            "was signed off; the pack shows them as they stand now."
        )
    count = sum(len(v) for v in hidden.values())
    if count:
        if public:
            notes.append(
                f"{count} figures (totals and groups, over all periods) are withheld as [c] to "
                "protect children's privacy."
            )
        else:
            notes.append(
                f"{count} figures (totals and groups, over all periods) would be withheld "
                "from a published pack; this pack shows them, marked not for publication."
            )
    return notes


def questions(facts: scrutiny.Scrutiny, charter: Charter) -> Table:
    return Table(
        "Members' questions from this quarter and the last, with the answers",
        ["No.", "About", "Question", "Asked by", "Answers and follow-ups"],
        [
            [
                str(q.question_id),
                subject_title(charter, q.subject),
                q.question,
                f"{q.asked_by}, {long_date(q.asked_at)}",
                " ".join(
                    f"{r.kind.capitalize()} ({r.written_by}, {long_date(r.written_at)}): {r.text}"
                    for r in q.replies
                )
                or "Not yet answered",
            ]
            for q in facts.asked
        ],
    )


def evidence(
    items: list[EvidenceItem],
    charter: Charter,
    policy: DisclosurePolicy,
    audience: Audience,
    end: date,
) -> Table:
    """Evidence items from the year to `end`, newest first, each survey result as the policy
    publishes it ([c] where too few answered, for a published pack)."""
    rows = []
    for item in items:
        survey = "[z]"
        if item.survey is not None:
            [shown] = policy.publish(SurveyCells([item.survey]), audience)
            survey = shown.cell(item.survey.question)
        statements = "; ".join(f"{n}. {charter.statement(n).short_title}" for n in item.statements)
        when = f"{item.evidence_date.day} {item.evidence_date:%B %Y}"
        rows.append([when, item.kind_name, statements, item.source, item.summary, survey])
    return Table(
        f"What families and front-line staff tell us: evidence in the year to {long_date(end)}",
        ["Date", "Kind", "Statements", "Source", "What we heard", "Survey result"],
        rows,
    )


def scorecard(card: scorecard_mod.Scorecard, symbols: bool = True) -> Table:
    """Every measure's status over the last quarters, what needs attention first: each cell
    its status and the figure it was judged on (with its symbol unless `symbols` is False:
    a printed pack says the word, and its fonts need not carry the symbols)."""
    rows = scorecard_mod.table_rows(card, symbols)
    headers = scorecard_mod.columns(card)
    first, last = card.quarters[0], card.quarters[-1]
    return Table(
        f"Scorecard: every measure's status, {first} to {last}, what needs attention first",
        headers,
        [[row.get(h, "") for h in headers] for row in rows],
    )
