"""Accountability: for each owner and each organisation, their indicators with statuses, their
open and overdue actions, and the commentary still missing. Worked out from a quarter's review
(report.py), once, for the Accountability page and the command line's `review`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from charter import Charter
from metrics.access.people import Actor
from metrics.review import actions
from metrics.review.report import Report
from metrics.words.narrative import STATUS_WORDS


@dataclass(frozen=True)
class OwnerSums:
    """One owner's share of the quarter: what they lead on and what they still owe."""

    owner: str  # the key in charter/owners.yaml
    name: str
    indicators: int
    off_track: int
    open_actions: int
    overdue_actions: int
    missing_commentary: int

    def row(self) -> dict[str, object]:
        """As the page's table shows it."""
        return {
            "Owner": self.name,
            "Indicators": self.indicators,
            "Off track": self.off_track,
            "Open actions": self.open_actions,
            "Overdue actions": self.overdue_actions,
            "Missing commentary": self.missing_commentary,
        }

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One line of the command line's `review`."""
        return (
            f"{self.indicators} indicators, {self.off_track} off track; "
            f"{self.open_actions} open actions, {self.overdue_actions} overdue; "
            f"{self.missing_commentary} missing commentary"
        )


def _missing(built: Report) -> set[str]:
    return {e.indicator_id for e in built.exceptions if e.commentary_state == "missing"}


def open_actions(built: Report, owners: set[str]) -> list[actions.Action]:
    """The owners' actions not yet closed."""
    return [a for a in built.actions if a.owner in owners and a.status not in actions.CLOSED]


def by_owner(built: Report, charter: Charter) -> list[OwnerSums]:
    """One entry per owner with indicators or open actions, in the charter's order."""
    missing = _missing(built)
    statuses = {i.id: i.status for s in built.statements for i in s.indicators}
    out = []
    for key in charter.owners:
        mine = [i for i, ind in charter.indicators.items() if ind.owner == key]
        acts = open_actions(built, {key})
        if not mine and not acts:
            continue
        out.append(
            OwnerSums(
                owner=key,
                name=charter.owner_name(key),
                indicators=len(mine),
                off_track=sum(statuses.get(i) == "off_track" for i in mine),
                open_actions=len(acts),
                overdue_actions=sum(a.overdue() for a in acts),
                missing_commentary=sum(i in missing for i in mine),
            )
        )
    return out


def indicator_rows(built: Report, charter: Charter, owners: set[str]) -> list[dict[str, object]]:
    """The owners' indicators, each once, with status, latest figure and missing commentary."""
    missing = _missing(built)
    seen: dict[str, dict[str, object]] = {}
    for s in built.statements:
        for i in s.indicators:
            if charter.indicators[i.id].owner in owners and i.id not in seen:
                seen[i.id] = {
                    "Indicator": i.title,
                    "Status": STATUS_WORDS[i.status],
                    "Latest": i.shown,
                    "Owner": charter.owner_name(charter.indicators[i.id].owner),
                    "Commentary": "missing" if i.id in missing else "",
                }
    return list(seen.values())


def owners_of(person: Actor, charter: Charter) -> set[str]:
    """The owners whose email (or, as before emails were kept, contact) is the person's."""
    email = person.email.strip().lower()
    return {
        k for k, o in charter.owners.items()
        if email and email in ((o.email or ""), o.contact.strip().lower())
    }  # fmt: skip


def owners_at(charter: Charter, organisation: str) -> set[str]:
    """The owners who belong to an organisation (a key in charter/organisations.yaml)."""
    return {k for k, o in charter.owners.items() if o.organisation == organisation}
