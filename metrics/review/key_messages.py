"""Key messages: the one-page summary at the front of a quarter's packs, as the chair wrote
it: what got better, what got worse, what is off track with no action, and what the planning
group asks of the reader.

Every save adds a version (the history is kept, and read as at any moment); a save names the
version its author started from, and anything newer is refused as a conflict, so nobody's
words are lost. Once the quarter is signed off they are frozen: a save is refused until the
chair reopens the quarter, and a pack of a signed-off quarter reads them as at its sign-off.
Every save is audited in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metrics.access import audit
from metrics.access.people import CHAIR, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.review.common import known_quarter, refuse_if_signed_off
from metrics.store import outlook as stored
from metrics.store.connection import Store

PARTS = (
    ("better", "What got better"),
    ("worse", "What got worse"),
    ("off_track", "Off track with no action"),
    ("asks", "What the planning group asks of you"),
)
WRITTEN = "key messages written"


@dataclass(frozen=True)
class KeyMessages:
    quarter: str
    version: int
    better: str
    worse: str
    off_track: str
    asks: str
    written_by: str
    written_at: datetime

    @property
    def texts(self) -> tuple[str, str, str, str]:
        return (self.better, self.worse, self.off_track, self.asks)

    def said(self) -> str:
        """Every part in one line each, for the audit trail's before and after."""
        return "\n".join(f"{label}: {text}" for (_, label), text in zip(PARTS, self.texts,
                                                                         strict=True))  # fmt: skip


class Conflict(ReviewError):
    """The version the editor started from is no longer the latest: nothing was saved."""


def history(store: Store, quarter: str, as_at: datetime | None = None) -> list[KeyMessages]:
    """Every version of the quarter's key messages (written by `as_at`), newest first."""
    with store.connect() as con:
        return [KeyMessages(*row) for row in stored.key_messages(con, quarter, as_at)]


def current(store: Store, quarter: str, as_at: datetime | None = None) -> KeyMessages | None:
    """The key messages in force (as at `as_at`, a sign-off say), or None if never written."""
    found = history(store, quarter, as_at)
    return found[0] if found else None


def save(
    store: Store,
    actor: Actor,
    quarter: str,
    texts: tuple[str, str, str, str],
    *,
    based_on: int,
    now: datetime | None = None,
) -> KeyMessages:
    """Save a new version of the key messages (the chair only). `based_on`: the version the
    chair started from (0 for none)."""
    require(actor, {CHAIR}, "write the key messages")
    quarter = known_quarter(store, quarter)
    kept = tuple(
        plain(text, f"'{label}'", required=False) for (_, label), text in zip(PARTS, texts,
                                                                              strict=True)
    )  # fmt: skip
    if not any(kept):
        raise ReviewError("Write at least one of the key messages.")
    if based_on < 0:
        raise Conflict(f"There is no version {based_on} of the key messages to start from.")
    return _add(store, actor, quarter, kept, based_on, now or datetime.now())  # type: ignore[arg-type]


@one_after_the_other
def _add(
    store: Store,
    actor: Actor,
    quarter: str,
    texts: tuple[str, str, str, str],
    based_on: int,
    at: datetime,
) -> KeyMessages:
    with writing(store, "the key messages") as con:
        refuse_if_signed_off(con, quarter, "key messages")
        latest = stored.key_messages_version(con, quarter)
        if latest != based_on:
            raise Conflict(
                f"The key messages were changed (version {latest}) after you opened version "
                f"{based_on}; yours were not saved. Look at them as they are now, then save "
                "again."
            )
        before = stored.key_messages(con, quarter)
        stored.add_key_messages(con, quarter, latest + 1, texts, actor.label, at)
        saved = KeyMessages(quarter, latest + 1, *texts, actor.label, at)
        audit.record(
            con, actor, WRITTEN, f"quarter:{quarter}",
            f"Key messages for {quarter}, version {latest + 1}",
            before=KeyMessages(*before[0]).said() if before else None, after=saved.said(), at=at,
        )  # fmt: skip
    return saved
