"""Commentary, "the story behind the figure": what is happening, why, and what next.

Every save adds a version, so the history is kept and readable as at any moment. A save says
which version its author started from; if someone else saved in between, it is refused as a
conflict carrying both texts, so nobody's words are silently lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from charter import Charter
from metrics.access import audit
from metrics.access.people import CHAIR, MEMBER, Actor, require
from metrics.access.writing import Concurrent, ReviewError, one_after_the_other, plain, writing
from metrics.review.common import check_quarter, check_subject, known_quarter, refuse_if_signed_off
from metrics.store import review as stored
from metrics.store.connection import Store


@dataclass(frozen=True)
class Figure:
    """The figure a piece of commentary was written against."""

    period: str | None
    value: float | None
    shown: str


@dataclass(frozen=True)
class Commentary:
    commentary_id: int
    quarter: str
    subject: str
    version: int
    what: str
    why: str
    next: str
    written_by: str
    written_at: datetime
    figure_period: str | None
    figure_value: float | None
    figure_shown: str | None
    copied_from: str | None

    def written_against(self) -> str:
        if not self.figure_shown:
            return ""
        return f"written when the latest figure was {self.figure_shown} for {self.figure_period}"

    def is_stale(self, current: Figure | None) -> bool:
        """Possibly stale: the figure it was written against has since been revised."""
        if current is None or self.figure_period is None:
            return False
        if current.period != self.figure_period:
            return False
        return current.value != self.figure_value


class Conflict(ReviewError):
    """The version the editor started from is no longer the latest (or does not exist):
    nothing was saved."""


class EditConflict(Conflict):
    """Someone else saved this commentary after the editor opened it; both texts are kept
    here so the editor can merge them."""

    def __init__(self, theirs: Commentary, yours: tuple[str, str, str]):
        self.theirs, self.yours = theirs, yours
        super().__init__(
            f"{theirs.written_by} saved this commentary at {theirs.written_at:%H:%M} while you "
            "were editing. Your text has not been saved: compare the two, then save again."
        )


def _words(what: str, why: str, next_: str) -> str:
    return f"What: {what} | Why: {why} | Next: {next_}"


def current(store: Store, quarter: str, as_at: datetime | None = None) -> dict[str, Commentary]:
    """Each subject's latest commentary for the quarter (as it stood at `as_at`, if given)."""
    with store.connect() as con:
        rows = stored.commentary_in_force(con, quarter, as_at)
    return {r[2]: Commentary(*r) for r in rows}


def history(store: Store, quarter: str, subject: str) -> list[Commentary]:
    """Every version, newest first."""
    with store.connect() as con:
        rows = stored.commentary_history(con, quarter, subject)
    return [Commentary(*r) for r in rows]


def histories(store: Store, quarter: str) -> dict[str, list[Commentary]]:
    """Every subject's versions for the quarter, newest first (one read for a whole page)."""
    with store.connect() as con:
        rows = stored.commentary_histories(con, quarter)
    out: dict[str, list[Commentary]] = {}
    for r in rows:
        out.setdefault(r[2], []).append(Commentary(*r))
    return out


def save(
    store: Store,
    charter: Charter,
    actor: Actor,
    quarter: str,
    subject: str,
    texts: tuple[str, str, str],
    *,
    based_on: int,
    figure: Figure | None = None,
    copied_from: str | None = None,
) -> Commentary:
    """Save a new version of (what is happening, why, what next). `based_on` is the version
    the author started from (0 for none); anything newer means a conflict."""
    require(actor, {MEMBER, CHAIR}, "write commentary")
    quarter, subject = known_quarter(store, quarter), check_subject(charter, subject)
    what = plain(texts[0], "what is happening")
    why = plain(texts[1], "why it is happening")
    next_ = plain(texts[2], "what happens next")
    if based_on < 0:
        raise Conflict(f"There is no version {based_on} of this commentary to start from.")
    try:
        return _add(store, actor, quarter, subject, (what, why, next_), based_on, figure,
                    copied_from)  # fmt: skip
    except Concurrent:  # lost every retry: show the latest text if there is one by now
        theirs = history(store, quarter, subject)
        if not theirs:
            raise
        raise EditConflict(theirs[0], (what, why, next_)) from None


@one_after_the_other
def _add(
    store: Store,
    actor: Actor,
    quarter: str,
    subject: str,
    texts: tuple[str, str, str],
    based_on: int,
    figure: Figure | None,
    copied_from: str | None,
) -> Commentary:
    what, why, next_ = texts
    now = datetime.now()
    key = {"quarter": quarter, "subject": subject}
    with writing(store, "this commentary") as con:
        refuse_if_signed_off(con, quarter, "commentary")
        latest = stored.latest_commentary_version(con, quarter, subject)
        newest = stored.commentary_history(con, quarter, subject)[0] if latest else None
        previous = Commentary(*newest) if newest else None
        if latest != based_on:
            if previous is None:  # the version it was based on is not there (or withdrawn)
                raise Conflict(
                    f"This commentary has no version {based_on} (it has none yet): the page "
                    "was out of date. Your text has not been saved; look again, then save it."
                )
            raise EditConflict(previous, (what, why, next_))
        params = {
            **key,
            "version": latest + 1,
            "what": what,
            "why": why,
            "next": next_,
            "by": actor.label,
            "at": now,
            "figure_period": figure.period if figure else None,
            "figure_value": figure.value if figure else None,
            "figure_shown": figure.shown if figure else None,
            "copied_from": copied_from,
        }
        stored.add_commentary(con, params)
        audit.record(
            con,
            actor,
            "commentary copied forward" if copied_from else "commentary written",
            f"{quarter}, {subject}",
            f"Version {latest + 1}" + (f", copied from {copied_from}" if copied_from else ""),
            before=_words(previous.what, previous.why, previous.next) if previous else None,
            after=_words(what, why, next_),
            at=now,
        )
        # Read back inside the write's own transaction: a read after the commit can fail
        # (the database server restarting) and would call a stored save refused.
        saved = Commentary(*stored.commentary_history(con, quarter, subject)[0])
    return saved


def copy_forward(
    store: Store, charter: Charter, actor: Actor, quarter: str, subject: str, previous: str
) -> Commentary:
    """Start this quarter's commentary from `previous` quarter's text, marked as copied until
    someone edits it. Only a subject with no commentary yet this quarter starts so: one
    written meanwhile is a conflict (its text shown), never replaced by last quarter's."""
    quarter, previous = check_quarter(quarter), check_quarter(previous)
    source = current(store, previous).get(subject)
    if source is None:
        raise ReviewError(f"There is no commentary for {previous} to copy.")
    return save(
        store,
        charter,
        actor,
        quarter,
        subject,
        (source.what, source.why, source.next),
        based_on=0,
        figure=Figure(source.figure_period, source.figure_value, source.figure_shown or ""),
        copied_from=previous,
    )
