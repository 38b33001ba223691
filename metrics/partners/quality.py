"""How far to trust each figure, per quarter: completeness (returns expected and received,
figures and breakdowns missing), timeliness (on time, late, overdue, whom to chase), validity
(unusual figures confirmed, value vs numerator/denominator, symbols, revisions, provisional)
and provenance (which provider, which upload or release, who accepted it and when). Each
indicator gets a rating, good / some concerns / poor, with its reasons in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from charter import Charter
from metrics.ingest.published.rules import disagreement
from metrics.partners.due import Expected, expected, working_days_between
from metrics.periods.due import due_period as period_for
from metrics.periods.model import Period
from metrics.periods.text import parse_period
from metrics.store import partners as stored
from metrics.store.connection import Store

GOOD, CONCERNS, POOR = "good", "some concerns", "poor"


@dataclass(frozen=True)
class ReturnState:
    """One expected return and how it stands."""

    provider: str
    indicator_id: str
    period: str
    due: date
    received: datetime | None
    via: str  # "submission 12" or "upload 5"
    state: str  # on time | late | overdue | not yet due
    days_late: int  # working days after the due date (received, or today for overdue)
    returned: int  # submissions sent back for this return


@dataclass
class Validity:
    figures: int = 0
    provisional: int = 0  # figures, breakdown rows included
    total_provisional: bool = False  # the figure itself (the total) is provisional
    symbols: int = 0
    revised: int = 0
    disagreements: int = 0
    unusual_confirmed: int = 0  # in uploads whose unusual figures were confirmed


@dataclass(frozen=True)
class Provenance:
    indicator_id: str
    period: str
    breakdown: str
    provider: str | None
    upload_id: int
    source: str
    recorded_by: str  # who stored it: for a provider's return, the analyst who accepted it
    recorded_at: datetime
    submission: int | None


@dataclass(frozen=True)
class Rating:
    indicator_id: str
    rating: str  # good | some concerns | poor
    reasons: tuple[str, ...]

    def sentence(self) -> str:
        why = "; ".join(self.reasons)
        return f"Data quality: {self.rating}" + (f" ({why})" if why else "")


@dataclass
class Quality:
    quarter: str
    today: date
    returns: list[ReturnState] = field(default_factory=list)
    missing_figures: list[tuple[str, str]] = field(default_factory=list)  # (indicator, period)
    missing_breakdowns: dict[str, list[str]] = field(default_factory=dict)
    validity: dict[str, Validity] = field(default_factory=dict)
    provenance: list[Provenance] = field(default_factory=list)
    ratings: dict[str, Rating] = field(default_factory=dict)

    def by_provider(self) -> dict[str, dict[str, int]]:
        """Per provider: returns expected, received, on time, late, overdue."""
        out: dict[str, dict[str, int]] = {}
        for r in self.returns:
            row = out.setdefault(
                r.provider, {"expected": 0, "received": 0, "on time": 0, "late": 0, "overdue": 0}
            )
            row["expected"] += 1
            row["received"] += r.received is not None
            if r.state in ("on time", "late", "overdue"):
                row[r.state] += 1
        return out

    def overdue(self) -> list[ReturnState]:
        return [r for r in self.returns if r.state == "overdue"]


def _state(exp: Expected, received: datetime | None, today: date) -> tuple[str, int]:
    if received is None:
        if today <= exp.due:
            return "not yet due", 0
        return "overdue", working_days_between(exp.due, today)
    late = working_days_between(exp.due, received.date())
    return ("late", late) if late else ("on time", 0)


def quality(store: Store, charter: Charter, quarter: str, today: date | None = None) -> Quality:
    """The quarter's data quality for every indicator (a provider's or our own)."""
    today = today or date.today()
    q = parse_period(quarter)
    owed = expected(charter, q)
    periods = _periods(charter, q)
    council, labels = charter.council.code, sorted(set(periods.values()))
    with store.connect() as con:
        received = {(i, p): (at, via) for i, p, at, via in stored.received(con, council, labels)}
        back = stored.returned(con, labels)
        returned = {(prov, i, p): n for prov, i, p, n in back}
        figures = stored.current_figures(con, council, labels)
        supplied = {tuple(r) for r in stored.breakdowns_supplied(con, council, labels)}
    out = Quality(quarter, today)
    for exp in owed:
        at, via = received.get((exp.indicator_id, exp.period.label), (None, ""))
        state, days = _state(exp, at, today)
        n = returned.get((exp.provider, exp.indicator_id, exp.period.label), 0)
        out.returns.append(
            ReturnState(
                exp.provider, exp.indicator_id, exp.period.label, exp.due, at, via, state, days, n
            )
        )
    _figures(out, charter, periods, figures)
    for ind_id in charter.indicators:
        dropped = [d for d in out.missing_breakdowns.get(ind_id, []) if (ind_id, d) in supplied]
        out.ratings[ind_id] = _rating(out, charter, ind_id, periods.get(ind_id), dropped)
    return out


def _periods(charter: Charter, q: Period) -> dict[str, str]:
    """Each indicator's period reported at the quarter (as in the quarter's return)."""
    return {ind.id: period_for(ind, q).label for ind in charter.indicators.values()}


def _figures(
    out: Quality, charter: Charter, periods: dict[str, str], rows: list[tuple[Any, ...]]
) -> None:
    have: dict[str, set[str]] = {}
    for (
        ind_id,
        period,
        bd,
        value,
        num,
        den,
        symbol,
        status,
        revised,
        upload,
        by,
        at,
        source,
        message,
        provider,
        submission,
    ) in rows:
        if ind_id not in charter.indicators or periods.get(ind_id) != period:
            continue
        have.setdefault(ind_id, set()).add(bd)
        v = out.validity.setdefault(ind_id, Validity())
        v.figures += 1
        v.provisional += status == "provisional"
        v.total_provisional |= bd == "" and status == "provisional"
        v.symbols += symbol is not None
        v.revised += bool(revised)
        v.disagreements += disagreement(charter.indicators[ind_id], value, num, den) is not None
        v.unusual_confirmed += "unusual figure" in (message or "")
        out.provenance.append(
            Provenance(ind_id, period, bd, provider, upload, source, by, at, submission)
        )
    for ind in charter.indicators.values():
        got = have.get(ind.id, set())
        if "" not in got:
            out.missing_figures.append((ind.id, periods[ind.id]))
        missing = [d for d in ind.breakdowns if d not in got]
        if missing and got:
            out.missing_breakdowns[ind.id] = missing


def _rating(
    out: Quality, charter: Charter, ind_id: str, period: str | None, dropped: list[str]
) -> Rating:
    poor, concerns = [], []
    for r in out.returns:
        if r.indicator_id != ind_id:
            continue
        who = charter.providers[r.provider].name
        if r.state == "overdue":
            poor.append(f"{who}'s return is overdue by {_days(r.days_late)}")
        elif r.state == "late":
            concerns.append(f"{who}'s return came {_days(r.days_late)} late")
        if r.returned:
            concerns.append(f"{who}'s return was sent back {_times(r.returned)}")
    if (ind_id, period) in out.missing_figures:
        poor.append(f"no figure for {period}")
    v = out.validity.get(ind_id, Validity())
    if v.total_provisional:  # said only of a figure that is itself provisional
        concerns.append("the figure is provisional")
    elif v.provisional:
        n = v.provisional
        concerns.append(f"{n} of its breakdown figures {'is' if n == 1 else 'are'} provisional")
    if v.symbols:
        concerns.append(f"{v.symbols} figure{'s' if v.symbols != 1 else ''} withheld or missing")
    if v.disagreements:
        concerns.append("a value does not match its numerator and denominator")
    if v.revised:
        concerns.append(f"{v.revised} figure{'s' if v.revised != 1 else ''} revised")
    if dropped:
        concerns.append(f"no {' or '.join(dropped)} breakdown this time")
    rating = POOR if poor else CONCERNS if concerns else GOOD
    return Rating(ind_id, rating, tuple(poor + concerns))


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
