"""Actions the planning group agrees: what should change, who owns it, when it is due, and a
dated log of progress. Overdue means past its due date and neither done nor dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from charter import Charter
from metrics import text_limits
from metrics.access import audit
from metrics.access.people import CHAIR, MEMBER, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.dates import long_date
from metrics.review.common import known_quarter
from metrics.store import actions as stored, once
from metrics.store.connection import Store

STATUSES = ("not started", "on track", "at risk", "done", "dropped")
CLOSED = ("done", "dropped")
EDITORS = frozenset({MEMBER, CHAIR})


@dataclass(frozen=True)
class Action:
    action_id: int
    title: str
    statement: int | None
    indicators: str
    owner: str
    due: date
    agreed_quarter: str
    created_by: str
    created_at: datetime
    status: str
    note: str
    updated_by: str
    updated_at: datetime
    version: int  # its latest log entry's number: what a page that shows it has seen

    @property
    def indicator_ids(self) -> list[str]:
        return [i for i in self.indicators.split(",") if i]

    def overdue(self, today: date | None = None) -> bool:
        return self.status not in CLOSED and self.due < (today or date.today())

    def state(self, today: date | None = None) -> str:
        """Where it stands, in words that never contradict themselves: its status, or, past
        its due date and not done, "overdue (last reported on track)", never "on track" and
        "overdue" side by side."""
        if not self.overdue(today):
            return self.status
        if self.status == "not started":
            return "overdue and not started"
        return f"overdue (last reported {self.status})"


def sister_indicators(charter: Charter, indicator_id: str) -> list[str]:
    """The indicators that measure the same service as `indicator_id`: the same owner and a
    charter statement in common (the wait for an autism assessment and the number waiting).
    An open action on a sister bears on this one too, so "no open action" is never said of
    it (the scrutiny view asks whether that action will also improve it)."""
    ind = charter.indicators[indicator_id]
    return [
        other.id for other in charter.indicators.values()
        if other.id != ind.id and other.owner == ind.owner
        and set(other.statements) & set(ind.statements)
    ]  # fmt: skip


def _check_links(charter: Charter, statement: int | None, indicators: list[str]) -> None:
    if statement is None and not indicators:
        raise ReviewError("Say what the action should change: a statement or an indicator.")
    if statement is not None and statement not in {s.number for s in charter.statements}:
        raise ReviewError(f"There is no statement {statement} in the charter.", "statement")
    unknown = [i for i in indicators if i not in charter.indicators]
    if unknown:
        raise ReviewError(f"Unknown indicator: {', '.join(unknown)}.", "indicators")


def _check_owner(charter: Charter, owner: str) -> None:
    if owner not in charter.owners:
        raise ReviewError(
            f"Unknown owner {owner!r}: choose a lead from the charter's owners "
            "(charter/owners.yaml).",
            "owner",
        )


@one_after_the_other
def add(
    store: Store,
    charter: Charter,
    actor: Actor,
    *,
    title: str,
    owner: str,
    due: date,
    quarter: str,
    statement: int | None = None,
    indicators: list[str] | None = None,
    today: date | None = None,
    token: str | None = None,
) -> int:
    """Agree a new action; its first log entry is 'not started'. Returns its number; the
    same number again for a form (`token`) sent before, adding nothing (metrics/store/once.py)."""
    require(actor, EDITORS, "add an action")
    title = plain(title, "the action's title", limit=text_limits.TITLE)
    quarter = known_quarter(store, quarter, today)
    links = list(dict.fromkeys(indicators or []))
    _check_links(charter, statement, links)
    _check_owner(charter, owner)
    if due < (today or date.today()):
        raise ReviewError(
            f"The due date {long_date(due)} has passed: choose a date from today.", "due"
        )
    now = datetime.now()
    with writing(store, "the actions") as con:
        if (earlier := once.made_before(con, token, "action")) is not None:
            return earlier
        action_id = stored.next_action_id(con)
        stored.add_action(
            con,
            action_id,
            title=title,
            statement=statement,
            indicators=",".join(links),
            owner=owner,
            due=due,
            quarter=quarter,
            by=actor.label,
            at=now,
        )
        stored.add_update(con, action_id, 1, "not started", "Agreed", actor.label, now)
        audit.record(
            con,
            actor,
            "action added",
            f"action {action_id}: {title}",
            f"Owner {charter.owner_name(owner)}, due {long_date(due)}, agreed in {quarter}",
            after="not started",
            at=now,
        )
        once.remember(con, token, "action", action_id, actor.label, now)
    return action_id


class ActionConflict(ReviewError):
    """Someone logged progress on the action after this person's page was drawn: nothing of
    theirs was logged."""


@one_after_the_other
def update(
    store: Store,
    actor: Actor,
    action_id: int,
    status: str,
    note: str,
    reason: str = "",
    token: str | None = None,
    seen: int | None = None,
) -> int:
    """Log progress: a new status and a dated note. Dropping needs a reason. Returns the log
    entry's number (the first one's again for a form sent twice: `token`). `seen`: the log
    entry the page showed as the action's latest (`Action.version`); someone else's logged
    since, it is refused (ActionConflict), as an agreed status recorded over another chair's
    is, rather than the later status silently replacing one its writer never saw. None: the
    caller drew no page (the demo's own)."""
    require(actor, EDITORS, "update an action")
    if status not in STATUSES:
        raise ReviewError(f"An action's status must be one of: {', '.join(STATUSES)}.")
    note = plain(note, "a progress note", limit=text_limits.NOTE)
    if status == "dropped":
        why = plain(reason, "why the action is dropped", limit=text_limits.REASON)
        note = f"{note} Dropped because: {why}"
    now = datetime.now()
    with writing(store, f"action {action_id}") as con:
        if (earlier := once.made_before(con, token, "action update")) is not None:
            return earlier
        version = stored.latest_version(con, action_id)
        if not version:
            raise ReviewError(f"There is no action {action_id}.")
        _, before, _, last_by, _ = stored.log(con, action_id)[-1]
        if seen is not None and seen != version:
            raise ActionConflict(
                f"{last_by} logged progress on action {action_id} (now {before}) after this "
                "page was drawn, so yours was not logged. Look at the action as it is now, "
                "then log yours again if it still stands."
            )
        stored.add_update(con, action_id, version + 1, status, note, actor.label, now)
        audit.record(
            con, actor, "action updated", f"action {action_id}", note,
            before=before, after=status, at=now,
        )  # fmt: skip
        once.remember(con, token, "action update", version + 1, actor.label, now)
    return version + 1


def listed(
    store: Store,
    *,
    as_at: datetime | None = None,
    owner: str | None = None,
    organisation: str | None = None,
    statement: int | None = None,
    status: str | None = None,
    overdue: bool = False,
    charter: Charter | None = None,
    today: date | None = None,
) -> list[Action]:
    """Actions (as they stood at `as_at`, if given), filtered."""
    with store.connect() as con:
        rows = [Action(*r) for r in stored.actions_with_latest_update(con, as_at)]
    if owner:
        rows = [a for a in rows if a.owner == owner]
    if organisation and charter is not None:
        rows = [
            a for a in rows if a.owner in charter.owners
            and charter.owners[a.owner].organisation == organisation
        ]  # fmt: skip
    if statement is not None:
        rows = [a for a in rows if a.statement == statement]
    if status:
        rows = [a for a in rows if a.status == status]
    if overdue:
        rows = [a for a in rows if a.overdue(today)]
    return rows


def progress_log(store: Store, action_id: int) -> list[tuple[int, str, str, str, datetime]]:
    with store.connect() as con:
        return [(int(r[0]), r[1], r[2], r[3], r[4]) for r in stored.log(con, action_id)]
