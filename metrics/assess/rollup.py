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
from dataclasses import asdict, dataclass, replace
from datetime import date

from charter import Charter, Indicator, Statement
from metrics.assess import trajectory
from metrics.assess.benchmark import area_values, published_as_at
from metrics.assess.status import (
    LAG_ALLOWED,
    IndicatorStatus,
    Point,
    indicator_status,
    published_beside,
)
from metrics.evidence.items import KINDS
from metrics.periods.due import due_period
from metrics.periods.model import Period, kind_for
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


def current_points(store: Store, area: str) -> dict[str, list[Point]]:
    """Every indicator's current totals for one area, oldest first."""
    with store.connect() as con:
        rows = stored.current_totals(con, area)
    out: dict[str, list[Point]] = {}
    for ident, period, value, symbol, status, revised, num, den in rows:
        if read_label(period) is None:  # listed on the upload history page, never a crash
            continue
        out.setdefault(ident, []).append(
            Point(period, value, symbol, status, bool(revised), num, den)
        )
    return out


def own_points(ind: Indicator, points: list[Point]) -> list[Point]:
    """An indicator's own periods: a quarterly measure's published years (DfE's figure for
    us) are compared beside its quarters, never assessed among them (alone, they are all
    there is, as in the trend)."""
    if ind.frequency == "annual":
        return points
    own = kind_for(ind.frequency, ind.year_basis)
    kept = [p for p in points if (when := read_label(p.period)) is not None and when.kind == own]
    return kept or points


def published_totals(store: Store) -> dict[str, list[str]]:
    """The periods each indicator has published figures for."""
    out: dict[str, list[str]] = {}
    with store.connect() as con:
        for ident, period in stored.published_totals(con):
            out.setdefault(ident, []).append(period)
    return out


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
    with store.connect():
        charter = trajectory.applied(charter, trajectory.in_force(store))  # the chair's steps
        points = current_points(store, charter.council.code)
        published = published_totals(store)
        wanted = [_wanted(charter, quarter, published) for quarter in quarters]
        values = area_values(store, list(dict.fromkeys(w for each in wanted for w in each)))
        as_at = published_as_at(store)
        voices = recent_evidence(store, quarters)
    out = []
    for quarter, voice, its in zip(quarters, voices, wanted, strict=True):
        by_indicator: dict[str, dict[str, dict[str, float]]] = {}
        for ident, period in dict.fromkeys(its):
            if (ident, period) in values:
                by_indicator.setdefault(ident, {})[period] = values[(ident, period)]
        statuses = {
            i.id: indicator_status(
                i, own_points(i, points.get(i.id, [])), quarter, charter, by_indicator.get(i.id, {})
            )
            for i in charter.indicators.values()
        }
        for ident, status in statuses.items():
            dated(status, as_at.get(ident))
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


def _wanted(
    charter: Charter, quarter: Period, published: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """The (indicator, period) figures that may be assessed at `quarter`, and the latest
    published year beside a figure tracked more often."""
    found = [
        (i.id, due_period(i, quarter).shift(-k).label)
        for i in charter.indicators.values()
        for k in range(LAG_ALLOWED[i.frequency] + 1)
    ]
    return found + [
        (i.id, year)
        for i in charter.indicators.values()
        if (year := published_beside(i, quarter, published.get(i.id, []))) is not None
    ]


def dated(status: IndicatorStatus, as_at: date | None) -> None:
    """Say how old the published figures beside a status are (its benchmark is a copy:
    cached statuses share theirs)."""
    b = status.benchmark
    if as_at is None or b is None or (b.england is None and b.rank is None):
        return
    status.benchmark = replace(b, as_at=as_at)
    status.reason = f"{status.reason.rstrip()} Published figures as at {as_at:%-d %B %Y}."


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
