"""Status, first version: RAG against target, freshness, direction of travel, and each
statement's roll-up, every one with a plain-English reason.

Rules (also in the README):
- An indicator is assessed on the figure for the period due at the chosen quarter (the
  quarter itself for quarterly indicators; the latest year or term ended by then for annual
  and termly ones, which may lag one period because they are published later).
- No figure for that period (or only a symbol such as c): "no recent data", never green.
- No target (context indicators): "no target", never green.
- Otherwise on track when the target is met, at risk when within the tolerance, else off track,
  read through polarity (lower is better for waits).
- A statement is "not evidenced" when none of its indicators could be assessed; on track when
  at least `on_track_share` of the assessed ones are on track and none is off track; off track
  when at least `off_track_share` are off track; otherwise at risk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from charter import Charter, Indicator, Statement
from metrics.narrative import PERIOD_WORDS, STATUS_WORDS, fmt_change, fmt_target, fmt_value
from metrics.periods import Period, parse_period
from metrics.store import Store
from metrics.template import period_for as due_period

LAG_ALLOWED = {"quarterly": 0, "monthly": 0, "termly": 1, "annual": 1}

CURRENT_TOTALS = """
SELECT o.indicator_id, o.period, p.kind, p.start_date, o.value, o.symbol, o.status, o.is_revision
FROM observations o JOIN periods p ON p.label = o.period
WHERE o.area_code = $area AND o.breakdown = '' AND o.superseded_by IS NULL
ORDER BY o.indicator_id, p.start_date
"""

QUARTERS = """
SELECT DISTINCT o.period, p.start_date FROM observations o JOIN periods p ON p.label = o.period
WHERE p.kind = 'fy_quarter' AND o.area_code = $area AND o.superseded_by IS NULL
ORDER BY p.start_date DESC
"""


@dataclass(frozen=True)
class Point:
    period: str
    value: float | None
    symbol: str | None
    status: str
    revised: bool


@dataclass
class IndicatorStatus:
    id: str
    title: str
    period: str | None  # the period of the figure assessed
    due: str  # the period due at the chosen quarter
    value: float | None
    symbol: str | None
    shown: str  # the value as words, e.g. 52.0%
    target: float | None
    status: str
    direction: str | None  # against the previous period
    direction_year: str | None  # against the same period last year
    change: float | None  # value - previous value
    provisional: bool
    revised: bool
    reason: str
    history: list[float | None] = field(default_factory=list)  # for sparklines, oldest first


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

    def movers(self, charter: Charter) -> list[IndicatorStatus]:
        """The indicators that moved most since the previous period, largest first."""
        moved = [
            i for i in self.indicators if i.change and i.direction in ("improving", "worsening")
        ]
        return sorted(moved, key=lambda i: -_relative(i))


def _relative(i: IndicatorStatus) -> float:
    base = abs((i.value or 0) - (i.change or 0)) or 1.0
    return abs(i.change or 0) / base


def _direction(ind: Indicator, now: float | None, then: float | None) -> str | None:
    if now is None or then is None:
        return None
    delta = round(now, ind.decimals) - round(then, ind.decimals)
    if abs(delta) < 10 ** -(ind.decimals + 3):
        return "no_change"
    if ind.polarity == "neutral":
        return "increased" if delta > 0 else "decreased"
    better = delta > 0 if ind.polarity == "higher_is_better" else delta < 0
    return "improving" if better else "worsening"


def _rag(ind: Indicator, value: float) -> str:
    assert ind.target is not None
    tolerance = ind.tolerance or 0.0
    gap = value - ind.target if ind.polarity == "higher_is_better" else ind.target - value
    if gap >= 0:
        return "on_track"
    return "at_risk" if -gap <= tolerance else "off_track"


def _comparison_words(ind: Indicator, direction: str | None, direction_year: str | None) -> str:
    unit = PERIOD_WORDS[ind.frequency]
    words = {
        "improving": "better than",
        "worsening": "worse than",
        "no_change": "the same as",
        "increased": "higher than",
        "decreased": "lower than",
    }
    parts = []
    if direction:
        parts.append(f"{words[direction]} last {unit}")
    if direction_year and ind.frequency != "annual":
        parts.append(f"{words[direction_year]} a year ago")
    return "; ".join(parts)


def indicator_status(ind: Indicator, points: list[Point], quarter: Period) -> IndicatorStatus:
    """The status of one indicator at `quarter`, from its current figures (oldest first)."""
    due = due_period(ind, quarter)
    by_period = {p.period: p for p in points}
    lag = LAG_ALLOWED[ind.frequency]
    candidates = [due.shift(-k) for k in range(lag + 1)]
    point = next((by_period[c.label] for c in candidates if c.label in by_period), None)
    history = [p.value for p in points if parse_period(p.period).start <= due.start][-8:]
    base = IndicatorStatus(
        ind.id,
        ind.title,
        None,
        due.label,
        None,
        None,
        "–",
        ind.target,
        "no_recent_data",
        None,
        None,
        None,
        False,
        False,
        "",
        history,
    )
    if point is None:
        older = [p for p in points if parse_period(p.period).start < due.start]
        base.reason = (
            f"No recent data: the latest figure is for {older[-1].period}, but {due.label} is due."
            if older
            else "No recent data: no figures have been supplied yet."
        )
        return base
    period = parse_period(point.period)
    base.period, base.value, base.symbol = point.period, point.value, point.symbol
    base.provisional, base.revised = point.status == "provisional", point.revised
    base.shown = fmt_value(point.value, ind, point.symbol)
    if point.value is None:
        base.reason = (
            f"No recent data: the {point.period} figure is not available as a number "
            f"({base.shown})."
        )
        return base
    prev = by_period.get(period.previous().label)
    last_year = by_period.get(period.same_period_last_year().label)
    base.direction = _direction(ind, point.value, prev.value if prev else None)
    base.direction_year = _direction(ind, point.value, last_year.value if last_year else None)
    if prev and prev.value is not None:
        base.change = point.value - prev.value
    notes = " (provisional)" if base.provisional else ""
    compare = _comparison_words(ind, base.direction, base.direction_year)
    tail = f"; {compare}." if compare else "."
    if ind.target is None or ind.polarity == "neutral":
        base.status = "no_target"
        base.reason = f"No target: {base.shown}{notes} in {point.period} (context){tail}"
        return base
    base.status = _rag(ind, point.value)
    against = f"{base.shown}{notes} in {point.period} against a target of {fmt_target(ind)}"
    if base.status == "at_risk":
        against += f", within the tolerance of {fmt_change(ind.tolerance or 0, ind)}"
    base.reason = f"{STATUS_WORDS[base.status]}: {against}{tail}"
    return base


def rollup(
    statement: Statement, statuses: list[IndicatorStatus], charter: Charter
) -> StatementStatus:
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
    )


def current_points(store: Store, area: str) -> dict[str, list[Point]]:
    """Every indicator's current totals for one area, oldest first."""
    with store.connect() as con:
        rows = con.execute(CURRENT_TOTALS, {"area": area}).fetchall()
    out: dict[str, list[Point]] = {}
    for ident, period, _kind, _start, value, symbol, status, revised in rows:
        out.setdefault(ident, []).append(Point(period, value, symbol, status, bool(revised)))
    return out


def charter_status(store: Store, charter: Charter, quarter: Period) -> list[StatementStatus]:
    points = current_points(store, charter.council.code)
    statuses = {
        i.id: indicator_status(i, points.get(i.id, []), quarter)
        for i in charter.indicators.values()
    }
    return [
        rollup(s, [statuses[i.id] for i in charter.indicators_for(s.number)], charter)
        for s in charter.statements
    ]


def quarters_with_data(store: Store, charter: Charter, today: date | None = None) -> list[str]:
    """Quarters with figures for our council that have ended, newest first."""
    today = today or date.today()
    with store.connect() as con:
        rows = con.execute(QUARTERS, {"area": charter.council.code}).fetchall()
    return [label for label, _ in rows if parse_period(label).end < today]


def as_json(statements: list[StatementStatus]) -> list[dict[str, object]]:
    keep = (
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
            "indicators": [{k: v for k, v in asdict(i).items() if k in keep} for i in s.indicators],
        }
        for s in statements
    ]
