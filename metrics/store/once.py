"""A form sent twice makes one thing. Each form the app draws carries a token (a fresh one
after every success); a write given a token it has seen before returns what the first
sending made instead of making it again. So a double click, or a click on a form still
showing after its save, never adds a second action, question, answer or evidence item.

Why a token, not "refuse the same text again": two identical progress notes, or the same
question asked about two quarters, can be meant; the same form sent twice never is. The
table's key refuses a second row for a token even from two sendings at the same moment
(the loser's transaction is rolled back whole).
"""

from __future__ import annotations

from datetime import datetime

from metrics.store.connection import Connection

FIND = "SELECT made FROM form_sendings WHERE token = $token AND what = $what"
KEEP = "INSERT INTO form_sendings VALUES ($token, $what, $made, $by, $at)"


def made_before(con: Connection, token: str | None, what: str) -> int | None:
    """What the first sending of this form made (its number), if it was sent before."""
    if not token:
        return None
    rows = con.execute(FIND, {"token": token, "what": what}).fetchall()
    return int(rows[0][0]) if rows else None


def remember(
    con: Connection,
    token: str | None,
    what: str,
    made: int,
    by: str,
    at: datetime,
) -> None:
    """Keep the token with what it made (and who sent it: `by`, a person's label), in the
    write's own transaction."""
    if token:
        con.execute(KEEP, {"token": token, "what": what, "made": made, "by": by, "at": at})
