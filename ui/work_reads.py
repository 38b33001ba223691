"""Cached reads of who owes what (reminders, issue 30) and each person's digest choice: the
overview's "My work" draws from them in every run, so they are keyed on the data version as
every other read is (ui/reads.py)."""

from __future__ import annotations

from datetime import date

from metrics.reminders import choices, run as reminders, work as reminder_work
from ui import context
from ui.reads import Version, data_key, reading
from ui.shared_cache import shared


@shared(max_entries=8)
def _owed(db: str, version: Version) -> tuple[date, list[reminder_work.Item]]:
    with reading(db) as store:
        today = reminders.today_for(store)
        plan = reminders.plan_of(context.charter())
        return today, reminder_work.everything(store, context.charter(), plan, today)


def owed() -> tuple[date, list[reminder_work.Item]]:
    """The day reminders are worked out for (the demo's own on the demo database) and every
    open piece of work, with who owes it (metrics/reminders/work.py)."""
    return _owed(*data_key())


@shared(max_entries=64)
def _wants_digests(db: str, version: Version, email: str) -> bool:
    with reading(db) as store:
        return choices.wants_digests(store, email)


def wants_digests(email: str) -> bool:
    """Whether the person at `email` has reminder digests on (their latest choice)."""
    return _wants_digests(*data_key(), email)
