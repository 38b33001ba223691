"""The scorecard councillors expect: every measure a row, the last few quarters as columns,
each cell the measure's status at that quarter (symbol and word, never colour alone) and the
figure it was judged on; filtered by statement, owner, organisation or status and sorted by
what needs attention.

Each cell is the indicator's status as `metrics/assess/rollup.py` works it out for the
quarter (`charter_statuses`, which asks `metrics/assess/status.py`), published to the reader
by the one disclosure policy (`StatusCells`): a public reader's withheld figure is `[c]`
with the status "Withheld", never its real status. Nothing here judges a figure itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from charter import Charter
from metrics.assess.rollup import Known, charter_statuses
from metrics.assess.status import IndicatorStatus
from metrics.periods.model import Period, PeriodKind
from metrics.periods.text import parse_period
from metrics.publish import withheld
from metrics.publish.policy import DisclosurePolicy, StatusCells, audience_for
from metrics.store.connection import Store
from metrics.words.narrative import STATUS_ICONS, STATUS_WORDS

MOST_QUARTERS, FEWEST_QUARTERS, QUARTERS = 8, 1, 8
# What needs attention first: off track, at risk, then what cannot be judged (no figure, a
# withheld one), then on track, then measures kept for context without an aim.
ATTENTION = ("off_track", "at_risk", "no_recent_data", "withheld", "on_track", "no_target")
PROBLEMS = ("off_track", "at_risk")


@dataclass(frozen=True)
class Cell:
    """One measure at one quarter: its status and the figure it was judged on."""

    quarter: str
    status: str
    shown: str  # the figure in words: "78.8%", "[c]", "–"
    period: str | None  # the period of that figure (a year, for an annual measure)
    value: float | None

    @property
    def symbol(self) -> str:
        return STATUS_ICONS[self.status]

    @property
    def word(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def words(self) -> str:
        """The status and figure in words: "Off track: 78.8%", with the figure's period when
        it is not the quarter's own ("On track: 62.0% (2025/26)")."""
        figure = "" if self.shown in ("", "–", self.symbol) else f": {self.shown}"
        when = f" ({self.period})" if figure and self.period and self.period != self.quarter else ""
        return f"{self.word}{figure}{when}"

    @property
    def text(self) -> str:
        """The cell as one reads it, its symbol first: "✖ Off track: 78.8%"."""
        return f"{self.symbol} {self.words}"


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    statements: tuple[int, ...]
    owner: str  # owner id (owners.yaml)
    owner_name: str
    organisation: str  # organisation id
    organisation_name: str
    cells: tuple[Cell, ...]  # oldest first, one per quarter of the scorecard

    @property
    def latest(self) -> Cell:
        return self.cells[-1]

    def got_worse(self) -> bool:
        """The latest status is further down the attention order than the one before."""
        if len(self.cells) < 2:
            return False
        now, before = (_rank(c.status) for c in (self.cells[-1], self.cells[-2]))
        return now < before and now < ATTENTION.index("on_track")

    def troubled(self) -> int:
        """How many of the quarters shown were off track or at risk."""
        return sum(c.status in PROBLEMS for c in self.cells)


@dataclass(frozen=True)
class Scorecard:
    quarters: tuple[str, ...]  # oldest first
    rows: tuple[Row, ...]  # what needs attention first
    public: bool

    @property
    def latest(self) -> str:
        return self.quarters[-1]

    def filtered(
        self,
        statement: int | None = None,
        owner: str | None = None,
        organisation: str | None = None,
        status: Sequence[str] | None = None,
    ) -> Scorecard:
        """The rows about `statement`, led by `owner`, of `organisation`, whose latest status
        is among `status` (each filter only when given)."""
        unknown = [s for s in status or () if s not in ATTENTION]
        if unknown:
            raise ValueError(f"A status is one of {', '.join(ATTENTION)} (not {unknown[0]!r}).")
        rows = [
            r
            for r in self.rows
            if (statement is None or statement in r.statements)
            and (owner is None or r.owner == owner)
            and (organisation is None or r.organisation == organisation)
            and (not status or r.latest.status in status)
        ]
        return replace(self, rows=tuple(rows))

    def latest_only(self, n: int) -> Scorecard:
        """The last `n` quarters only (a phone's width)."""
        keep = max(1, n)
        return replace(
            self,
            quarters=self.quarters[-keep:],
            rows=tuple(replace(r, cells=r.cells[-keep:]) for r in self.rows),
        )


def _rank(status: str) -> int:
    return ATTENTION.index(status) if status in ATTENTION else len(ATTENTION)


def attention_order(rows: Sequence[Row]) -> list[Row]:
    """What needs attention first: by the latest status (off track first), then those that
    got worse since the quarter before, then those in trouble in more of the quarters shown,
    then the charter's order (a stable sort keeps it)."""
    return sorted(rows, key=lambda r: (_rank(r.latest.status), not r.got_worse(), -r.troubled()))


def quarters_to(quarter: str, count: int = QUARTERS) -> list[Period]:
    """The `count` quarters ending at `quarter`, oldest first."""
    if not FEWEST_QUARTERS <= count <= MOST_QUARTERS:
        raise ValueError(
            f"A scorecard shows {FEWEST_QUARTERS} to {MOST_QUARTERS} quarters (not {count})."
        )
    last = parse_period(quarter, PeriodKind.FY_QUARTER)
    return [last.shift(-k) for k in reversed(range(count))]


def build(
    store: Store,
    charter: Charter,
    quarter: str,
    count: int = QUARTERS,
    public: bool = True,
    hidden: dict[str, withheld.Withheld] | None = None,
    known: Known | None = None,
) -> Scorecard:
    """The scorecard for the `count` quarters to `quarter`, as `public` readers (what would be
    published) or staff see it; `hidden`, the withheld figures when already audited;
    `known`, the statuses when already worked out (`rollup.charter_statuses`)."""
    periods = quarters_to(quarter, count)
    if public and hidden is None:
        hidden = DisclosurePolicy.audited(store, charter).figures_withheld()
    found = charter_statuses(store, charter, periods, known)
    policy, audience = DisclosurePolicy(charter, hidden or {}), audience_for(public)
    by_quarter: list[dict[str, IndicatorStatus]] = []
    for statements in found:
        shown = policy.publish(StatusCells(statements), audience)
        by_quarter.append({i.id: i for s in shown for i in s.indicators})
    rows = []
    for ind in charter.indicators.values():
        owner = charter.owners.get(ind.owner)
        org = owner.organisation if owner else ""
        organisation = charter.organisations.get(org)
        cells = tuple(
            _cell(p.label, statuses[ind.id])
            for p, statuses in zip(periods, by_quarter, strict=True)
        )
        rows.append(
            Row(
                ind.id,
                ind.title,
                tuple(ind.statements),
                ind.owner,
                charter.owner_name(ind.owner),
                org,
                organisation.name if organisation else "",
                cells,
            )
        )
    return Scorecard(tuple(p.label for p in periods), tuple(attention_order(rows)), public)


def _cell(quarter: str, i: IndicatorStatus) -> Cell:
    return Cell(quarter, i.status, i.shown, i.period, i.value)


# -- as a table: the CSV, the JSON, the packs and the page's rows ---------------------------

FIXED = ("Measure", "Statements", "Lead", "Organisation")


def table_rows(card: Scorecard, symbols: bool = True) -> list[dict[str, str]]:
    """One row per measure, one column per quarter, each cell its symbol, status word and
    figure ("✖ Off track: 78.8%"; without `symbols`, "Off track: 78.8%"): the CSV, the
    spreadsheet, the packs and the page's table."""
    return [
        {
            "Measure": r.title,
            "Statements": ", ".join(str(n) for n in r.statements),
            "Lead": r.owner_name,
            "Organisation": r.organisation_name,
        }
        | {c.quarter: c.text if symbols else c.words for c in r.cells}
        for r in card.rows
    ]


def columns(card: Scorecard) -> list[str]:
    return [*FIXED, *card.quarters]


def as_json(card: Scorecard) -> dict[str, object]:
    return {
        "quarters": list(card.quarters),
        "published_view": card.public,
        "indicators": [
            {
                "id": r.id,
                "title": r.title,
                "statements": list(r.statements),
                "owner": r.owner,
                "organisation": r.organisation,
                "cells": [
                    {
                        "quarter": c.quarter,
                        "status": c.status,
                        "status_words": c.word,
                        "symbol": c.symbol,
                        "figure": c.shown,
                        "value": c.value,
                        "period": c.period,
                    }
                    for c in r.cells
                ],
            }
            for r in card.rows
        ],
    }
