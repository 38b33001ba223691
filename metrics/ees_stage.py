"""Which figures an EES file holds for a mapping, checked like a return's: known areas,
ended periods, values within their unit's range. All or nothing: problems are collected."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from charter import Charter, Indicator
from charter.ees_models import Mapping, Measure
from metrics.ees_read import (
    LEVELS,
    MAX_ERRORS_KEPT,
    NAMES,
    REQUIRED,
    STAGED_SCHEMA,
    SYMBOLS,
    EesError,
    EesReport,
    ees_period,
)
from metrics.ingest.validate import RowError
from metrics.periods import KIND_NAMES, Period, PeriodKind, kind_for, window_problem
from metrics.reference import is_known

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


def _check_columns(table: pa.Table, mapping: Mapping) -> None:
    names = set(table.column_names)
    if not names & set(REQUIRED):
        raise EesError(
            "this is not an explore-education-statistics tidy data file: it has none of the "
            f"columns {', '.join(REQUIRED)}. Download the release's data file (CSV) from the "
            f"data catalogue. The file has: {', '.join(table.column_names[:20])}"
        )
    wanted = set(REQUIRED)
    for m in mapping.measures:
        wanted |= {m.value, *(c for c in (m.numerator, m.denominator) if c), *m.filters}
        if m.breakdown:
            wanted.add(m.breakdown.column)
    missing = sorted(wanted - names)
    if missing:
        raise EesError(
            f"the mapping names columns that are not in the file: {', '.join(missing)}. "
            f"The file has: {', '.join(table.column_names)}."
        )


def _number(text: str) -> tuple[float | None, str | None, bool]:
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


@dataclass
class _Staging:
    """What `stage` collects while it walks the file."""

    out: dict[str, list[object]]
    report: EesReport
    errors: list[RowError] = field(default_factory=list)
    error_total: int = 0
    areas: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    unknown_areas: Counter[str] = field(default_factory=Counter)
    expected: dict[str, set[PeriodKind]] = field(default_factory=dict)  # kinds of year
    matched: Counter[str] = field(default_factory=Counter)  # rows through each filter

    def warn(self, text: str) -> None:
        if len(self.report.warnings) < MAX_ERRORS_KEPT:
            self.report.warnings.append(text)

    def error(self, row: int, column: str, value: str, problem: str, fix: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, column, value, problem, fix))


def stage(
    table: pa.Table,
    mapping: Mapping,
    charter: Charter,
    today: date | None = None,
    stored_kinds: dict[str, set[str]] | None = None,
) -> tuple[pa.Table, EesReport, dict[str, tuple[str, str, str | None]]]:
    """The figures a file holds for the mapping, in the shape the store commits.

    Every figure is checked like a return's: a known area, a period that has ended and is not
    before the earliest year, and a value within its unit's range. Problems are collected in
    the report's errors (all or nothing: a file with any is rejected).
    """
    _check_columns(table, mapping)
    today = today or date.today()
    st = _Staging({f.name: [] for f in STAGED_SCHEMA}, EesReport("", "dry run"))
    st.expected = {
        m.indicator: expected_years(
            charter.indicators[m.indicator], (stored_kinds or {}).get(m.indicator, set())
        )
        for m in mapping.measures
    }
    periods: dict[tuple[str, str], Period | str] = {}
    for row_no, row in enumerate(table.to_pylist(), start=2):
        level = row["geographic_level"]
        if level not in LEVELS:
            st.report.skipped[f"geographic level {level}"] += 1
            continue
        code = row.get(LEVELS[level], "")
        if not code:
            st.report.skipped[f"{level} rows without a code"] += 1
            continue
        if not is_known(code, charter.council.code):
            st.unknown_areas[code] += 1
            st.error(
                row_no,
                LEVELS[level],
                code,
                f"The area code {code!r} ({row.get(NAMES[level], '')}) is not England, an "
                "English region or a council we know of.",
                "Check the file is an English release; a new council's code is added to "
                "metrics/reference/areas.csv when DfE first publishes it.",
            )
            continue
        key = (row["time_period"], row["time_identifier"])
        if key not in periods:
            periods[key] = _period_or_problem(*key, charter, today)
        period = periods[key]
        if isinstance(period, str):
            st.error(
                row_no, "time_period", key[0], period, "Check time_period and time_identifier."
            )
            continue
        st.areas[code] = (row.get(NAMES[level], "") or code, level, row.get("old_la_code") or None)
        for m in mapping.measures:
            _stage_measure(st, m, row, row_no, level, code, period, charter)
    _filters_matched(table, mapping, st)
    summed = {m.indicator for m in mapping.measures if m.breakdown and m.breakdown.sum}
    if summed:
        st.out = _sum_groups(st.out, summed, charter)
    staged = pa.table(st.out, schema=STAGED_SCHEMA)
    report = st.report
    report.rows = staged.num_rows
    report.errors, report.error_total = st.errors, st.error_total
    if st.unknown_areas:
        listed = ", ".join(sorted(st.unknown_areas)[:20])
        report.skipped[f"rows with unrecognised area codes ({listed})"] = sum(
            st.unknown_areas.values()
        )
    keys = Counter(
        zip(
            st.out["indicator_id"],
            st.out["period"],
            st.out["area_code"],
            st.out["breakdown"],
            st.out["grp"],
            strict=True,
        )
    )
    twice = [k for k, n in keys.items() if n > 1]
    if twice:
        raise EesError(
            f"the mapping selects {len(twice)} figures more than once, e.g. {twice[0]}; "
            "add filters so each indicator, period and area is one row"
        )
    return staged, report, st.areas


def _sum_groups(
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
            ratio = into["numerator"] / into["denominator"] * ind.multiplier  # type: ignore[operator]
            into["value"] = round(ratio, ind.decimals)
    return {n: [r[n] for r in kept] for n in names}


def _disagreement(
    ind: Indicator, value: float | None, numerator: float | None, denominator: float | None
) -> float | None:
    """The ratio worked out from numerator and denominator, when the value differs from it by
    more than rounding at the indicator's decimals (None when they agree or cannot be told)."""
    if value is None or numerator is None or not denominator or ind.multiplier is None:
        return None
    ratio = numerator / denominator * ind.multiplier
    return ratio if abs(ratio - value) > 10**-ind.decimals else None


def _filters_matched(table: pa.Table, mapping: Mapping, st: _Staging) -> None:
    """A filter that selects nothing is a mistake (a renamed value, a typo), never "no change":
    say which values the column does hold."""
    for m in mapping.measures:
        if st.matched[m.indicator] or st.error_total:
            continue
        if not m.filters:
            raise EesError(f"the file holds no rows for {m.indicator} at a level we read")
        problems = []
        for col, val in m.filters.items():
            held = sorted(set(table.column(col).to_pylist()))
            if val not in held:
                shown = ", ".join(repr(v) for v in held[:20])
                more = f" and {len(held) - 20} more" if len(held) > 20 else ""
                problems.append(f"No rows where {col} = {val!r}; the column holds: {shown}{more}")
        if not problems:
            problems.append(
                "No row matches all of "
                + ", ".join(f"{c} = {v!r}" for c, v in m.filters.items())
                + " together"
            )
        raise EesError(f"{m.indicator}: " + ". ".join(problems))


def _period_or_problem(
    time_period: str, identifier: str, charter: Charter, today: date
) -> Period | str:
    try:
        period = ees_period(time_period, identifier)
    except (EesError, ValueError) as err:
        return str(err)
    return window_problem(period, charter.council.earliest_year, today) or period


def _stage_measure(
    st: _Staging,
    m: Measure,
    row: dict[str, str],
    row_no: int,
    level: str,
    code: str,
    period: Period,
    charter: Charter,
) -> None:
    for col, val in m.filters.items():
        if row.get(col) != val:
            st.report.skipped[f"rows where {col} is not {val!r} ({m.indicator})"] += 1
            return
    st.matched[m.indicator] += 1
    period = relabel(period, m.period_as)
    if problem := basis_problem(charter.indicators[m.indicator], period, st.expected[m.indicator]):
        raise EesError(problem)
    breakdown, group = "", ""
    if m.breakdown:
        raw = row[m.breakdown.column]
        if raw != m.breakdown.total:
            if raw not in m.breakdown.groups:
                st.report.skipped[f"{m.breakdown.column} {raw!r} (no matching group)"] += 1
                return
            breakdown, group = m.breakdown.dimension, m.breakdown.groups[raw]
    numbers: list[float | None] = []
    for column in (m.value, m.numerator, m.denominator):
        try:
            numbers.append(_number(row[column])[0] if column else None)
        except EesError as err:
            st.error(row_no, column or "", row[column or ""], f"{err}.", "Check the file.")
            return
    value, symbol, present = _number(row[m.value])
    if not present:
        st.report.skipped["empty cells (missing)"] += 1
        return
    if value is not None:
        # at the indicator's decimals: a release that writes 41.128 where another wrote 41.1
        # (same numerator and denominator) is not revising the figure
        value *= m.scale
        problem = value_problem(value, charter.indicators[m.indicator])  # before rounding
        if problem:
            st.error(
                row_no,
                m.value,
                row[m.value],
                f"{m.indicator}: {problem}.",
                "Check the file and the mapping's scale.",
            )
            return
    ind = charter.indicators[m.indicator]
    if value is not None:  # stored at the indicator's decimals: a release writing 41.128 where
        value = round(value, ind.decimals)  # another wrote 41.1 is not a revision
    if (gap := _disagreement(ind, value, numbers[1], numbers[2])) is not None:
        st.warn(
            f"Row {row_no} ({m.indicator}, {period.label}, {code}): the value {value:g} is not "
            f"{m.numerator} / {m.denominator} = {gap:.{ind.decimals + 2}f} at "
            f"{ind.decimals} decimal places"
        )
    status = "provisional" if "provisional" in row.get("version", "").lower() else "final"
    for name, item in (
        ("row_no", row_no),
        ("indicator_id", m.indicator),
        ("period", period.label),
        ("period_kind", period.kind.value),
        ("period_start", period.start),
        ("period_end", period.end),
        ("area_code", code),
        ("breakdown", breakdown),
        ("grp", group),
        ("value", value),
        ("numerator", numbers[1]),
        ("denominator", numbers[2]),
        ("symbol", symbol),
        ("status", status),
        ("note", None),
        ("origin", "published"),
    ):
        st.out[name].append(item)
    st.report.by_level_period[(level, period.label)] += 1
