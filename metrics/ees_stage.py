"""Which figures an EES file holds for a mapping, checked like a return's: known areas,
ended periods, values within their unit's range. All or nothing: problems are collected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from charter import Charter
from charter.ees_models import Mapping, Measure
from metrics.ees_read import (
    LEVELS,
    MAX_ERRORS_KEPT,
    NAMES,
    REQUIRED,
    STAGED_SCHEMA,
    EesError,
    EesReport,
    ees_period,
)
from metrics.ees_rules import (
    basis_problem,
    disagreement,
    expected_years,
    number,
    relabel,
    sum_groups,
    value_problem,
)
from metrics.ingest.validate import RowError
from metrics.periods import Period, PeriodKind, window_problem
from metrics.reference import is_known


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
        st.out = sum_groups(st.out, summed, charter)
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
            numbers.append(number(row[column])[0] if column else None)
        except EesError as err:
            st.error(row_no, column or "", row[column or ""], f"{err}.", "Check the file.")
            return
    value, symbol, present = number(row[m.value])
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
    if (gap := disagreement(ind, value, numbers[1], numbers[2])) is not None:
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
