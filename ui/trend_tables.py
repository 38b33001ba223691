"""The trend chart's words and numbers: its alt text, the table twin people read and the CSV
a spreadsheet takes, each with the target in force for each period and why a figure is not
published. Drawn by `ui.charts`, which offers them beside the chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from charter import Indicator
from charter.models import UNIT_LABEL
from metrics.assess.target import Target, fmt_target_value, target_runs
from metrics.assess.trend import GroupRow, TrendRow
from metrics.periods.text import parse_period
from metrics.publish.policy import PUBLIC, STAFF, Marker
from metrics.words.narrative import fmt_value


def trend_alt(rows: list[TrendRow], ind: Indicator, council: str) -> str:
    if not rows:
        return f"Line chart of {ind.title}: no figures yet."
    last = rows[-1]
    parts = [
        f"Line chart of {ind.title} for {council}, {rows[0].period} to {last.period}.",
        f"Latest: {fmt_value(last.value, ind, last.symbol)} in {last.period}.",
    ]
    known = [r.value for r in rows if r.value is not None]
    if known:
        parts.append(f"Lowest {fmt_value(min(known), ind)}, highest {fmt_value(max(known), ind)}.")
    if Target.of(ind).has_better_side and (
        runs := target_runs(ind, [(r.period, r.target) for r in rows])
    ):
        parts.append(f"Target {runs}.")
    # The comparators drawn beside ours (ui/charts.py: a line each where it has a figure),
    # at the latest period.
    for name, value in (
        ("England", last.england),
        ("the region", last.region),
        (last.sub_region_name, last.sub_region),
    ):
        if name and value is not None:
            parts.append(f"{name[0].upper()}{name[1:]} {fmt_value(value, ind)}.")
    flagged = sum(r.status == "provisional" for r in rows), sum(r.revised for r in rows)
    if any(flagged):
        parts.append(f"{flagged[0]} provisional and {flagged[1]} revised figures are marked.")
    return " ".join(parts)


def period_targets(rows: Sequence[TrendRow], ind: Indicator) -> list[float | None]:
    """The target in force for each row's period (targets may change by year, and a chair's
    trajectory steps them): as the rows carry it (metrics/assess/trend.py), else the
    charter's for the period."""
    aim = Target.of(ind)
    return [
        r.target if r.target is not None else aim.for_period(parse_period(r.period)) for r in rows
    ]


def trend_table(rows: list[TrendRow], ind: Indicator) -> list[dict[str, Any]]:
    """The trend as people read it: values with their unit, notes beside the figures."""
    targets = period_targets(rows, ind)
    return [
        {
            "Period": r.period,
            "Value": fmt_value(r.value, ind, r.symbol),
            "Numerator": _blank(r.numerator),
            "Denominator": _blank(r.denominator),
            "Status": r.status + (", revised" if r.revised else ""),
            "England": _given(r.england, r.england_symbol, ind),
            "Region": _given(r.region, r.region_symbol, ind),
            # a London borough's half of London (Inner or Outer London)
            **(
                {r.sub_region_name: _given(r.sub_region, r.sub_region_symbol, ind)}
                if r.sub_region_name
                else {}
            ),
            "Target": fmt_target_value(ind, target),
            "Note": r.note or "",
            "Why revised": r.revision_reason or "",
            **publication_column(rows, r.withheld, r.symbol),
        }
        for r, target in zip(rows, targets, strict=True)
    ]


def publication_column(
    rows: Sequence[TrendRow | GroupRow], why: str | None, symbol: str | None
) -> dict[str, str]:
    """A "Publication" column where any figure is withheld: staff read "not for
    publication" beside a real figure; a public reader reads why it is [c]."""
    if not any(r.withheld for r in rows):
        return {}
    if why is None:
        return {"Publication": ""}
    return {"Publication": Marker(why).note(PUBLIC if symbol == "c" else STAFF)}


def trend_csv(
    rows: list[TrendRow], ind: Indicator, area_code: str, area_name: str
) -> list[dict[str, Any]]:
    """The trend for a spreadsheet: numbers as numbers, the unit in its own column, the area's
    name beside its code, empty cells empty."""
    unit = UNIT_LABEL[ind.unit] or "count"
    targets = period_targets(rows, ind)
    return [
        {
            "indicator": ind.id,
            "area_code": area_code,
            "area_name": area_name,
            "period": r.period,
            "value": r.value,
            "unit": unit,
            "symbol": r.symbol,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "status": r.status,
            "revised": "yes" if r.revised else "",
            "england": r.england,
            "england_symbol": r.england_symbol,
            "region": r.region,
            "region_symbol": r.region_symbol,
            **(
                {
                    "sub_region_name": r.sub_region_name,
                    "sub_region": r.sub_region,
                    "sub_region_symbol": r.sub_region_symbol,
                }
                if r.sub_region_name
                else {}
            ),
            "target": target,
            "note": r.note,
            "revision_reason": r.revision_reason,
            "publication": publication_column(rows, r.withheld, r.symbol).get("Publication", ""),
        }
        for r, target in zip(rows, targets, strict=True)
    ]


def _given(value: float | None, symbol: str | None, ind: Indicator) -> str:
    """A comparator's figure, else the symbol given instead, else an empty cell."""
    return fmt_value(value, ind, symbol) if value is not None or symbol else ""


def _blank(value: float | None) -> object:
    """An empty cell for a missing number (a table shows None as 'None')."""
    return "" if value is None else f"{value:,.0f}" if float(value).is_integer() else value
