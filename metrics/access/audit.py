"""The audit trail: one append-only table of every write, with who, when, where from and what.

This module and its queries (metrics/store/audit.py) are the only code that touches the
`audit` table, and they only add rows and read them (a test scans the code base for anything
else). Writes record their audit row inside
their own transaction, so a figure never changes without its row, nor a row appear for a
change that was rolled back.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Any

from metrics import text_limits
from metrics.access.people import ADMIN, Actor, require
from metrics.store import audit as stored
from metrics.store.connection import Connection, Store, transaction


@dataclass(frozen=True)
class AuditRow:
    audit_id: int
    at: datetime
    subject: str
    name: str
    email: str
    via: str
    kind: str
    object: str
    summary: str
    before: str | None
    after: str | None

    def as_row(self) -> dict[str, Any]:
        """For tables and CSV: the column headings a reader sees."""
        return dict(zip(HEADINGS, astuple(self), strict=True))


HEADINGS = (
    "Entry",
    "When",
    "Subject",
    "Who",
    "Email",
    "From",
    "What",
    "Object",
    "Summary",
    "Before",
    "After",
)


def _who(actor: Actor) -> dict[str, str]:
    return {"subject": actor.subject, "name": actor.name, "email": actor.email, "via": actor.via}


def record(
    con: Connection,
    actor: Actor,
    kind: str,
    obj: str,
    summary: str,
    *,
    before: str | None = None,
    after: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add one row; call inside the transaction of the write it records."""
    stored.add_entry(con, _who(actor), at or datetime.now(), kind, obj, summary, before, after)


def record_revisions(
    con: Connection, actor: Actor, upload_id: int, reason: str | None, at: datetime
) -> None:
    """One row per figure in the `revised` table, each with its value before and after."""
    stored.add_revisions(con, _who(actor), at, str(upload_id), reason)


def record_in_store(
    store: Store, actor: Actor, kind: str, obj: str, summary: str, **kw: str
) -> None:
    """Record a write that has no transaction of its own in the store (a charter reload)."""
    with store.connect() as con, transaction(con):
        record(con, actor, kind, obj, summary, before=kw.get("before"), after=kw.get("after"))


def entries(
    store: Store,
    reader: Actor,
    *,
    kind: str | None = None,
    who: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    limit: int = 5000,
) -> list[AuditRow]:
    """The newest rows first, filtered; only administrators may read the trail."""
    require(reader, {ADMIN}, "read the audit trail")
    words = text_limits.bounded(text, "the words searched for", text_limits.SEARCH) or None
    with store.connect() as con:
        rows = stored.entries(con, kind=kind or None, who=who or None, since=since,
                              until=until, text=words, limit=limit)  # fmt: skip
    return [AuditRow(*r) for r in rows]


def choices(store: Store, reader: Actor) -> tuple[list[str], list[str], int]:
    """The kinds of entry and the people in the trail (for filters), and how many rows."""
    require(reader, {ADMIN}, "read the audit trail")
    with store.connect() as con:
        return stored.kinds_people_and_count(con)
