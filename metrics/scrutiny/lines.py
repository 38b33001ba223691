"""The scrutiny view's lines: one indicator's facts in plain English (its figure, its change,
how it compares, for how long, what is being done), and one statement's."""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.review import actions as actions_mod
from metrics.words.narrative import STATUS_WORDS

ASSESSED = ("on_track", "at_risk", "off_track")


@dataclass
class Line:
    """One indicator, in plain English."""

    id: str
    title: str
    statement: int
    status: str
    figure: str  # "78.8% in 2026-27 Q2; the aim is 85% or more."
    change: str  # "Worse than the quarter before (80.1%)."
    real_change: str  # "The figures show a real change for the worse, not chance."
    compare: str  # "Worse than England (85.0%); 120th best of 150 councils."
    status_for: int  # periods in a row with this status
    moving_for: int  # periods in a row moving the same way (0: not moving)
    since_records: bool  # the run goes back as far as the quarters looked at
    direction: str | None
    period_word: str  # quarter, year, term
    owner: str
    worse_than_england: bool
    actions: list[actions_mod.Action] = field(default_factory=list)
    # open actions on its sister measures (actions_mod.sister_indicators): (sister, action)
    on_sisters: list[tuple[str, actions_mod.Action]] = field(default_factory=list)

    def how_long(self) -> str:
        """ "Off track for at least 8 quarters in a row"; nothing for an unassessed status."""
        if self.status not in ASSESSED:
            return ""
        n, unit = self.status_for, self.period_word
        status = STATUS_WORDS[self.status]
        if n <= 1:
            return f"{status} this {unit}."
        least = "at least " if self.since_records else ""
        return f"{status} for {least}{n} {unit}s in a row."

    def moving(self) -> str:
        n, unit = self.moving_for, self.period_word
        return f"for {n} {unit}s in a row" if n > 1 else f"this {unit}"


@dataclass
class StatementLine:
    number: int
    title: str
    status: str
    agreed_status: str | None
    agreed: str  # "Off track, because ...": the agreed status and why, or "Not separately agreed"
    headline: str  # the statement's lead figure: "EHC plans issued within 20 weeks: 78.8%"
    sentence: str
    held_back: bool = False  # `agreed` says why it is not published (public readers)
