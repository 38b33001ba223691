"""The audit trail: one append-only table of every write, with who, when, where from and what.

This module is the only code that touches the `audit` table, and it only adds rows and reads
them (a test scans the code base for anything else). Writes record their audit row inside
their own transaction, so a figure never changes without its row, nor a row appear for a
change that was rolled back.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Any

from metrics import text_limits
from metrics.access.people import ADMIN, Actor, require
from metrics.store.connection import Connection, Store

ADD = """
INSERT INTO audit VALUES (nextval('audit_id_seq'), $at, $subject, $name, $email, $via, $kind,
                          $object, $summary, $before, $after)
"""

# One row per revised figure of an upload, from the `revised` table its comparison made.
_FIGURE = """CASE WHEN {symbol} IS NOT NULL THEN {symbol}
                 ELSE coalesce(CAST({value} AS VARCHAR), 'no value') END
            || ' (' || {status} || ')'"""
ADD_REVISIONS = f"""
INSERT INTO audit
SELECT nextval('audit_id_seq'), $at, $subject, $name, $email, $via, 'figure revised',
       indicator_id || ', ' || period || ', ' || area_code
       || CASE WHEN breakdown = '' THEN '' ELSE ', ' || breakdown || ': ' || grp END,
       'Revised by upload ' || $upload || ': ' || coalesce($reason, 'no reason given'),
       {_FIGURE.format(symbol="old_symbol", value="old_value", status="old_status")},
       {_FIGURE.format(symbol="symbol", value="value", status="status")}
FROM revised ORDER BY row_no
"""

READ = """
SELECT audit_id, done_at, subject, name, email, via, kind, object, summary, before, after
FROM audit
WHERE ($kind IS NULL OR kind = $kind)
  AND ($who IS NULL OR name = $who OR subject = $who OR email = $who)
  AND ($since IS NULL OR done_at >= $since)
  AND ($until IS NULL OR done_at < $until)
  AND ($text IS NULL OR strpos(lower(object || ' ' || summary || ' ' || coalesce(before, '')
                                      || ' ' || coalesce(after, '')), lower($text)) > 0)
ORDER BY audit_id DESC
LIMIT $limit
"""

COUNT = "SELECT count(*) FROM audit"
KINDS = "SELECT DISTINCT kind FROM audit ORDER BY kind"
PEOPLE = "SELECT DISTINCT name FROM audit ORDER BY name"


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
    con.execute(
        ADD,
        {
            **_who(actor),
            "at": at or datetime.now(),
            "kind": kind,
            "object": obj,
            "summary": summary,
            "before": before,
            "after": after,
        },
    )


def record_revisions(
    con: Connection, actor: Actor, upload_id: int, reason: str | None, at: datetime
) -> None:
    """One row per figure in the `revised` table, each with its value before and after."""
    con.execute(
        ADD_REVISIONS, {**_who(actor), "at": at, "upload": str(upload_id), "reason": reason}
    )


def record_in_store(
    store: Store, actor: Actor, kind: str, obj: str, summary: str, **kw: str
) -> None:
    """Record a write that has no transaction of its own in the store (a charter reload)."""
    with store.connect() as con:
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
    params = {
        "kind": kind or None,
        "who": who or None,
        "since": since,
        "until": until,
        "text": text_limits.bounded(text, "the words searched for", text_limits.SEARCH) or None,
        "limit": limit,
    }
    with store.connect() as con:
        return [AuditRow(*r) for r in con.execute(READ, params).fetchall()]


def choices(store: Store, reader: Actor) -> tuple[list[str], list[str], int]:
    """The kinds of entry and the people in the trail (for filters), and how many rows."""
    require(reader, {ADMIN}, "read the audit trail")
    with store.connect() as con:
        kinds = [r[0] for r in con.execute(KINDS).fetchall()]
        people = [r[0] for r in con.execute(PEOPLE).fetchall()]
        total = int(con.execute(COUNT).fetchall()[0][0])
    return kinds, people, total
