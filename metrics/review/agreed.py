"""Agreed statuses: the chair may settle a status different from the computed one, with a
reason. The computed status is never replaced: both are always shown together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from charter import Charter
from metrics import text_limits
from metrics.access import audit
from metrics.access.people import CHAIR, Actor, require
from metrics.access.writing import ReviewError, one_after_the_other, plain, writing
from metrics.assess.rollup import charter_status
from metrics.periods.text import parse_period
from metrics.review.common import check_subject, known_quarter, refuse_if_signed_off, subject_title
from metrics.store import review as stored
from metrics.store.connection import Store
from metrics.words.narrative import STATUS_WORDS

AGREEABLE = ("on_track", "at_risk", "off_track")
NOT_AGREED = "Not separately agreed"


@dataclass(frozen=True)
class Agreed:
    quarter: str
    subject: str
    version: int
    status: str | None  # None: withdrawn
    computed: str
    reason: str
    agreed_by: str
    agreed_at: datetime

    def words(self) -> str:
        """'Off track, because families report longer waits': the agreed status with its
        reason, as every page and pack shows it beside the computed one."""
        if self.status is None:
            return NOT_AGREED
        return f"{STATUS_WORDS[self.status]}, because {self.reason.rstrip('.')}"

    def sentence(self, computed_now: str) -> str:
        """'Computed: at risk. Agreed: off track, because ...'."""
        if self.status is None:
            return f"Computed: {STATUS_WORDS[computed_now].lower()}."
        return beside(computed_now, self.words())


def beside(computed: str, words: str) -> str:
    """The one way a page says both: 'Computed: at risk. Agreed: off track, because ...'.
    `words`: the agreed status and why (`Agreed.words`)."""
    return f"Computed: {STATUS_WORDS[computed].lower()}. Agreed: {words[0].lower()}{words[1:]}."


def words_for(found: Agreed | None) -> str:
    """The agreed status and why, or that none was agreed (the computed status stands)."""
    return found.words() if found is not None else NOT_AGREED


def current(store: Store, quarter: str, as_at: datetime | None = None) -> dict[str, Agreed]:
    """Each subject's agreed status in force (withdrawn ones left out)."""
    with store.connect() as con:
        rows = stored.agreed_in_force(con, quarter, as_at)
    return {r[1]: Agreed(*r) for r in rows if r[3] is not None}


UNSEEN = "(not given)"  # `seen` when the caller drew no agreed status (the domain's own)


class AgreedConflict(ReviewError):
    """Another chair recorded an agreed status since this one's page was drawn: nothing was
    recorded."""


@one_after_the_other
def agree(
    store: Store,
    charter: Charter,
    actor: Actor,
    quarter: str,
    subject: str,
    status: str | None,
    computed: str,
    reason: str,
    seen: str | None = UNSEEN,
) -> int:
    """Record the chair's agreed status (None withdraws it); the reason is required. Returns
    the agreement's version for this quarter and subject. `computed` is the status the page
    showed, checked against the status as worked out now; `seen`, the agreed status in force
    the page showed (None: none): recorded over another chair's since, it is refused, as an
    edit of commentary over a newer version is."""
    require(actor, {CHAIR}, "agree a status")
    quarter, subject = known_quarter(store, quarter), check_subject(charter, subject)
    if status is not None and status not in AGREEABLE:
        words = ", ".join(STATUS_WORDS[s].lower() for s in AGREEABLE)
        raise ReviewError(f"An agreed status must be one of: {words}.")
    if status is not None and status == computed:
        raise ReviewError(
            "The agreed status is the same as the computed one: record an agreed status only "
            "where the group settles on a different one."
        )
    reason = plain(reason, "the reason for the agreed status", limit=text_limits.REASON)
    now = datetime.now()
    key = {"quarter": quarter, "subject": subject}
    with writing(store, f"the agreed status of {subject_title(charter, subject)}") as con:
        refuse_if_signed_off(con, quarter, "agreed statuses")
        now_computed = computed_status(store, charter, quarter, subject)
        if computed != now_computed:
            raise ReviewError(
                f"The computed status is now {STATUS_WORDS.get(now_computed, now_computed)} "
                f"(the page showed {STATUS_WORDS.get(computed, computed)}): the figures "
                "changed since it was drawn. Look again before agreeing a status."
            )
        latest = stored.latest_agreed(con, quarter, subject)
        in_force = latest[1] if latest else None
        if seen != UNSEEN and in_force != seen:
            said = STATUS_WORDS[in_force].lower() if in_force else "withdrawn"
            raise AgreedConflict(
                f"{latest[2] if latest else 'Someone'} recorded an agreed status ({said}) after "
                "this page was drawn, so yours was not recorded. Look at it as it is now, then "
                "record yours again if it is still needed."
            )
        version = (latest[0] if latest else 0) + 1
        stored.add_agreed(
            con,
            {
                **key,
                "version": version,
                "status": status,
                "computed": computed,
                "reason": reason,
                "by": actor.label,
                "at": now,
            },
        )
        words = STATUS_WORDS.get(computed, computed)
        audit.record(
            con,
            actor,
            "agreed status withdrawn" if status is None else "status agreed",
            f"{quarter}, {subject}",
            reason,
            # what it replaced: the agreed status in force, else the computed one
            before=f"{STATUS_WORDS[in_force]} (agreed)" if in_force else f"{words} (computed)",
            after=STATUS_WORDS[status] if status else f"{words} (computed status stands)",
            at=now,
        )
    return version


def computed_status(store: Store, charter: Charter, quarter: str, subject: str) -> str:
    """The subject's status as worked out from the figures now (an indicator's or a
    statement's)."""
    kind, _, key = subject.partition(":")
    for s in charter_status(store, charter, parse_period(quarter)):
        if kind == "statement" and str(s.number) == key:
            return s.status
        for i in s.indicators:
            if kind == "indicator" and i.id == key:
                return i.status
    raise ReviewError(f"{subject_title(charter, subject)} has no status in {quarter}.")
