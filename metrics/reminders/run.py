"""One run of reminders: work out what is due today, send each person one digest, and keep
what was sent so that no reminder goes twice. The command line (`python -m metrics remind`,
as often as a timer likes) and the chair's "send reminders now" both come here.

Each message is recorded before it is sent, in one transaction with its audit row (to whom,
about what, when: never the body): as 'sending', each reminder it carries claimed. Only then
is it sent, and its outcome recorded with a second audit row. A message the server did not
take gives its reminders back, so the next run tries again; a run that stops between the
two (a crash, the store gone) leaves the message 'sending' and its reminders claimed: it may
or may not have gone, and it is never sent twice. Only one run sends at a time (a named
lock every app server and the command line see); a second finds the lock held and sends
nothing. An operator who knows such a message never arrived gives it back (`remind
--give-back N --why ...`, audited): the next run sends its reminders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from charter import Charter
from charter.reminders import Reminders
from metrics.access import audit
from metrics.access.people import CHAIR, Actor, require
from metrics.dates import date_time
from metrics.reminders import digest as digests_mod, work
from metrics.reminders.digest import Digest
from metrics.reminders.mail import MAX_TIMEOUT, MailError, MailSettings, Postbox, message
from metrics.store import locks, reminders as stored
from metrics.store.connection import Store, WriteConflict, transaction

SENDERS = frozenset({CHAIR})  # who may send reminders from the app (the CLI is the operator)
LOCK = "reminders"
SENT, FAILED, SENDING = "sent", "failed", "sending"
# The demo's dates are fixed (its latest quarter is 2026-27 Q2), so its reminders are worked
# out as on this day unless another is asked for: metrics/demo/reminders.py says what it shows.
DEMO_DAY = date(2026, 10, 27)


class RemindError(RuntimeError):
    """Reminders cannot run: no schedule, or another run is sending."""


@dataclass
class Outcome:
    digest: Digest
    outcome: str  # sent | failed | would send
    error: str | None = None


@dataclass
class Run:
    today: date
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(o.outcome == SENT for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.outcome == FAILED for o in self.outcomes)


def today_for(store: Store, asked: date | None = None) -> date:
    """The day reminders are worked out for: the one asked for, else the demo's day on the
    demo's database, else today."""
    if asked is not None:
        return asked
    with store.connect() as con:
        return DEMO_DAY if stored.holds_the_demo(con) else date.today()


def plan_of(charter: Charter) -> Reminders:
    if charter.reminders is None:
        raise RemindError(
            "charter/council.yaml has no reminders: schedule, so nobody is reminded of "
            'anything (see the README, "Reminders")'
        )
    return charter.reminders


def pending(store: Store, charter: Charter, today: date) -> list[Digest]:
    """The digests a run on `today` would send."""
    plan = plan_of(charter)
    items = work.everything(store, charter, plan, today)
    with store.connect() as con:
        sent = stored.sent(con)
        choices = stored.digest_choices(con)
    off = {address for address, wanted in choices.items() if not wanted}
    found = digests_mod.notices(items, charter, plan)
    return digests_mod.digests(found, charter, sent, off)


def remind(
    store: Store,
    charter: Charter,
    actor: Actor,
    today: date,
    mail: MailSettings | None,
    *,
    dry_run: bool = False,
    postbox: Callable[[MailSettings], Postbox] = Postbox,
) -> Run:
    """Send (or, `dry_run`, only list) today's digests. `mail` may be None only for a dry
    run: a real one needs the server and the app's address."""
    if not dry_run:
        require(actor, SENDERS, "send reminders")
        if mail is None:
            raise RemindError("reminders need the mail server's settings ([smtp] and [app])")
    run = Run(today, dry_run)
    with locks.holding(store) as held:
        if not dry_run and not held.take(LOCK):
            raise RemindError(
                "another run is sending reminders at this moment: nothing was sent by this one"
            )
        found = pending(store, charter, today)
        if dry_run or not found:
            run.outcomes = [Outcome(d, "would send") for d in found]
            return run
        assert mail is not None
        box = postbox(mail)
        try:
            for each in found:
                if (claimed := _claim(store, actor, each)) is not None:
                    d, number = claimed
                    run.outcomes.append(_send(store, charter, actor, box, mail, d, number, today))
        finally:
            box.close()
    return run


def _claim(store: Store, actor: Actor, d: Digest) -> tuple[Digest, int] | None:
    """Record the message before it is sent: the digest less what another process (the app
    beside a timer's run, on a DuckDB file: the lock above is this process's) sent since
    this run looked, its reminders claimed, with its audit row; and its number. None: nothing
    left, or another process claimed some of it at this moment (the next run sends the rest)."""
    now = datetime.now()
    try:
        with store.connect() as con, transaction(con):
            sent = stored.sent(con)
            left = tuple(n for n in d.notices if (d.email, *n.record) not in sent)
            if not left:
                return None
            d = dataclasses.replace(d, notices=left)
            number = stored.claim(con, d.email, now, d.records)
            audit.record(con, actor, f"reminder {SENDING}", d.email,
                         f"Message {number}: {_about(d)}", at=now)  # fmt: skip
    except WriteConflict:
        return None
    return d, number


def _about(d: Digest) -> str:
    """'2 items: <key> (<stage>), ...': what a message carried, for the audit trail."""
    listed = ", ".join(f"{key} ({stage})" for key, stage in d.records)
    return f"{len(d.records)} item{'s' if len(d.records) != 1 else ''}: {listed}"


def _send(
    store: Store,
    charter: Charter,
    actor: Actor,
    box: Postbox,
    mail: MailSettings,
    d: Digest,
    number: int,
    today: date,
) -> Outcome:
    """Send the claimed message `number`, then record its outcome. A message that could
    not be made never reached the server: its reminders are given back before the error goes
    on (left 'sending', they were never tried again)."""
    try:
        msg = message(
            d.email,
            mail.sender,
            digests_mod.subject(d, charter),
            digests_mod.text(d, charter, mail.app_url, today),
            digests_mod.html(d, charter, mail.app_url, today),
        )
    except Exception as err:
        _settle(store, actor, d, number, f"the message could not be made ({type(err).__name__})")
        raise
    error: str | None = None
    try:
        box.send(msg)
    except MailError as err:
        error = str(err)
    _settle(store, actor, d, number, error)
    return Outcome(d, SENT if error is None else FAILED, error)


def _settle(store: Store, actor: Actor, d: Digest, number: int, error: str | None) -> None:
    """A claimed message's outcome with its audit row: sent, or (`error`) not sent, its
    reminders given back for the next run."""
    outcome = SENT if error is None else FAILED
    with store.connect() as con, transaction(con):
        if stored.settle(con, number, outcome, error):
            audit.record(
                con, actor, f"reminder {outcome}", d.email,
                f"Message {number}: {_about(d)}"
                + (f". Not sent: {error}; tried again next run" if error else ""),
                at=datetime.now(),
            )  # fmt: skip
            return
        # An operator gave it back while this run was still at it (a slow mail server): its
        # reminders are the next run's again. Sent after all, it reached them twice; said so.
        if error is None:
            note = "; then sent by its run after all (its reminders go again next run)"
            stored.sent_after_all(con, number, note)
        audit.record(
            con, actor, f"reminder {outcome} after it was given back", d.email,
            f"Message {number}: {_about(d)}"
            + (f". Not sent: {error}" if error else ". Sent by its run after an operator "
               "gave it back; its reminders go again in the next run"),
            at=datetime.now(),
        )  # fmt: skip


def give_back(store: Store, actor: Actor, number: int, why: str) -> None:
    """An operator's word that message `number`, left 'sending' by a run that stopped (the
    process killed, the machine down), never reached its reader: recorded as not sent, its
    reminders given back for the next run, audited with who said so and why. Only for a
    message still 'sending': one sent or failed is settled already."""
    why = why.strip()
    if not why:
        raise RemindError("say why the message was not received (--why)")
    with store.connect() as con, transaction(con):
        found = stored.message(con, number)
        if found is None or found[3] != SENDING:
            state = f"is {found[3]}" if found else "does not exist"
            raise RemindError(f"message {number} {state}: only one left 'sending' is given back")
        recipient = found[1]
        stored.settle(con, number, FAILED, f"given back: {why}")
        audit.record(con, actor, f"reminder {FAILED}", recipient,
                     f"Message {number} given back by the operator: {why}; tried again next "
                     "run", at=datetime.now())  # fmt: skip


# A message 'sending' longer than this may have been left by a run that stopped: each step of
# a send (connecting, greeting, the message) waits for the mail server up to its timeout
# (MAX_TIMEOUT, an hour, at the longest setting), so a run at work may take longer still;
# the words then say how to tell, not which it is.
STOPPED_AFTER = timedelta(seconds=MAX_TIMEOUT)


@dataclass(frozen=True)
class Message:
    message_id: int
    recipient: str
    at: datetime
    outcome: str
    items: str
    error: str | None

    def said(self, now: datetime) -> str:
        """Its outcome in words. One 'sending' is being sent, by a run at work (said with
        since when); 'sending' for longer than STOPPED_AFTER, its run may have stopped: it
        may or may not have gone, and an operator who knows the run has ended and the
        message never arrived gives it back (it is never sent again by itself)."""
        if self.outcome != SENDING:
            return self.outcome
        since = date_time(self.at)
        if now - self.at <= STOPPED_AFTER:
            return f"being sent now (since {since})"
        return (
            f"still 'sending' since {since}: if the run sending it has ended (the scheduled "
            "job's log says), it may or may not have gone, and it is not sent again by "
            "itself. If it never arrived, an operator can give it back: python -m metrics "
            f"remind --give-back {self.message_id} --why '...'"
        )


def messages(store: Store, reader: Actor, limit: int = 500) -> list[Message]:
    """What was sent (and what failed), newest first: for the chair's page."""
    require(reader, SENDERS, "see the reminders sent")
    with store.connect() as con:
        return [Message(*r) for r in stored.messages(con, limit)]
