"""Which sections a meeting pack holds, and in what order: the chair's choice, saved per
audience (planning group, scrutiny). Each choice is a new version, audited in its own
transaction; a signed-off quarter's pack uses the choice in force at its sign-off, so a pack
made again later is the pack that was signed off. How statuses are worked out and the
small-numbers rule ("method") are always in: a reader must be able to read the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metrics.access import audit
from metrics.access.people import CHAIR, Actor, require
from metrics.access.writing import ReviewError, writing
from metrics.store import outlook as stored
from metrics.store.connection import Store

SECTIONS = {
    "key messages": "Key messages",
    "statements": "How we are doing: the 12 charter statements",
    "scorecard": "Scorecard: every measure over the last quarters",
    "exceptions": "Measures needing attention",
    "evidence": "What families and front-line staff tell us",
    "actions": "Actions due and overdue",
    "measures": "Every measure",
    "benchmarks": "How we compare: England, the region, neighbours and every council",
    "questions": "Members' questions",
    "quality": "Data quality",
    "needs": "Identifying local need: the baseline by locality",
    "method": "How statuses are worked out, and small numbers",
}
DEFAULT = tuple(SECTIONS)
ALWAYS = ("method",)
CHOSEN = "pack sections chosen"


@dataclass(frozen=True)
class Choice:
    audience: str
    version: int
    sections: tuple[str, ...]
    chosen_by: str
    chosen_at: datetime


def chosen(store: Store, audience: str, as_at: datetime | None = None) -> Choice | None:
    """The audience's choice in force (as at `as_at`), or None: every section, in order."""
    with store.connect() as con:
        rows = stored.pack_sections(con, audience, as_at)
    if not rows:
        return None
    aud, version, sections, by, at = rows[0]
    return Choice(aud, version, tuple(sections.split(",")), by, at)


def sections_for(store: Store, audience: str, as_at: datetime | None = None) -> tuple[str, ...]:
    found = chosen(store, audience, as_at)
    return found.sections if found else DEFAULT


def choose(
    store: Store,
    actor: Actor,
    audience: str,
    sections: list[str],
    audiences: tuple[str, ...],
    now: datetime | None = None,
) -> Choice:
    """Save the chair's choice of sections, in order, for `audience`."""
    require(actor, {CHAIR}, "choose a pack's sections")
    if audience not in audiences:
        raise ReviewError(
            f"A pack's audience is one of: {', '.join(audiences)} (not {audience!r})."
        )
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ReviewError(f"There is no pack section {unknown[0]!r}.")
    if len(set(sections)) != len(sections):
        raise ReviewError("Each section can be in a pack once.")
    missing = [SECTIONS[s] for s in ALWAYS if s not in sections]
    if missing:
        raise ReviewError(f"Every pack keeps '{missing[0]}': readers need it to read the rest.")
    at = now or datetime.now()
    with writing(store, "this pack's sections") as con:
        version = stored.pack_sections_version(con, audience) + 1
        before = stored.pack_sections(con, audience)
        stored.add_pack_sections(con, audience, version, ",".join(sections), actor.label, at)
        audit.record(
            con, actor, CHOSEN, f"pack:{audience}",
            f"Sections of the {audience} pack, version {version}",
            before=before[0][2] if before else None, after=",".join(sections), at=at,
        )  # fmt: skip
    return Choice(audience, version, tuple(sections), actor.label, at)
