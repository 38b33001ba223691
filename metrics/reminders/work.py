"""Who owes what (issue 30): every open piece of work, assigned to a person with a due date.

- the story behind each exception of the latest quarter that has ended: its indicator's
  owner (owners.yaml), due `commentary.due_working_days` after the quarter;
- each open action: its owner, due when the planning group agreed;
- each unanswered councillor's question: the officer assigned (the chair until one is), due
  `questions.remind_after_working_days` after it was asked (or last followed up);
- each provider's return not yet received: the provider's contact (providers.yaml), due
  `due_working_days` after its period ends.

An item's words carry no figure and nothing a person typed (an action's title, a question's
text may name a child or a family): its page, linked, says the rest to whoever may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from charter import Charter
from charter.reminders import Reminders
from metrics.assess.rollup import charter_status
from metrics.dates import long_date
from metrics.partners.due import expected
from metrics.periods.model import Period, PeriodKind, latest_ended
from metrics.reminders import links, schedule
from metrics.review import actions, commentary, cycle
from metrics.review.common import SIGNED_OFF, indicator_subject, subject_title
from metrics.scrutiny import questions
from metrics.store import partners as partner_store, scrutiny as question_store
from metrics.store.connection import Store

COMMENTARY, ACTION, QUESTION, RETURN = "commentary", "action", "question", "return"
RETURN_QUARTERS = 2  # a return is chased for the last two quarters that have ended


@dataclass(frozen=True)
class Item:
    """One piece of work someone owes, in words safe for an email."""

    key: str  # stable: the same work has the same key on every run (a question's changes
    # with each follow-up: asked again, it is chased again)
    kind: str  # commentary | action | question | return
    what: str  # "The story behind EHC plans issued within 20 weeks (2026-27 Q2)"
    due: date
    owner: str  # an owner id (owners.yaml), or a provider id for a return
    who: str  # the owner's or provider's name
    email: str
    link: str  # the page's path and query, to put after the app's address
    stage: str | None  # what today calls for (schedule.py), None: nothing yet
    escalate: bool = False  # the chair is told as well

    def due_words(self, today: date) -> str:
        days = (self.due - today).days
        when = {0: " (today)", 1: " (tomorrow)", -1: " (yesterday)"}.get(days, "")
        late = " (overdue)" if days < -1 else ""
        return f"due {long_date(self.due)}{when}{late}"


def _owner(charter: Charter, owner: str) -> tuple[str, str]:
    found = charter.owners.get(owner)
    return charter.owner_name(owner), (found.email or "") if found else ""


def commentary_items(store: Store, charter: Charter, plan: Reminders, today: date) -> list[Item]:
    quarter = latest_ended(PeriodKind.FY_QUARTER, today - _DAY)
    review = cycle.read(store, quarter.label)
    if review.state == SIGNED_OFF:
        return []
    due = schedule.commentary_due(plan, quarter)
    stage = schedule.commentary_stage(plan, due, today)
    escalate = schedule.commentary_escalates(plan, due, today)
    written = commentary.current(store, quarter.label)
    out = []
    for i in cycle.exceptions(charter_status(store, charter, quarter)):
        c = written.get(indicator_subject(i.id))
        if c is not None and not c.copied_from:
            continue
        owner = charter.indicators[i.id].owner
        who, email = _owner(charter, owner)
        out.append(
            Item(f"{COMMENTARY}:{quarter.label}:{i.id}", COMMENTARY,
                 f"The story behind \u201c{i.title}\u201d for {quarter.label}",
                 due, owner, who, email, links.review(quarter.label), stage, escalate)
        )  # fmt: skip
    return out


def action_items(store: Store, charter: Charter, plan: Reminders, today: date) -> list[Item]:
    out = []
    for a in actions.listed(store, today=today):
        if a.status in actions.CLOSED:
            continue
        about = [charter.indicators[i].title for i in a.indicator_ids if i in charter.indicators]
        if a.statement is not None and not about:
            about = [subject_title(charter, f"statement:{a.statement}")]
        who, email = _owner(charter, a.owner)
        on = f" on \u201c{about[0]}\u201d" if about else ""
        out.append(
            Item(f"{ACTION}:{a.action_id}", ACTION, f"Action {a.action_id}{on}", a.due,
                 a.owner, who, email, links.action(a.agreed_quarter),
                 schedule.action_stage(plan, a.due, today))
        )  # fmt: skip
    return out


def question_items(store: Store, charter: Charter, plan: Reminders, today: date) -> list[Item]:
    with store.connect() as con:
        assigned = question_store.assignments(con)
    out = []
    for q in questions.listed(store):
        if q.answered:
            continue
        asked = (q.replies[-1].written_at if q.replies else q.asked_at).date()
        if asked > today:
            continue
        officer = assigned[q.question_id][0] if q.question_id in assigned else plan.chair
        who, email = _owner(charter, officer)
        what = f"Question {q.question_id} on \u201c{subject_title(charter, q.subject)}\u201d"
        if q.question_id not in assigned:
            what += " (no officer assigned yet: assign one, or answer it)"
        out.append(
            Item(f"{QUESTION}:{q.question_id}.{len(q.replies)}", QUESTION, what,
                 schedule.question_due(plan, asked), officer, who, email,
                 links.question(q.quarter), schedule.question_stage(plan, asked, today))
        )  # fmt: skip
    return out


def return_items(store: Store, charter: Charter, plan: Reminders, today: date) -> list[Item]:
    quarter = latest_ended(PeriodKind.FY_QUARTER, today - _DAY)
    quarters: list[Period] = []
    for _ in range(RETURN_QUARTERS):
        quarters.append(quarter)
        quarter = quarter.previous()
    owed = [e for q in quarters for e in expected(charter, q)]
    labels = sorted({e.period.label for e in owed})
    with store.connect() as con:
        rows = partner_store.received(con, charter.council.code, labels)
    received = {(i, p) for i, p, at, _ in rows if _day(at) <= today}
    out = []
    for e in owed:
        if (e.indicator_id, e.period.label) in received:
            continue
        provider = charter.providers[e.provider]
        title = charter.indicators[e.indicator_id].title
        out.append(
            Item(f"{RETURN}:{e.provider}:{e.indicator_id}:{e.period.label}", RETURN,
                 f"The return of \u201c{title}\u201d for {e.period.label}", e.due, e.provider,
                 provider.name, provider.contact.email, links.returns(),
                 schedule.return_stage(plan, e.due, today))
        )  # fmt: skip
    return out


def _day(at: datetime | date) -> date:
    return at.date() if isinstance(at, datetime) else at


_DAY = date.resolution  # a quarter that ends today has not ended "before today"


def everything(store: Store, charter: Charter, plan: Reminders, today: date) -> list[Item]:
    """Every open piece of work on `today`, by due date."""
    with store.connect():
        found = (
            commentary_items(store, charter, plan, today)
            + action_items(store, charter, plan, today)
            + question_items(store, charter, plan, today)
            + return_items(store, charter, plan, today)
        )
    return sorted(found, key=lambda item: (item.due, item.key))


def mine(items: list[Item], email: str) -> list[Item]:
    """What a person owes: the items addressed to them (without regard to case)."""
    email = email.strip().lower()
    return [i for i in items if email and i.email.lower() == email]
