"""The rules every published figure meets, one figure (or one group of figures) at a time:
numbers as an analyst writes them, values within their unit's range, the kind of year an
indicator's figures are, a value that agrees with its numerator and denominator, and groups
added up where a mapping says so. Used by metrics/ingest/published/stage.py."""

from __future__ import annotations

import math

from charter import Charter, Indicator
from metrics.ingest.published.read import SYMBOLS, EesError
from metrics.periods.model import KIND_NAMES, Period, PeriodKind, kind_for
from metrics.rounding import ratio

ANNUAL = {PeriodKind.CALENDAR_YEAR, PeriodKind.ACADEMIC_YEAR, PeriodKind.FINANCIAL_YEAR}


def expected_years(ind: Indicator, stored: set[str]) -> set[PeriodKind]:
    """The kinds of year an indicator's published yearly figures may have: its own for an
    annual indicator, else the kind already stored for it (none yet: any)."""
    if ind.frequency == "annual":
        return {kind_for(ind.frequency, ind.year_basis)}
    return {PeriodKind(k) for k in stored} & ANNUAL


def relabel(period: Period, how: str | None) -> Period:
    """A mapping's explicit relabelling of the file's periods."""
    if how == "calendar_year_of_census" and period.kind is PeriodKind.ACADEMIC_YEAR:
        return Period(PeriodKind.CALENDAR_YEAR, period.year + 1)
    return period


def basis_problem(ind: Indicator, period: Period, expected: set[PeriodKind]) -> str | None:
    """Why a yearly figure of the wrong kind of year cannot be stored beside the others."""
    if period.kind not in ANNUAL or not expected or period.kind in expected:
        return None
    wanted = " or ".join(sorted(KIND_NAMES[k] for k in expected))
    kind = KIND_NAMES[period.kind]
    return (
        f"{ind.id}: {period.label!r} is {'an' if kind[0] in 'aeiou' else 'a'} {kind}, but "
        f"{'an' if wanted[0] in 'aeiou' else 'a'} {wanted} is needed (its figures are "
        f"{wanted}s; storing both would put two period bases side by side). Use a release "
        "with the right basis, or say in the mapping how to relabel, e.g. "
        "period_as: calendar_year_of_census"
    )


def number(text: str) -> tuple[float | None, str | None, bool]:
    """(value, symbol, present) for a measure cell; a number Python reads but an analyst would
    not write ("1_000", "nan", "inf") is refused."""
    t = text.strip()
    if not t:
        return None, None, False
    if t.lower() in SYMBOLS:
        return None, t.lower(), True
    try:
        if "_" in t:
            raise ValueError
        number = float(t.replace(",", ""))
    except ValueError:
        raise EesError(f"{t!r} is neither a number nor an EES symbol") from None
    if not math.isfinite(number):
        raise EesError(f"{t!r} is not a finite number")
    return number, None, True


def value_problem(value: float, ind: Indicator) -> str | None:
    """The same value rules as a return's (metrics/ingest/rules.py), for one figure."""
    if ind.unit == "percent" and not 0 <= value <= 100:
        return f"a percentage must lie between 0 and 100; this is {value:g}"
    if value < 0:
        return f"{ind.id} is a {ind.unit.replace('_', ' ')}, which cannot be below zero"
    if ind.unit == "count" and value != math.floor(value):
        return f"a count must be a whole number; this is {value:g}"
    return None


def sum_groups(
    out: dict[str, list[object]], indicators: set[str], charter: Charter
) -> dict[str, list[object]]:
    """Figures of the same indicator, period, area and group added up (a mapping's `sum`):
    counts, numerators and denominators add; a ratio is worked out again from its sums. A
    sum with a symbol in it is no number (GSS): it takes the symbol, `c` first."""
    names = list(out)
    rows = [dict(zip(names, values, strict=True)) for values in zip(*out.values(), strict=True)]
    merged: dict[tuple[object, ...], dict[str, object]] = {}
    kept: list[dict[str, object]] = []
    for r in rows:
        key = (r["indicator_id"], r["period"], r["area_code"], r["breakdown"], r["grp"])
        if r["indicator_id"] not in indicators or not r["breakdown"]:
            kept.append(r)
            continue
        if key not in merged:
            merged[key] = dict(r)
            kept.append(merged[key])
            continue
        into = merged[key]
        symbols = {s for s in (into["symbol"], r["symbol"]) if s}
        if symbols:
            into["symbol"] = "c" if "c" in symbols else sorted(symbols)[0]  # type: ignore[type-var]
            into["value"] = into["numerator"] = into["denominator"] = None
            continue
        for column in ("value", "numerator", "denominator"):
            a, b = into[column], r[column]
            into[column] = None if a is None or b is None else a + b
        ind = charter.indicators[str(r["indicator_id"])]
        if ind.multiplier and into["numerator"] is not None and into["denominator"]:
            num, den = float(into["numerator"]), float(into["denominator"])  # type: ignore[arg-type]
            into["value"] = ratio(num, den, ind.multiplier, ind.decimals)
    return {n: [r[n] for r in kept] for n in names}


def disagreement(
    ind: Indicator, value: float | None, numerator: float | None, denominator: float | None
) -> float | None:
    """The ratio worked out from numerator and denominator, when the value differs from it by
    more than rounding at the indicator's decimals (None when they agree or cannot be told)."""
    if value is None or numerator is None or not denominator or ind.multiplier is None:
        return None
    ratio = numerator / denominator * ind.multiplier
    return ratio if abs(ratio - value) > 10**-ind.decimals else None
