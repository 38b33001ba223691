"""The scrutiny view's facts, in plain English: how the council is doing against the charter,
what has got better or worse and for how long, how it compares, what is being done, and
questions members may want to ask, generated from those facts. What the Scrutiny page and
the scrutiny pack both read. Disclosure control is applied (`public=True`) for councillors
and anything published."""

from dataclasses import dataclass
from datetime import date

from charter import Charter, Indicator
from metrics.assess.rollup import Known, StatementStatus, charter_statuses
from metrics.assess.status import IndicatorStatus
from metrics.periods.text import parse_period
from metrics.publish import plain, withheld
from metrics.publish.policy import DisclosurePolicy, HeldBackCells, StatusCells, audience_for
from metrics.review import actions as actions_mod, agreed
from metrics.review.common import statement_subject
from metrics.scrutiny import questions
from metrics.scrutiny.lines import Line, StatementLine
from metrics.scrutiny.suggestions import Suggested, suggest
from metrics.store.connection import Store
from metrics.words.narrative import PERIOD_WORDS, fmt_value

HISTORY = 8  # quarters looked back over for "for how long"


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
    known: Known | None = None,
) -> list[list[StatementStatus]]:
    """Statuses at `quarter` and the quarters before it, latest first."""
    if public and hidden is None:
        hidden = DisclosurePolicy.audited(store, charter).figures_withheld()
    latest = parse_period(quarter)
    found = charter_statuses(store, charter, [latest.shift(-k) for k in range(HISTORY)], known)
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
    known: Known | None = None,
) -> Scrutiny:
    """The quarter in plain English; `hidden`, the figures disclosure control withholds, when
    they are already known (a public reader's view withholds them); `known`, the statuses
    when already worked out (`rollup.charter_statuses`)."""
    if public and hidden is None:
        hidden = DisclosurePolicy.audited(store, charter).figures_withheld()
    history = _history(store, charter, quarter, public, hidden, known)
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
