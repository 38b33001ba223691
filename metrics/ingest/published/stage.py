"""Which figures an EES file holds for a mapping, checked like a return's: known areas,
ended periods, values within their unit's range. All or nothing: problems are collected.

DuckDB reads the file and does the selecting (metrics/ingest/published/select.py: levels, codes, a
measure's filters, counts of what was skipped), so a 500 MB release never becomes Python
objects: Python sees only the rows a measure selects, which are the figures to store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pyarrow as pa

from charter import Charter
from charter.ees_models import Mapping, Measure
from metrics.ingest.published.read import STAGED_SCHEMA, EesError, EesFile, EesReport, quoted
from metrics.ingest.published.rules import (
    basis_problem,
    disagreement,
    expected_years,
    number,
    relabel,
    sum_groups,
    value_problem,
)
from metrics.ingest.published.select import (
    BATCH,
    READABLE,
    Staging,
    check_areas,
    check_columns,
    check_periods,
    count_skipped,
    filters_matched,
    load,
    selects,
)
from metrics.periods.model import Period
from metrics.rounding import round_half_up


def stage(
    source: EesFile,
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
    load(source, check_columns(source.columns, mapping))
    today = today or date.today()
    st = Staging({f.name: [] for f in STAGED_SCHEMA}, EesReport("", "dry run"))
    st.expected = {
        m.indicator: expected_years(
            charter.indicators[m.indicator], (stored_kinds or {}).get(m.indicator, set())
        )
        for m in mapping.measures
    }
    selected = count_skipped(source, mapping, st)
    filters_matched(source, mapping, st)
    check_areas(source, selected, charter, st)
    periods = check_periods(source, selected, charter, today, st, mapping.reporting_year)
    ends = [p.end for p in periods.values() if isinstance(p, Period)]
    st.report.release_end = max(ends, default=None)
    for m in mapping.measures:
        params: dict[str, str] = {}
        where = " AND ".join([READABLE, *selects(m, params)])
        columns = [c for c in (m.value, m.numerator, m.denominator) if c]
        if m.breakdown:
            columns.append(m.breakdown.column)
        rows = source.execute(
            'SELECT rowid + 2, geographic_level, "@code", time_period, time_identifier, '
            f'"@version", {", ".join(quoted(c) for c in columns)} FROM ees WHERE {where} '
            "ORDER BY rowid",
            params,
        )
        while batch := rows.fetchmany(BATCH):
            for row_no, level, code, tp, ti, version, *cells in batch:
                period = periods.get((tp, ti))
                if code in st.areas and isinstance(period, Period):
                    row = dict(zip(columns, cells, strict=True)) | {"version": version}
                    _stage_measure(st, m, row, row_no, level, code, period, charter)
    summed = {m.indicator for m in mapping.measures if m.breakdown and m.breakdown.sum}
    if summed:
        st.out = sum_groups(st.out, summed, charter)
    staged = pa.table(st.out, schema=STAGED_SCHEMA)
    report = st.report
    report.rows = staged.num_rows
    report.errors = sorted(st.errors, key=lambda e: e.row or 0)
    report.error_total = st.error_total
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


def _stage_measure(
    st: Staging,
    m: Measure,
    row: dict[str, str],
    row_no: int,
    level: str,
    code: str,
    period: Period,
    charter: Charter,
) -> None:
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
    if ind.multiplier is not None and numbers[1] == 0 and numbers[2] == 0 and symbol is None:
        st.warn(  # 0 of 0 is not a percentage (nor 0%, which would be ranked)
            f"Row {row_no} ({m.indicator}, {period.label}, {code}): 0 out of 0 is not a "
            "percentage, so it is stored as z (not applicable), not as "
            f"{row[m.value] or 'a worked-out figure'}"
        )
        value, symbol = None, "z"
    if value is not None:  # stored at the indicator's decimals: a release writing 41.128 where
        value = round_half_up(value, ind.decimals)  # another wrote 41.1 is not a revision
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
