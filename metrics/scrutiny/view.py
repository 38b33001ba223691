"""The scrutiny view's facts, in plain English: how the council is doing against the charter,
what has got better or worse and for how long, how it compares, what is being done, and
questions members may want to ask, generated from those facts. What the Scrutiny page and
the scrutiny pack both read. Disclosure control is applied (`public=True`) for councillors
and anything published."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from charter import Charter, Indicator
from metrics.assess.rollup import StatementStatus, charter_statuses
from metrics.assess.status import IndicatorStatus
from metrics.dates import long_date
from metrics.periods.text import parse_period
from metrics.publish import plain, withheld
from metrics.publish.policy import DisclosurePolicy, HeldBackCells, StatusCells, audience_for
from metrics.review import actions as actions_mod, agreed
from metrics.review.common import indicator_subject, statement_subject
from metrics.scrutiny import questions
from metrics.store.connection import Store
from metrics.words.narrative import PERIOD_WORDS, STATUS_WORDS, fmt_value

HISTORY = 8  # quarters looked back over for "for how long"
MOST_QUESTIONS = 12  # a committee takes a handful; the most pressing first
PROBLEMS = ("off_track", "at_risk")
ASSESSED = ("on_track", "at_risk", "off_track")


@dataclass
class Line:
    """One indicator, in plain English."""

    id: str
    title: str
    statement: int
    status: str
    figure: str  # "78.8% in 2026-27 Q2; the aim is 85% or more."
    change: str  # "Worse than the quarter before (80.1%)."
    real_change: str  # "The figures show a real change for the worse, not chance."
    compare: str  # "Worse than England (85.0%); 120th best of 150 councils."
    status_for: int  # periods in a row with this status
    moving_for: int  # periods in a row moving the same way (0: not moving)
    since_records: bool  # the run goes back as far as the quarters looked at
    direction: str | None
    period_word: str  # quarter, year, term
    owner: str
    worse_than_england: bool
    actions: list[actions_mod.Action] = field(default_factory=list)
    # open actions on its sister measures (actions_mod.sister_indicators): (sister, action)
    on_sisters: list[tuple[str, actions_mod.Action]] = field(default_factory=list)

    def how_long(self) -> str:
        """ "Off track for at least 8 quarters in a row"; nothing for an unassessed status."""
        if self.status not in ASSESSED:
            return ""
        n, unit = self.status_for, self.period_word
        status = STATUS_WORDS[self.status]
        if n <= 1:
            return f"{status} this {unit}."
        least = "at least " if self.since_records else ""
        return f"{status} for {least}{n} {unit}s in a row."

    def moving(self) -> str:
        n, unit = self.moving_for, self.period_word
        return f"for {n} {unit}s in a row" if n > 1 else f"this {unit}"


@dataclass
class StatementLine:
    number: int
    title: str
    status: str
    agreed_status: str | None
    agreed: str  # "Off track, because ...": the agreed status and why, or "Not separately agreed"
    headline: str  # the statement's lead figure: "EHC plans issued within 20 weeks: 78.8%"
    sentence: str
    held_back: bool = False  # `agreed` says why it is not published (public readers)


@dataclass
class Suggested:
    subject: str
    text: str


@dataclass
class Scrutiny:
    quarter: str
    council: str
    statements: list[StatementLine]
    lines: list[Line]
    open_actions: list[actions_mod.Action]
    suggested: list[Suggested]
    asked: list[questions.Question]

    @property
    def better(self) -> list[Line]:
        return [x for x in self.lines if x.direction == "improving"]

    @property
    def worse(self) -> list[Line]:
        return [x for x in self.lines if x.direction == "worsening"]


def _runs(history: list[IndicatorStatus], key: str) -> tuple[int, bool]:
    """How many distinct periods in a row, latest first, share the latest one's `key`, and
    whether the run reaches back to the earliest quarter looked at."""
    if not history or history[0].period is None:
        return 0, False
    seen: list[str] = []
    want = getattr(history[0], key)
    for i in history:
        if i.period is None or getattr(i, key) != want:
            return len(seen), False
        if i.period not in seen:
            seen.append(i.period)
    return len(seen), True


def _history(
    store: Store,
    charter: Charter,
    quarter: str,
    public: bool,
    hidden: dict[str, withheld.Withheld] | None,
) -> list[list[StatementStatus]]:
    """Statuses at `quarter` and the quarters before it, latest first."""
    if public and hidden is None:
        hidden = DisclosurePolicy.audited(store, charter).figures_withheld()
    latest = parse_period(quarter)
    found = charter_statuses(store, charter, [latest.shift(-k) for k in range(HISTORY)])
    policy, audience = DisclosurePolicy(charter, hidden or {}), audience_for(public)
    return [policy.publish(StatusCells(f), audience) for f in found]


def _line(
    charter: Charter,
    ind: Indicator,
    number: int,
    history: list[IndicatorStatus],
    open_actions: list[actions_mod.Action],
) -> Line:
    i = history[0]
    previous = (
        fmt_value(i.value - i.change, ind) if i.value is not None and i.change is not None else None
    )
    status_for, since_records = _runs(history, "status")
    direction = plain.moved(ind, i)  # a trivial move is not called better or worse
    moving_for = _runs(history, "direction")[0] if direction in ("improving", "worsening") else 0
    sisters = actions_mod.sister_indicators(charter, ind.id)
    return Line(
        ind.id,
        ind.title,
        number,
        i.status,
        plain.figure_sentence(ind, i),
        plain.change_sentence(ind, i, previous),
        plain.real_change(i),
        plain.compare_sentence(ind, i.benchmark, i.value),
        status_for,
        moving_for,
        since_records,
        direction,
        PERIOD_WORDS[ind.frequency],
        charter.owner_name(ind.owner),
        plain.worse_than_england(i.benchmark),
        [a for a in open_actions if ind.id in a.indicator_ids],
        [
            (charter.indicators[s].title, a) for a in open_actions for s in sisters
            if s in a.indicator_ids and ind.id not in a.indicator_ids
        ],
    )  # fmt: skip


def build(
    store: Store,
    charter: Charter,
    quarter: str,
    public: bool = True,
    today: date | None = None,
    hidden: dict[str, withheld.Withheld] | None = None,
) -> Scrutiny:
    """The quarter in plain English; `hidden`, the figures disclosure control withholds, when
    they are already known (a public reader's view withholds them)."""
    if public and hidden is None:
        hidden = DisclosurePolicy.audited(store, charter).figures_withheld()
    history = _history(store, charter, quarter, public, hidden)
    now = history[0]
    held = DisclosurePolicy(charter, hidden or {}).publish(HeldBackCells(now), audience_for(public))
    open_actions = [
        a for a in actions_mod.listed(store, today=today) if a.status not in actions_mod.CLOSED
    ]
    agreed_now = agreed.current(store, quarter)
    lines: dict[str, Line] = {}  # an indicator serving two statements is one line
    statements = []
    for s_index, s in enumerate(now):
        for i_index, i in enumerate(s.indicators):
            if i.id in lines:
                continue
            past = [h[s_index].indicators[i_index] for h in history]
            lines[i.id] = _line(charter, charter.indicators[i.id], s.number, past, open_actions)
        subject = statement_subject(s.number)
        a = None if subject in held else agreed_now.get(subject)
        statements.append(
            StatementLine(
                s.number,
                s.short_title,
                s.status,
                a.status if a else None,
                held.get(subject) or agreed.words_for(a),
                _headline(s),
                _statement_sentence(s),
                subject in held,
            )
        )
    return Scrutiny(
        quarter,
        charter.council.name,
        statements,
        list(lines.values()),
        open_actions,
        suggest(list(lines.values()), statements, open_actions, today),
        questions.for_pack(store, quarter),
    )


# How pressing a measure is, most pressing first: furthest from its aim, then getting worse.
PRESSING = {"off_track": 0, "at_risk": 1, "on_track": 2}
WORSE_FIRST = {"worsening": 0}


def most_pressing(s: StatementStatus) -> IndicatorStatus | None:
    """The statement's most pressing measure with a figure: off track before at risk before
    on track, getting worse before not, then the charter's order; a measure with no aim
    (or no up-to-date figure) only when none has one."""
    shown = [i for i in s.indicators if i.shown not in ("–", "")]
    if not shown:
        return None
    order = {i.id: k for k, i in enumerate(shown)}
    return min(
        shown,
        key=lambda i: (
            PRESSING.get(i.status, len(PRESSING)),
            WORSE_FIRST.get(i.direction or "", 1),
            order[i.id],
        ),
    )


def _headline(s: StatementStatus) -> str:
    """The statement's lead figure: its most pressing measure."""
    lead = most_pressing(s)
    if lead is None:
        return "No figures yet"
    return f"{lead.title}: {lead.shown} ({lead.period})"


def _statement_sentence(s: StatementStatus) -> str:
    assessed = [i for i in s.indicators if i.status in ("on_track", "at_risk", "off_track")]
    if not assessed:
        return "There are not yet enough up-to-date figures with an aim to judge this."
    met, n = sum(i.status == "on_track" for i in assessed), len(assessed)
    return f"{met} of {n} measure{'s' if n != 1 else ''} with an aim met it."


def suggest(
    lines: list[Line],
    statements: list[StatementLine],
    open_actions: list[actions_mod.Action],
    today: date | None = None,
) -> list[Suggested]:
    """Questions members may want to ask, from the facts: the most pressing first, one per
    indicator, statement or action, at most MOST_QUESTIONS."""
    found: list[tuple[int, Suggested]] = []

    def ask(priority: int, subject: str, text: str) -> None:
        found.append((priority, Suggested(subject, text)))

    for x in lines:
        subject = indicator_subject(x.id)
        long = f"{'at least ' if x.since_records else ''}{x.status_for} {x.period_word}s"
        if x.status == "off_track" and x.status_for > 1 and x.worse_than_england:
            ask(
                0,
                subject,
                f"{x.title} has been off track for {long} and is worse than "
                "England: what is stopping improvement, and when will the actions show?",
            )
        if x.status == "off_track" and x.status_for > 1:
            ask(
                2,
                subject,
                f"{x.title} has been off track for {long}: what is stopping "
                "improvement, and when should we expect it to meet its aim?",
            )
        if x.status in PROBLEMS and not x.actions and x.on_sisters:
            sister, a = x.on_sisters[0]
            ask(
                3,
                subject,
                f"{x.title} is {STATUS_WORDS[x.status].lower()}; the open action bearing on "
                f"it is on {sister} (\u201c{a.title}\u201d): will that improve this too, "
                "and by when?",
            )
        elif x.status in PROBLEMS and not x.actions:
            ask(
                3,
                subject,
                f"{x.title} is {STATUS_WORDS[x.status].lower()} and no open "
                f"action is recorded against it: who is responsible for improving it "
                f"({x.owner}), and by when?",
            )
        if x.direction == "worsening" and x.moving_for > 2:
            ask(
                4,
                subject,
                f"{x.title} has got worse for {x.moving_for} {x.period_word}s "
                "in a row: what has changed, and what is being done about it?",
            )
        if x.status == "off_track":
            ask(
                5,
                subject,
                f"{x.title} is off track this {x.period_word}: is this a blip or "
                "the start of a decline, and how will we know?",
            )
        if x.status == "no_recent_data":
            ask(
                6,
                subject,
                f"{x.title} has no up-to-date figure: who supplies it, and when "
                "will it be available?",
            )
    for a in open_actions:
        if a.overdue(today):
            ask(
                1,
                f"action:{a.action_id}",
                f"The action \u201c{a.title}\u201d was due on "
                f"{long_date(a.due)} and is not done: what is in the way, and what is the new "
                "date?",
            )
    for s in statements:
        if s.status == "not_evidenced":
            ask(
                6,
                statement_subject(s.number),
                f"How do we know how we are doing on "
                f"\u201c{s.title}\u201d when there are not enough figures to judge it, and "
                "what do families tell us?",
            )
    out, asked = [], set()
    for _, q in sorted(found, key=lambda f: f[0]):  # stable: charter order within a priority
        if q.subject not in asked:
            asked.add(q.subject)
            out.append(q)
    return out[:MOST_QUESTIONS]
