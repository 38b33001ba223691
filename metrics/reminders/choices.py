"""A person's own choice: whether they get reminder digests. Turning them off stops every
reminder but escalations (the chair is still told when something is late); each change adds
a version and is audited."""

from __future__ import annotations

from datetime import datetime

from metrics.access import audit
from metrics.access.people import Actor
from metrics.access.writing import ReviewError, writing
from metrics.store import reminders as stored
from metrics.store.connection import Store


def wants_digests(store: Store, email: str) -> bool:
    """True unless the address turned its digests off."""
    with store.connect() as con:
        return stored.digest_choices(con).get(email.strip().lower(), True)


def choose(store: Store, actor: Actor, digests: bool, email: str | None = None) -> None:
    """Turn the person's own digests on or off. `email` other than their own is refused:
    nobody turns off someone else's reminders."""
    own = actor.email.strip().lower()
    address = (email or own).strip().lower()
    if not own or address != own:
        raise ReviewError(
            "Only the person the reminders go to can turn them on or off, signed in with that "
            "address."
        )
    now = datetime.now()
    with writing(store, "your reminder settings") as con:
        had = stored.digest_choices(con).get(address, True)  # read in this transaction
        stored.choose_digests(con, address, digests, actor.label, now)
        audit.record(
            con, actor, "reminder digests " + ("on" if digests else "off"), address,
            "Digests turned " + ("on" if digests else "off (escalations still come)"),
            before=_words(had), after=_words(digests), at=now,
        )  # fmt: skip


def _words(digests: bool) -> str:
    return "on" if digests else "off"
