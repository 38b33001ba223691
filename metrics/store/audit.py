"""The audit trail's queries: one append-only table of every write. These functions only add
rows and read them (tests/unit/test_audit.py scans the code base for anything else); the
rules (who may read it, what a row says) are metrics/access/audit.py's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from metrics.store.connection import Connection

ADD = """
INSERT INTO audit VALUES (nextval('audit_id_seq'), $at, $subject, $name, $email, $via, $kind,
                          $object, $summary, $before, $after)
"""

# One row per revised figure of an upload, from the `revised` table its comparison made; a
# figure whose missing numerator or denominator was added (the same value) is "counts added".
_FIGURE = """CASE WHEN {symbol} IS NOT NULL THEN {symbol}
                 ELSE coalesce(CAST({value} AS VARCHAR), 'no value') END
            || ' (' || {status} || ')'"""
# What else a revision changed, on both sides when it differs: the counts a ratio is worked
# out from, and the note (a revision of these alone read "73.1 (provisional)" twice).
_COUNT = """CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e15 THEN CAST(CAST({v} AS BIGINT) AS VARCHAR)
                ELSE CAST({v} AS VARCHAR) END"""
_ALSO = """
       || CASE WHEN (old_numerator IS DISTINCT FROM numerator
                     OR old_denominator IS DISTINCT FROM denominator)
                    AND {num} IS NOT NULL AND {den} IS NOT NULL
               THEN ' from ' || {num_text} || ' of ' || {den_text} ELSE '' END
       || CASE WHEN old_note IS DISTINCT FROM note
               THEN '; note: ' || coalesce({note}, 'none') ELSE '' END"""


def _also(num: str, den: str, note: str) -> str:
    return _ALSO.format(
        num=num, den=den, note=note, num_text=_COUNT.format(v=num), den_text=_COUNT.format(v=den)
    )


ADD_REVISIONS = f"""
INSERT INTO audit
SELECT nextval('audit_id_seq'), $at, $subject, $name, $email, $via,
       CASE WHEN counts_added THEN 'counts added' ELSE 'figure revised' END,
       indicator_id || ', ' || period || ', ' || area_code
       || CASE WHEN breakdown = '' THEN '' ELSE ', ' || breakdown || ': ' || grp END,
       CASE WHEN counts_added
            THEN 'Counts added by upload ' || $upload || ': the figure is unchanged'
            ELSE 'Revised by upload ' || $upload || ': ' || coalesce($reason, 'no reason given')
       END,
       {_FIGURE.format(symbol="old_symbol", value="old_value", status="old_status")}
       {_also("old_numerator", "old_denominator", "old_note")},
       {_FIGURE.format(symbol="symbol", value="value", status="status")}
       {_also("numerator", "denominator", "note")}
FROM revised ORDER BY row_no
"""
# PostgreSQL writes a whole DOUBLE as `430`, DuckDB as `430.0`: the audit's words are
# DuckDB's on both (whole numbers below 1e15 get their `.0`; others are the same text).
_PG_NUMBER = """CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e15
                THEN CAST(CAST({v} AS BIGINT) AS VARCHAR) || '.0'
                ELSE CAST({v} AS VARCHAR) END"""
ADD_REVISIONS_PG = ADD_REVISIONS.replace(
    "CAST(old_value AS VARCHAR)", _PG_NUMBER.format(v="old_value")
).replace("CAST(value AS VARCHAR)", _PG_NUMBER.format(v="value"))

# A filter left out is NULL; the CASTs say its type (a server database cannot guess it).
READ = """
SELECT audit_id, done_at, subject, name, email, via, kind, object, summary, before, after
FROM audit
WHERE (CAST($kind AS VARCHAR) IS NULL OR kind = $kind)
  AND (CAST($who AS VARCHAR) IS NULL OR name = $who OR subject = $who OR email = $who)
  AND (CAST($since AS TIMESTAMP) IS NULL OR done_at >= $since)
  AND (CAST($until AS TIMESTAMP) IS NULL OR done_at < $until)
  AND (CAST($text AS VARCHAR) IS NULL
       OR strpos(lower(object || ' ' || summary || ' ' || coalesce(before, '')
                       || ' ' || coalesce(after, '')), lower($text)) > 0)
ORDER BY audit_id DESC
LIMIT $limit
"""

COUNT = "SELECT count(*) FROM audit"
RELOADS = "SELECT count(*) FROM audit WHERE kind = 'charter reload'"
KINDS = "SELECT DISTINCT kind FROM audit ORDER BY kind"
PEOPLE = "SELECT DISTINCT name FROM audit ORDER BY name"


def add_entry(
    con: Connection,
    who: dict[str, str],
    at: datetime,
    kind: str,
    obj: str,
    summary: str,
    before: str | None,
    after: str | None,
) -> None:
    """One row; `who` has the person's subject, name, email and via."""
    con.execute(
        ADD,
        {**who, "at": at, "kind": kind, "object": obj, "summary": summary,
         "before": before, "after": after},
    )  # fmt: skip


def add_revisions(
    con: Connection, who: dict[str, str], at: datetime, upload: str, reason: str | None
) -> None:
    """One row per figure in the `revised` table (registered or made by the caller)."""
    query = ADD_REVISIONS if con.backend == "duckdb" else ADD_REVISIONS_PG
    con.execute(query, {**who, "at": at, "upload": upload, "reason": reason})


def entries(
    con: Connection,
    *,
    kind: str | None,
    who: str | None,
    since: datetime | None,
    until: datetime | None,
    text: str | None,
    limit: int,
) -> list[tuple[Any, ...]]:
    """Rows newest first: (audit_id, done_at, subject, name, email, via, kind, object,
    summary, before, after); a filter given as None is not applied."""
    params = {"kind": kind, "who": who, "since": since, "until": until, "text": text,
              "limit": limit}  # fmt: skip
    return [tuple(r) for r in con.execute(READ, params).fetchall()]


def kinds_people_and_count(con: Connection) -> tuple[list[str], list[str], int]:
    kinds = [r[0] for r in con.execute(KINDS).fetchall()]
    people = [r[0] for r in con.execute(PEOPLE).fetchall()]
    total = int(con.execute(COUNT).fetchall()[0][0])
    return kinds, people, total


def charter_reloads(con: Connection) -> int:
    """How many times the charter files have been reloaded (by any app server): audited."""
    return int(con.execute(RELOADS).fetchall()[0][0])
