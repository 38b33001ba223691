"""The queries of reminders (issue 30): which reminders were sent (so none is sent twice),
each message sent or failed, and who turned their digests off (a question's officer is
metrics/store/scrutiny.py's). Rows come back as plain tuples in the order each docstring
gives; metrics/reminders/ keeps the rules. A choice adds a version. A message is added
before it is sent, as 'sending', with each item it carries claimed (so a run that stops
before its outcome is kept never sends them again); its outcome is then set once, and a
failed message gives its claims back for the next run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

Row = tuple[Any, ...]

SENT = "SELECT recipient, item, stage FROM reminder_sent"
NEXT_MESSAGE = "SELECT nextval('reminder_message_seq')"
ADD_MESSAGE = """
INSERT INTO reminder_messages VALUES ($id, $recipient, $at, $outcome, $items, $error)
"""
ADD_SENT = "INSERT INTO reminder_sent VALUES ($recipient, $item, $stage, $id, $at)"
SETTLE = """
UPDATE reminder_messages SET outcome = $outcome, error = $error
WHERE message_id = $id AND outcome = 'sending' RETURNING message_id
"""
# A message sent after an operator gave it back: said on it (its reminders stay given back).
SENT_AFTER_ALL = """
UPDATE reminder_messages SET error = error || $note WHERE message_id = $id
"""
GIVE_BACK = "DELETE FROM reminder_sent WHERE message_id = $id"
MESSAGE = """
SELECT message_id, recipient, sent_at, outcome, items, error FROM reminder_messages
WHERE message_id = $id
"""
MESSAGES = """
SELECT message_id, recipient, sent_at, outcome, items, error FROM reminder_messages
ORDER BY message_id DESC LIMIT $limit
"""
CHOICE = """
INSERT INTO reminder_preferences
SELECT $email, coalesce(max(version), 0) + 1, $digests, $by, $at
FROM reminder_preferences WHERE email = $email
"""
# Everyone's latest choice.
CHOICES = """
SELECT email, digests FROM (
    SELECT email, digests,
           row_number() OVER (PARTITION BY email ORDER BY version DESC) AS newest
    FROM reminder_preferences
) AS latest
WHERE newest = 1
"""
DEMO_UPLOADS = "SELECT count(*) FROM uploads WHERE kind = 'demo'"


def sent(con: Connection) -> set[tuple[str, str, str]]:
    """Every (recipient, item, stage) already sent."""
    return {(r[0], r[1], r[2]) for r in con.execute(SENT).fetchall()}


def claim(con: Connection, recipient: str, at: datetime, items: list[tuple[str, str]]) -> int:
    """A message about to be sent, as 'sending', each of its (item, stage) kept as sent
    already: another run (or this one, stopped before its outcome is kept) never sends them
    again. A claim of an item claimed meanwhile conflicts (its key). The message's number."""
    message_id = int(con.execute(NEXT_MESSAGE).fetchall()[0][0])
    lines = "\n".join(f"{item} ({stage})" for item, stage in items)
    con.execute(
        ADD_MESSAGE,
        {"id": message_id, "recipient": recipient, "at": at, "outcome": "sending",
         "items": lines, "error": None},
    )  # fmt: skip
    for item, stage in items:
        con.execute(
            ADD_SENT,
            {"recipient": recipient, "item": item, "stage": stage, "id": message_id, "at": at},
        )
    return message_id


def settle(con: Connection, message_id: int, outcome: str, error: str | None) -> bool:
    """A claimed message's outcome: sent, or failed (its items given back, so that the next
    run tries them again). False if it was no longer 'sending' (an operator gave it back
    meanwhile): nothing changed."""
    if not con.execute(SETTLE, {"id": message_id, "outcome": outcome, "error": error}).fetchall():
        return False
    if outcome != "sent":
        con.execute(GIVE_BACK, {"id": message_id})
    return True


def sent_after_all(con: Connection, message_id: int, note: str) -> None:
    """Say on a message given back that its run sent it after all."""
    con.execute(SENT_AFTER_ALL, {"id": message_id, "note": note})


def message(con: Connection, message_id: int) -> Row | None:
    """One message, as `messages` gives each; None if there is none of that number."""
    found = con.execute(MESSAGE, {"id": message_id}).fetchall()
    return tuple(found[0]) if found else None


def messages(con: Connection, limit: int = 500) -> list[Row]:
    """The newest messages first: (message_id, recipient, at, outcome, items, error)."""
    return [tuple(r) for r in con.execute(MESSAGES, {"limit": limit}).fetchall()]


def choose_digests(con: Connection, email: str, digests: bool, by: str, at: datetime) -> None:
    con.execute(CHOICE, {"email": email, "digests": digests, "by": by, "at": at})


def digest_choices(con: Connection) -> dict[str, bool]:
    """Each address's latest choice (an address not listed gets digests)."""
    return {r[0]: bool(r[1]) for r in _choices(con)}


# Remembered: the overview's "My work" asks in every run after a change of any kind (an
# upload of a return), which changes no one's choice.
@remembered(CHOICES)
def _choices(con: Connection) -> list[Row]:
    return [tuple(r) for r in con.execute(CHOICES).fetchall()]


def holds_the_demo(con: Connection) -> bool:
    """True for a database the demo generator built."""
    return bool(con.execute(DEMO_UPLOADS).fetchall()[0][0])
