"""Each charter statement's status, rolled up from its indicators' (metrics/assess/status.py), for a
chosen quarter, read from the store.

A statement is "not evidenced" when none of its indicators could be assessed (its reason then
says when it is evidenced by what families and staff tell us instead: evidence items dated in
the year to the quarter's end); on track when
at least `on_track_share` of the assessed ones are on track and none is off track; off track
when at least `off_track_share` are off track; otherwise at risk (council.yaml, `rollup`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from charter import Charter, Statement
from metrics.assess import status_kept
from metrics.assess.status import IndicatorStatus
from metrics.assess.status_work import (  # re-exported: what a status is worked out from
    current_points as current_points,
    dated as dated,
    own_points as own_points,
    published_totals as published_totals,
)
from metrics.evidence.items import KINDS
from metrics.periods.model import Period
from metrics.periods.text import read_label
from metrics.store import assess as stored
from metrics.store.connection import Store
from metrics.words.narrative import STATUS_WORDS


@dataclass
class StatementStatus:
    number: int
    short_title: str
    title: str
    status: str
    reason: str
    on_track: int
    assessed: int
    total: int
    indicators: list[IndicatorStatus]
    evidence: int = 0  # evidence items in the year to the quarter's end

    def movers(self) -> list[IndicatorStatus]:
        """The indicators that moved most since the previous period, largest first."""
        moved = [
            i for i in self.indicators if i.change and i.direction in ("improving", "worsening")
        ]
        return sorted(moved, key=lambda i: -_relative(i))


def _relative(i: IndicatorStatus) -> float:
    base = abs((i.value or 0) - (i.change or 0)) or 1.0
    return abs(i.change or 0) / base


def rollup(
    statement: Statement,
    statuses: list[IndicatorStatus],
    charter: Charter,
    voice: list[str] | None = None,
) -> StatementStatus:
    """The statement's status from its indicators'; `voice` is the kinds of the evidence items
    about it in the year to the quarter's end."""
    rule = charter.council.rollup
    assessed = [s for s in statuses if s.status in ("on_track", "at_risk", "off_track")]
    on = sum(s.status == "on_track" for s in assessed)
    off = sum(s.status == "off_track" for s in assessed)
    risk = len(assessed) - on - off
    stale = sum(s.status == "no_recent_data" for s in statuses)
    context = sum(s.status == "no_target" for s in statuses)
    if not assessed:
        status = "not_evidenced"
    elif off / len(assessed) >= rule.off_track_share:
        status = "off_track"
    elif on / len(assessed) >= rule.on_track_share and off == 0:
        status = "on_track"
    else:
        status = "at_risk"
    if assessed:
        plural = "s" if len(assessed) != 1 else ""
        counts = f"{on} of {len(assessed)} assessed indicator{plural} on track"
        extra = [f"{n} {w}" for n, w in ((risk, "at risk"), (off, "off track")) if n]
        summary = counts + (f", {', '.join(extra)}" if extra else "")
    else:
        summary = "no indicator with a target has recent data"
    gaps = [f"{n} with no recent data" for n in (stale,) if n] + [
        f"{n} context indicator{'s' if n != 1 else ''} without a target" for n in (context,) if n
    ]
    reason = f"{STATUS_WORDS[status]}: {summary}" + (f"; {'; '.join(gaps)}" if gaps else "") + "."
    voice = voice or []
    if status == "not_evidenced" and voice:
        kinds = ", ".join(dict.fromkeys(KINDS.get(k, k).lower() for k in voice))
        reason = (
            f"Not evidenced by figures ({summary}), but evidenced by what families and staff "
            f"tell us: {len(voice)} evidence item{'s' if len(voice) != 1 else ''} in the last "
            f"year ({kinds})."
        )
    return StatementStatus(
        statement.number,
        statement.short_title,
        statement.title,
        status,
        reason,
        on,
        len(assessed),
        len(statuses),
        statuses,
        len(voice),
    )


def charter_status(store: Store, charter: Charter, quarter: Period) -> list[StatementStatus]:
    return charter_statuses(store, charter, [quarter])[0]


Known = Mapping[str, list[StatementStatus]]  # statuses already worked out, by quarter's label


def charter_statuses(
    store: Store, charter: Charter, quarters: list[Period], known: Known | None = None
) -> list[list[StatementStatus]]:
    """Every statement's status at each of `quarters`, reading the figures once for all;
    taken from `known` when it holds every one (a pack works them out once for its report,
    scrutiny history and scorecard). Each quarter is judged on the figures it would be
    judged on alone: a figure wanted for another quarter of the batch is never among the
    periods it compares with (`published_beside` takes the latest it is given)."""
    if known is not None and all(q.label in known for q in quarters):
        return [known[q.label] for q in quarters]
    with store.connect():  # one opening of the file for every read
        found = status_kept.statuses(store, charter, quarters)  # kept per indicator
        voices = recent_evidence(store, quarters)
    out = []
    for n, voice in enumerate(voices):
        statuses = {ident: each[n] for ident, each in found.items()}
        out.append(
            [
                rollup(
                    s,
                    [statuses[i.id] for i in charter.indicators_for(s.number)],
                    charter,
                    voice.get(s.number, []),
                )
                for s in charter.statements
            ]
        )
    return out


def recent_evidence(store: Store, quarters: list[Period]) -> list[dict[int, list[str]]]:
    """For each quarter, the kinds of evidence item about each statement in the year to the
    quarter's end."""
    years = [(date(q.end.year - 1, q.end.month, q.end.day), q.end) for q in quarters]
    since, until = min(y[0] for y in years), max(y[1] for y in years)
    with store.connect() as con:
        rows = stored.evidence_dated(con, since, until)
    out: list[dict[int, list[str]]] = []
    for start, end in years:
        voice: dict[int, list[str]] = {}
        for numbers, kind, on in rows:
            if start < on <= end:
                for n in numbers.split(","):
                    voice.setdefault(int(n), []).append(kind)
        out.append(voice)
    return out


def quarters_with_data(store: Store, charter: Charter, today: date | None = None) -> list[str]:
    """Quarters with figures for our council that have ended, newest first."""
    today = today or date.today()
    with store.connect() as con:
        rows = stored.quarters_with_figures(con, charter.council.code)
    readable = [(label, read_label(label)) for label, _ in rows]
    return [label for label, p in readable if p is not None and p.end < today]


def as_json(statements: list[StatementStatus]) -> list[dict[str, object]]:
    keep = (
        "variation",
        "assurance",
        "trial_limits",
        "spc_chart",
        "id",
        "title",
        "period",
        "value",
        "symbol",
        "target",
        "status",
        "direction",
        "direction_year",
        "provisional",
        "revised",
        "reason",
    )
    return [
        {
            "number": s.number,
            "title": s.short_title,
            "statement": s.title,
            "status": s.status,
            "reason": s.reason,
            "on_track": s.on_track,
            "assessed": s.assessed,
            "total": s.total,
            "indicators": [
                {k: v for k, v in asdict(i).items() if k in keep}
                | {"benchmark": i.benchmark.as_json() if i.benchmark else None}
                for i in s.indicators
            ],
        }
        for s in statements
    ]
