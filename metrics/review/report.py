"""One quarter's review in one structure: state, exceptions with their commentary, agreed
statuses beside computed ones, and the actions. What the review page, the command line's
`review` and later the meeting packs all read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from charter import Charter
from metrics.assess.rollup import StatementStatus, charter_status
from metrics.periods.text import parse_period
from metrics.review import actions, agreed, commentary, cycle
from metrics.review.common import SIGNED_OFF, indicator_subject, statement_subject
from metrics.store.connection import Store


@dataclass
class Exception_:
    indicator_id: str
    title: str
    status: str
    why_exception: str
    reason: str
    shown: str
    value: float | None
    period: str | None
    owner: str
    commentary: commentary.Commentary | None
    stale: bool

    @property
    def commentary_state(self) -> str:
        if self.commentary is None:
            return "missing"
        if self.commentary.copied_from:
            return "copied, not yet edited"
        return "possibly stale" if self.stale else "written"


@dataclass
class Report:
    review: cycle.QuarterReview
    statements: list[StatementStatus]
    exceptions: list[Exception_]
    agreed: dict[str, agreed.Agreed]
    commentary: dict[str, commentary.Commentary]
    actions: list[actions.Action]
    revised: dict[str, tuple[cycle.Pinned, Any]]
    # for a public reader: subject -> why its agreed status and commentary are not published
    held_back: dict[str, str] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return sum(e.commentary_state in ("written", "possibly stale") for e in self.exceptions)

    def headline(self) -> str:
        return self.review.headline(self.written, len(self.exceptions))


def _previous_quarter(quarter: str) -> str:
    return parse_period(quarter).previous().label


def build(
    store: Store,
    charter: Charter,
    quarter: str,
    today: date | None = None,
    statements: list[StatementStatus] | None = None,
) -> Report:
    """The review of `quarter`; a signed-off quarter's commentary, agreed statuses and action
    states are read as they stood at sign-off. `statements`: the quarter's statuses as the
    reader may see them (with small numbers withheld), when not worked out here."""
    review = cycle.read(store, quarter)
    pinned_at = review.signed_off_at if review.state == SIGNED_OFF else None
    if statements is None:
        statements = charter_status(store, charter, parse_period(review.quarter))
    written = commentary.current(store, review.quarter, as_at=pinned_at)
    found = []
    for i in cycle.exceptions(statements):
        c = written.get(indicator_subject(i.id))
        now = commentary.Figure(i.period, i.value, i.shown)
        found.append(
            Exception_(
                i.id,
                i.title,
                i.status,
                cycle.exception_words(i),
                i.reason,
                i.shown,
                i.value,
                i.period,
                charter.owner_name(charter.indicators[i.id].owner),
                c,
                bool(c and c.is_stale(now)),
            )
        )
    return Report(
        review,
        statements,
        found,
        agreed.current(store, review.quarter, as_at=pinned_at),
        written,
        actions.listed(store, as_at=pinned_at, today=today),
        cycle.revised_since_sign_off(review, statements),
    )


def last_meeting_actions(store: Store, quarter: str) -> list[actions.Action]:
    """Actions agreed in the previous quarter's review, with what has happened since."""
    previous = _previous_quarter(quarter)
    return [a for a in actions.listed(store) if a.agreed_quarter == previous]


def as_json(report: Report, charter: Charter, today: date | None = None) -> dict[str, Any]:
    """For `python -m metrics review --format json`."""
    r = report.review

    def words(c: commentary.Commentary | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {
            "what": c.what,
            "why": c.why,
            "next": c.next,
            "written_by": c.written_by,
            "written_at": c.written_at.isoformat(timespec="seconds"),
            "written_against": c.written_against(),
            "copied_from": c.copied_from,
        }

    statements = []
    for s in report.statements:
        a = report.agreed.get(statement_subject(s.number))
        statements.append(
            {
                "number": s.number,
                "title": s.short_title,
                "computed_status": s.status,
                "agreed_status": a.status if a else None,
                "agreed_reason": a.reason if a else None,
                "commentary": words(report.commentary.get(statement_subject(s.number))),
            }
        )
    return {
        "quarter": r.quarter,
        "state": r.state,
        "headline": report.headline(),
        "meeting_date": r.meeting_date.isoformat() if r.meeting_date else None,
        "signed_off_at": r.signed_off_at.isoformat(timespec="seconds") if r.signed_off_at else None,
        "signed_off_by": r.signed_off_by,
        "exceptions": [
            {
                "indicator": e.indicator_id,
                "title": e.title,
                "computed_status": e.status,
                "why_exception": e.why_exception,
                "figure": e.shown,
                "period": e.period,
                "owner": e.owner,
                "agreed_status": (a := report.agreed.get(indicator_subject(e.indicator_id)))
                and a.status,
                "commentary_state": e.commentary_state,
                "commentary": words(e.commentary),
            }
            for e in report.exceptions
        ],
        "statements": statements,
        "actions": [action_json(a, charter, today) for a in report.actions],
        "revised_since_sign_off": {
            k: {
                "period": pin.period,
                "at_sign_off": pin.shown,
                "now": now.shown,
                "status_at_sign_off": pin.status,
                "status_now": now.status,
                "words": cycle.changed_words(pin, now),
            }
            for k, (pin, now) in report.revised.items()
        },
    }


def action_json(a: actions.Action, charter: Charter, today: date | None = None) -> dict[str, Any]:
    owner = charter.owners.get(a.owner)
    return {
        "id": a.action_id,
        "title": a.title,
        "statement": a.statement,
        "indicators": a.indicator_ids,
        "owner": charter.owner_name(a.owner),
        "organisation": owner.organisation if owner else None,
        "due": a.due.isoformat(),
        "status": a.status,
        "overdue": a.overdue(today),
        "latest_note": a.note,
        "agreed_in": a.agreed_quarter,
    }
