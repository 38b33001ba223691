"""When a piece of work is due and which reminder, if any, it calls for on a given day, by
council.yaml's `reminders:` schedule (charter/reminders.py). Working days skip weekends and
England's bank holidays: the calendar is metrics/partners/due.py's, the one that says when
a provider's return is due.

A stage is what a reminder says: `reminder` (due soon), `overdue` (to whoever owes it) or
`escalation` (to the chair). Each is sent once per item and person (metrics/store/reminders).
"""

from __future__ import annotations

from datetime import date, timedelta

from charter.reminders import Reminders
from metrics.partners.due import add_working_days, is_working_day, working_days_between
from metrics.periods.model import Period

REMINDER, OVERDUE, ESCALATION = "reminder", "overdue", "escalation"
STAGES = (REMINDER, OVERDUE, ESCALATION)


def subtract_working_days(end: date, days: int) -> date:
    """The `days`-th working day before `end` (`end` itself for 0)."""
    day = end
    while days > 0:
        day -= timedelta(days=1)
        days -= is_working_day(day)
    return day


def commentary_due(schedule: Reminders, quarter: Period) -> date:
    """When the stories behind a quarter's exceptions are due."""
    return add_working_days(quarter.end, schedule.commentary.due_working_days)


def commentary_stage(schedule: Reminders, due: date, today: date) -> str | None:
    """`reminder` from K working days before the due date, `overdue` after it."""
    if today > due:
        return OVERDUE
    start = subtract_working_days(due, schedule.commentary.remind_before_working_days)
    return REMINDER if today >= start else None


def commentary_escalates(schedule: Reminders, due: date, today: date) -> bool:
    """True once the story is M working days late: the chair is told."""
    if today <= due:
        return False
    return working_days_between(due, today) >= schedule.commentary.escalate_after_working_days


def action_stage(schedule: Reminders, due: date, today: date) -> str | None:
    """`reminder` in the days before an open action's due date, `overdue` after it."""
    if today > due:
        return OVERDUE if schedule.actions.remind_when_overdue else None
    return REMINDER if (due - today).days <= schedule.actions.remind_before_days else None


def question_due(schedule: Reminders, asked: date) -> date:
    """When an unanswered question is chased."""
    return add_working_days(asked, schedule.questions.remind_after_working_days)


def question_stage(schedule: Reminders, asked: date, today: date) -> str | None:
    """`overdue` once unanswered for N working days."""
    return OVERDUE if today >= question_due(schedule, asked) else None


def return_stage(schedule: Reminders, due: date, today: date) -> str | None:
    """`reminder` from K working days before a return is due, `overdue` after it."""
    if today > due:
        return OVERDUE if schedule.returns.remind_when_overdue else None
    start = subtract_working_days(due, schedule.returns.remind_before_working_days)
    return REMINDER if today >= start else None
