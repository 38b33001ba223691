"""Every cell a public reader can see for a quarter, one row per cell: what the scrutiny page,
its tables and CSVs, the indicator pages a councillor opens and the scrutiny pack show, put
through the one disclosure policy (`withheld`). `python -m metrics published` writes it, so an
analyst can check a publication before it goes out and anyone can audit it; the intruder
test reads exactly these rows.

Rows: our council's figures for every period up to the one assessed at the quarter (totals
and every group of every breakdown), England's and the region's beside the totals, and the
status a public reader is given for the assessed figure. `value`, `numerator` and
`denominator` are as published: a number, `[c]` where withheld, empty where not supplied."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from charter import Charter, Indicator
from metrics.assess.rollup import charter_status
from metrics.assess.trend import GroupRow, trend
from metrics.periods.text import parse_period
from metrics.publish.disclosure import SYMBOL
from metrics.publish.policy import PUBLIC, DisclosurePolicy, GroupCells, Marker, StatusCells
from metrics.reference import sub_region_of
from metrics.store.connection import Store
from metrics.store.queries import area_figures
from metrics.words.narrative import STATUS_WORDS

COLUMNS = [
    "indicator",
    "period",
    "area",
    "breakdown",
    "group",
    "value",
    "numerator",
    "denominator",
    "status",
    "withheld",
]
SHOWN = f"[{SYMBOL}]"


def _number(x: float | None, symbol: str | None = None) -> object:
    if symbol:
        return f"[{symbol}]"
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else x


def _in_order(charter: Charter, dim: str) -> Callable[[GroupRow], tuple[int, str]]:
    """A table's rows in one order whatever the store's: the total, then each group where
    charter/breakdowns.yaml lists it (a group it does not list after, by name)."""
    listed = charter.breakdowns[dim].groups if dim in charter.breakdowns else []
    place = {g: n for n, g in enumerate(listed)}
    return lambda r: (place.get(r.group, len(listed)) if dim else -1, r.group)


def cells(store: Store, charter: Charter, quarter: str) -> list[dict[str, object]]:
    """Every published cell for `quarter`, as a public reader sees it."""
    end = parse_period(quarter).end
    policy = DisclosurePolicy.audited(store, charter)
    statuses = policy.publish(
        StatusCells(charter_status(store, charter, parse_period(quarter))), PUBLIC
    )
    assessed = {i.id: i for s in statuses for i in s.indicators}
    by_indicator: dict[str, dict[tuple[str, str], list[GroupRow]]] = defaultdict(
        lambda: defaultdict(list)
    )
    with store.connect():
        for ind_id, period, dim, grp, value, num, den, symbol in area_figures(
            store, charter.council.code, None
        ):
            row = GroupRow(str(grp), value, symbol, "", num, den)  # type: ignore[arg-type]
            by_indicator[str(ind_id)][(str(period), str(dim))].append(row)
        comparators = {ind: trend(store, charter, charter.indicators[ind]) for ind in by_indicator}
    half = sub_region_of(charter.council.code)
    out: list[dict[str, object]] = []
    for ind_id, tables in by_indicator.items():
        ind = charter.indicators.get(ind_id)
        if ind is None:
            continue
        status = assessed.get(ind_id)
        last = status.period if status and status.period else None
        published_periods = set()
        for (period, dim), rows in sorted(tables.items(), key=lambda t: _order(t[0])):
            p = parse_period(period)
            if p.end > end or (last and p.sort_key > parse_period(last).sort_key):
                continue  # not yet published at this quarter
            published_periods.add(period)
            rows = sorted(rows, key=_in_order(charter, dim))  # as the charter lists them
            for r in policy.publish(GroupCells(ind_id, period, dim, rows), PUBLIC):
                out.append(_row(ind, period, charter.council.code, dim, r, status, last))
        for t in comparators.get(ind_id, []):
            if t.period not in published_periods:
                continue
            areas = [(charter.council.england.code, t.england),
                     (charter.council.region.code, t.region)]  # fmt: skip
            if half is not None:  # a London borough's half of London, as its trend shows it
                areas.append((half.code, t.sub_region))
            for area, value in areas:
                if value is not None:
                    out.append(dict.fromkeys(COLUMNS, "") | {
                        "indicator": ind_id, "period": t.period, "area": area, "value": value,
                    })  # fmt: skip
    return out


def _order(key: tuple[str, str]) -> tuple[object, str]:
    return (parse_period(key[0]).sort_key, key[1])


def _row(
    ind: Indicator,
    period: str,
    area: str,
    dim: str,
    r: GroupRow,
    status: object,
    last: str | None,
) -> dict[str, object]:
    gone = r.symbol == SYMBOL and r.withheld is not None
    whole = dim == "" and period == last and status is not None
    return {
        "indicator": ind.id,
        "period": period,
        "area": area,
        "breakdown": dim,
        "group": r.group if dim else "",
        "value": _number(r.value, r.symbol),
        "numerator": SHOWN if gone else _number(r.numerator),
        "denominator": SHOWN if gone else _number(r.denominator),
        "status": STATUS_WORDS[status.status] if whole else "",  # type: ignore[attr-defined]
        "withheld": Marker(r.withheld).words if r.withheld else "",
    }
