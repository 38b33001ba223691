"""The queries of evidence items and their attachments. Rows come back as plain tuples in
the order each docstring gives; metrics/evidence/ keeps the rules (who may add, the
personal-data checks, what an attachment may be). Items are withdrawn, never deleted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from metrics.store.connection import Connection

Row = tuple[Any, ...]

NEXT_ID = "SELECT nextval('evidence_id_seq')"
ADD = """
INSERT INTO evidence_items VALUES ($id, $kind, $source, $summary, $on, $statements,
    $indicators, $question, $answered, $share, $warnings, $by, $at, NULL, NULL, NULL)
"""
ATTACH = """
INSERT INTO evidence_attachments VALUES ($id, $file_name, $media_type, $size, $content)
"""
LIST = """
SELECT e.evidence_id, e.kind, e.source, e.summary, e.evidence_date, e.statements, e.indicators,
       e.question, e.answered, e.agreed_share, e.created_by, e.created_at, e.withdrawn_at,
       e.withdrawn_why, a.file_name, a.media_type, a.size_bytes
FROM evidence_items e LEFT JOIN evidence_attachments a ON a.evidence_id = e.evidence_id
WHERE ($withdrawn OR e.withdrawn_at IS NULL)
ORDER BY e.evidence_date DESC, e.evidence_id DESC
"""
WITHDRAW = """
UPDATE evidence_items SET withdrawn_by = $by, withdrawn_at = $at, withdrawn_why = $why
WHERE evidence_id = $id AND withdrawn_at IS NULL
"""
ONE = "SELECT kind, summary, withdrawn_at FROM evidence_items WHERE evidence_id = $id"
ATTACHMENT = """
SELECT a.file_name, a.media_type, a.content, e.withdrawn_at
FROM evidence_attachments a JOIN evidence_items e ON e.evidence_id = a.evidence_id
WHERE a.evidence_id = $id
"""


def next_evidence_id(con: Connection) -> int:
    return int(con.execute(NEXT_ID).fetchall()[0][0])


def add_item(con: Connection, row: Mapping[str, object]) -> None:
    """`row` has id, kind, source, summary, on, statements, indicators, question, answered,
    share, warnings, by and at."""
    con.execute(ADD, row)


def add_attachment(
    con: Connection, evidence_id: int, file_name: str, media_type: str, content: bytes
) -> None:
    params = {"id": evidence_id, "file_name": file_name, "media_type": media_type,
              "size": len(content), "content": content}  # fmt: skip
    con.execute(ATTACH, params)


def item(con: Connection, evidence_id: int) -> tuple[str, str, datetime | None] | None:
    """(kind, summary, withdrawn_at) of an item, or None if there is none."""
    rows = con.execute(ONE, {"id": evidence_id}).fetchall()
    return (rows[0][0], rows[0][1], rows[0][2]) if rows else None


def withdraw(con: Connection, evidence_id: int, by: str, at: datetime, why: str) -> None:
    con.execute(WITHDRAW, {"by": by, "at": at, "why": why, "id": evidence_id})


def items(con: Connection, withdrawn: bool) -> list[Row]:
    """Items newest first (withdrawn ones too if `withdrawn`): (evidence_id, kind, source,
    summary, evidence_date, statements, indicators, question, answered, agreed_share,
    created_by, created_at, withdrawn_at, withdrawn_why, file_name, media_type, size_bytes);
    the last three are None for an item with no attachment."""
    return [tuple(r) for r in con.execute(LIST, {"withdrawn": withdrawn}).fetchall()]


def attachment(con: Connection, evidence_id: int) -> tuple[str, str, bytes, Any] | None:
    """(file_name, media_type, content, the item's withdrawn_at), or None: no attachment."""
    rows = con.execute(ATTACHMENT, {"id": evidence_id}).fetchall()
    if not rows:
        return None
    name, media, content, withdrawn = rows[0]
    return name, media, bytes(content), withdrawn
