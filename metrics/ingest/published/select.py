"""Which rows of an EES file a mapping selects, worked out by DuckDB (read.py beside it opens
the file): the columns a mapping reads, rows at a level we read with an area code, each
measure's filters, what was skipped and why, and the areas and periods of the selected rows
(each problem a row error). Used by stage.py, which turns the rows into
figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from charter import Charter
from charter.ees_models import Mapping, Measure
from metrics.ingest.published.read import (
    LEVELS,
    MAX_ERRORS_KEPT,
    NAMES,
    REQUIRED,
    EesError,
    EesFile,
    EesReport,
    ees_period,
    quoted,
)
from metrics.ingest.validate import RowError
from metrics.periods.model import Period, PeriodKind, window_problem
from metrics.reference import is_known

BATCH = 10_000  # rows fetched from DuckDB at a time
# A row at a level we read, with an area code (columns "@..." are ours: EES names are words).
READABLE = (
    "geographic_level IN ("
    + ", ".join("'" + level + "'" for level in LEVELS)
    + ") AND \"@code\" <> ''"
)


def check_columns(columns: list[str], mapping: Mapping) -> set[str]:
    """The file's columns the mapping reads (all of them must be there)."""
    names = set(columns)
    if not names & set(REQUIRED):
        raise EesError(
            "this is not an explore-education-statistics tidy data file: it has none of the "
            f"columns {', '.join(REQUIRED)}. Download the release's data file (CSV) from the "
            f"data catalogue. The file has: {', '.join(columns[:20])}"
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
            f"The file has: {', '.join(columns)}."
        )
    return wanted


def load(source: EesFile, wanted: set[str]) -> None:
    """Table `ees`: the file's rows in order (rowid + 2 is the spreadsheet row), only the
    columns the mapping reads, empty cells as '', and each row's area code and name."""

    def cell(column: str) -> str:
        return f"coalesce({quoted(column)}, '')" if column in source.columns else "''"

    def by_level(columns: dict[str, str]) -> str:
        whens = " ".join(f"WHEN '{lvl}' THEN {cell(c)}" for lvl, c in columns.items())
        return f"CASE geographic_level {whens} ELSE '' END"

    select = [
        f'{by_level(LEVELS)} AS "@code"',
        f'{by_level(NAMES)} AS "@name"',
        f'{cell("old_la_code")} AS "@old"',
        f'{cell("version")} AS "@version"',
        *(f"{cell(c)} AS {quoted(c)}" for c in sorted(wanted)),
    ]
    source.execute(f"CREATE TABLE ees AS SELECT {', '.join(select)} FROM {source.read_csv()}")


def selects(m: Measure, params: dict[str, str]) -> list[str]:
    """A measure's filters as SQL conditions (values bound as parameters)."""
    conditions = []
    for column, value in m.filters.items():
        params[f"p{len(params)}"] = value
        conditions.append(f"{quoted(column)} = $p{len(params) - 1}")
    return conditions


@dataclass
class Staging:
    """What `stage` collects while it reads the file."""

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


@dataclass(frozen=True)
class Selected:
    """The rows any measure selects: a condition and its parameters."""

    where: str
    params: dict[str, str]


def count_skipped(source: EesFile, mapping: Mapping, st: Staging) -> Selected:
    """Count the rows nobody reads (levels, missing codes, each measure's first filter that
    a row fails) and how many each measure selects; the condition for a row any measure
    selects."""
    levels = "geographic_level, count(*) FROM ees WHERE"
    for level, n in source.execute(f"SELECT {levels} NOT ({READABLE}) GROUP BY ALL").fetchall():
        what = f"{level} rows without a code" if level in LEVELS else f"geographic level {level}"
        st.report.skipped[what] += n
    any_measure: list[str] = []
    any_params: dict[str, str] = {}
    for m in mapping.measures:
        params: dict[str, str] = {}
        conditions = selects(m, params)
        any_measure.append("(" + " AND ".join(["TRUE", *selects(m, any_params)]) + ")")
        misses = " ".join(f"WHEN NOT ({c}) THEN {i}" for i, c in enumerate(conditions))
        counts = source.execute(
            f"SELECT CASE {misses} ELSE -1 END, count(*) FROM ees WHERE {READABLE} GROUP BY 1"
            if conditions
            else f"SELECT -1, count(*) FROM ees WHERE {READABLE}",
            params,
        )
        filters = list(m.filters.items())
        for miss, n in counts.fetchall():
            if miss < 0:
                st.matched[m.indicator] += n
            else:
                col, val = filters[miss]
                st.report.skipped[f"rows where {col} is not {val!r} ({m.indicator})"] += n
    return Selected("(" + " OR ".join(any_measure) + ")", any_params)


def check_areas(source: EesFile, selected: Selected, charter: Charter, st: Staging) -> None:
    """The selected rows' areas: known ones kept (with names), each row of an unknown one is
    an error."""
    found = source.execute(
        'SELECT "@code", any_value(geographic_level), max("@name"), max(nullif("@old", \'\')), '
        f"count(*) FROM ees WHERE {READABLE} AND {selected.where} GROUP BY 1",
        selected.params,
    ).fetchall()
    for code, level, name, old, n in found:
        if is_known(code, charter.council.code):
            st.areas[code] = (name or code, level, old)
        else:
            st.unknown_areas[code] = n
    if not st.unknown_areas:
        return
    rows = source.execute(
        'SELECT rowid + 2, geographic_level, "@code", "@name" FROM ees WHERE '
        f'{READABLE} AND {selected.where} AND "@code" IN (SELECT unnest($codes)) '
        f"ORDER BY rowid LIMIT {MAX_ERRORS_KEPT}",
        {**selected.params, "codes": list(st.unknown_areas)},
    ).fetchall()
    for row_no, level, code, name in rows:
        st.error(
            row_no,
            LEVELS[level],
            code,
            f"The area code {code!r} ({name}) is not England, an English region or a council "
            "we know of.",
            "Check the file is an English release; a new council's code is added to "
            "metrics/reference/areas.csv when DfE first publishes it.",
        )
    st.error_total += sum(st.unknown_areas.values()) - len(rows)


def check_periods(
    source: EesFile,
    selected: Selected,
    charter: Charter,
    today: date,
    st: Staging,
    reporting_year: str | None = None,
) -> dict[tuple[str, str], Period | str]:
    """Every period the file's readable rows have, or why it is not one we store; each
    selected row with a bad period is an error. `reporting_year`: the mapping's meaning of
    a "Reporting year"."""
    found = source.execute(
        f"SELECT time_period, time_identifier, count(*) FILTER ({selected.where}) FROM ees "
        f"WHERE {READABLE} GROUP BY ALL",
        selected.params,
    ).fetchall()
    periods = {
        (tp, ti): period_or_problem(tp, ti, charter, today, reporting_year) for tp, ti, _ in found
    }
    for tp, ti, n in found:
        problem = periods[(tp, ti)]
        if not n or isinstance(problem, Period):
            continue
        rows = source.execute(
            f"SELECT rowid + 2 FROM ees WHERE {READABLE} AND {selected.where} "
            f"AND time_period = $tp AND time_identifier = $ti ORDER BY rowid "
            f"LIMIT {MAX_ERRORS_KEPT}",
            {**selected.params, "tp": tp, "ti": ti},
        ).fetchall()
        for (row_no,) in rows:
            st.error(row_no, "time_period", tp, problem, "Check time_period and time_identifier.")
        st.error_total += n - len(rows)
    return periods


def filters_matched(source: EesFile, mapping: Mapping, st: Staging) -> None:
    """A filter that selects nothing is a mistake (a renamed value, a typo), never "no change":
    say which values the column does hold."""
    for m in mapping.measures:
        if st.matched[m.indicator]:
            continue
        if not m.filters:
            raise EesError(f"the file holds no rows for {m.indicator} at a level we read")
        problems = []
        for col, val in m.filters.items():
            values = source.execute(
                f"SELECT list(DISTINCT {quoted(col)} ORDER BY {quoted(col)})[:20], "
                f"count(DISTINCT {quoted(col)}), bool_or({quoted(col)} = $v) FROM ees",
                {"v": val},
            ).fetchall()
            held, count, found = values[0]
            if not found:  # (a file of no rows holds nothing: DuckDB's list is NULL)
                shown = ", ".join(repr(v) for v in (held or [])[:20]) or "nothing"
                more = f" and {count - 20} more" if count > 20 else ""
                problems.append(f"No rows where {col} = {val!r}; the column holds: {shown}{more}")
        if not problems:
            problems.append(
                "No row matches all of "
                + ", ".join(f"{c} = {v!r}" for c, v in m.filters.items())
                + " together"
            )
        raise EesError(f"{m.indicator}: " + ". ".join(problems))


def period_or_problem(
    time_period: str,
    identifier: str,
    charter: Charter,
    today: date,
    reporting_year: str | None = None,
) -> Period | str:
    try:
        period = ees_period(time_period, identifier, reporting_year)
    except (EesError, ValueError) as err:
        return str(err)
    return window_problem(period, charter.council.earliest_year, today) or period
