"""Costs beside outcomes: what we spend on each service in the charter (the council's finance
return), per child reached and per child living in the area, against England, the region
and our neighbours per child (DfE's section 251 outturn, imported through the published-
statistics path), beside the outcomes of the statements the service is for (their status
and indicators, as the reader may see them: the disclosure policy decides), with the caveats
in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from charter import Charter
from metrics.assess.rollup import StatementStatus, charter_status, quarters_with_data
from metrics.periods.model import PeriodKind
from metrics.periods.text import parse_period
from metrics.publish.policy import Audience, CountCell, DisclosurePolicy, StatusCells
from metrics.rounding import fmt_half_up, round_half_up
from metrics.store import needs as stored
from metrics.store.connection import Store

CAVEATS = (
    "Spend is the council's own finance return; England's, the region's and neighbours' are "
    "DfE's section 251 outturn, whose lines are not drawn exactly as our services are, and "
    "may be for another year (each is named). Spend per child living in the area divides by "
    "every child aged 0 to 17, as section 251 does; spend per child reached divides by the "
    "children the service reached, which section 251 does not publish. Outcomes are the "
    "statements' latest status: spend and outcome sit side by side, and neither says the one "
    "caused the other."
)
COLUMNS = (
    "year", "service", "spend", "children_reached", "per_child_reached",
    "per_child_in_area", "s251_year", "our_s251_per_child", "england_per_child",
    "region_per_child", "neighbours_per_child", "statements", "outcomes", "in_words",
)  # fmt: skip


class NoCosts(ValueError):
    """No needs.yaml, or no finance return for the year asked."""


@dataclass(frozen=True)
class Comparison:
    year: str | None
    ours: float | None
    england: float | None
    region: float | None
    neighbours: float | None
    neighbour_count: int = 0


@dataclass(frozen=True)
class ServiceCost:
    service: str
    name: str
    year: str
    spend: float
    children: int | None
    population: int
    comparison: Comparison
    outcomes: list[StatementStatus] = field(default_factory=list)
    indicators: tuple[str, ...] = ()  # the service's own outcome indicators (needs.yaml)
    children_withheld: bool = False  # a small number, withheld from a public reader

    @property
    def per_child_reached(self) -> float | None:
        return self.spend / self.children if self.children else None

    @property
    def per_child_in_area(self) -> float:
        return self.spend / self.population

    def words(self) -> str:
        money = f"£{fmt_half_up(self.spend, 0)}"
        said = f"In {self.year} we spent {money} on {self.name.lower()}"
        if self.per_child_reached is not None:
            said += (
                f", £{fmt_half_up(self.per_child_reached, 0)} for each of the "
                f"{self.children:,} children it reached"
            )
        elif self.children_withheld:
            said += " (how many children it reached is withheld: [c], a small number)"
        said += f" (£{fmt_half_up(self.per_child_in_area, 2)} per child living in the area"
        c = self.comparison
        if c.england is not None:
            said += f"; England £{fmt_half_up(c.england, 2)} per child in {c.year}"
        said += ")."
        for s in self.outcomes:
            said += f" Statement {s.number} ({s.short_title}): {s.status}."
        return said


def _years(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.connect() as con:
        return stored.spend(con), stored.outturn(con)


def comparison(
    charter: Charter, outturn: list[tuple[Any, ...]], service: str, year: str
) -> Comparison:
    """The section 251 per-child figures for a service: the year asked if imported, else the
    latest before it, else the latest."""
    rows = [r for r in outturn if r[4] == service]
    years = sorted({r[0] for r in rows})
    if not years:
        return Comparison(None, None, None, None, None)
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[-1]
    per = {r[1]: r[6] for r in rows if r[0] == chosen}
    codes = [c for c in charter.neighbours().codes if per.get(c) is not None]
    return Comparison(
        chosen,
        per.get(charter.council.code),
        per.get("E92000001"),
        per.get(charter.council.region.code),
        mean(per[c] for c in codes) if codes else None,
        len(codes),
    )


def costs(
    store: Store, charter: Charter, audience: Audience, year: str | None = None
) -> list[ServiceCost]:
    """Every service's spend in `year` (default: the latest in the finance return) beside
    its comparison and its statements' outcomes as `audience` may see them."""
    if charter.needs is None:
        raise NoCosts("There is no charter/needs.yaml, so there are no services to cost.")
    spend, outturn = _years(store)
    years = sorted({r[0] for r in spend})
    if not years:
        raise NoCosts("No finance return has been loaded yet.")
    if year is not None:
        year = parse_period(year, PeriodKind.FINANCIAL_YEAR).label
        if year not in years:
            raise NoCosts(f"There is no finance return for {year} (returns: {', '.join(years)}).")
    year = year or years[-1]
    population = sum(loc.population.children for loc in charter.needs.localities.values())
    statuses = _outcomes(store, charter, audience, year)
    policy = DisclosurePolicy(charter)
    out = []
    for _, service, amount, children in (r for r in spend if r[0] == year):
        if service not in charter.needs.services:
            continue
        svc = charter.needs.services[service]
        mine = [s for s in statuses if s.number in svc.statements]
        cmp = comparison(charter, outturn, service, year)
        reached = policy.publish(CountCell(children), audience)  # a small number withheld
        out.append(ServiceCost(service, svc.name, year, float(amount), reached.count,
                               population, cmp, mine, tuple(svc.indicators),
                               reached.withheld is not None))  # fmt: skip
    return out


def _outcomes(
    store: Store, charter: Charter, audience: Audience, year: str
) -> list[StatementStatus]:
    """The statements' status at the latest quarter of the year (or the latest quarter
    with figures, if the year's are not in), as `audience` may see them."""
    found = quarters_with_data(store, charter)
    if not found:
        return []
    in_year = [q for q in found if q.startswith(year)]
    quarter = parse_period((in_year or found)[-1], PeriodKind.FY_QUARTER)
    statuses = charter_status(store, charter, quarter)
    return DisclosurePolicy.audited(store, charter).publish(StatusCells(statuses), audience)


def _money(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round_half_up(value, places)


def rows(found: list[ServiceCost]) -> list[dict[str, Any]]:
    """One row per service, for a table, CSV or JSON."""
    return [
        {
            "year": c.year,
            "service": c.name,
            "spend": _money(c.spend, 0),
            "children_reached": "[c]" if c.children_withheld else c.children,
            "per_child_reached": _money(c.per_child_reached, 0),
            "per_child_in_area": _money(c.per_child_in_area),
            "s251_year": c.comparison.year,
            "our_s251_per_child": _money(c.comparison.ours),
            "england_per_child": _money(c.comparison.england),
            "region_per_child": _money(c.comparison.region),
            "neighbours_per_child": _money(c.comparison.neighbours),
            "statements": "; ".join(f"{s.number} {s.short_title}" for s in c.outcomes),
            "outcomes": "; ".join(
                f"{i.title}: {i.shown} ({i.status})"
                for s in c.outcomes
                for i in s.indicators
                if i.id in c.indicators
            )
            or "; ".join(f"statement {s.number}: {s.status}" for s in c.outcomes),
            "in_words": c.words(),
        }
        for c in found
    ]
