"""The lookup tables validation joins against, built once per file in its private database:
the charter's indicators and breakdown groups, each distinct indicator/period text resolved
in Python (periods, suggestions for unknown names), and the areas we know."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date

import duckdb
import numpy as np

from charter import Charter, Indicator
from metrics.ingest import passes, rules
from metrics.periods.model import KIND_EXAMPLES, kind_for, window_problem
from metrics.periods.text import parse_period
from metrics.reference import known_areas


def build(con: duckdb.DuckDBPyConnection, charter: Charter, today: date) -> None:
    """Every lookup table the rules need (metrics/ingest/rules.py)."""
    charter_tables(con, charter)
    lookups(con, charter, today)
    known_area_table(con, charter)
    # (the council's code as a SQL literal: a GSS code from the charter, quoted all the same)
    flag_lookups(con, "'" + charter.council.code.replace("'", "''") + "'")


def charter_tables(con: duckdb.DuckDBPyConnection, charter: Charter) -> None:
    ind = [
        (
            i.id,
            i.unit,
            i.decimals,
            i.multiplier,
            list(i.breakdowns),
            KIND_EXAMPLES[kind_for(i.frequency, i.year_basis)],
            kind_for(i.frequency, i.year_basis).value,
        )
        for i in charter.indicators.values()
    ]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ind (id VARCHAR, unit VARCHAR, decimals INTEGER, "
        "multiplier DOUBLE, allowed VARCHAR[], kind_name VARCHAR, expect VARCHAR)"
    )
    insert(con, "ind", ind)
    dims = [(d, g, g.lower()) for d, b in charter.breakdowns.items() for g in b.groups]
    con.execute("CREATE OR REPLACE TEMP TABLE dims (dim VARCHAR, grp VARCHAR, grp_lower VARCHAR)")
    insert(con, "dims", dims)


def lookups(con: duckdb.DuckDBPyConnection, charter: Charter, today: date) -> None:
    """Resolve each distinct indicator/period and breakdown/group text once, in Python, and
    find suggestions for unknown names. Files repeat a few keys many times."""
    keys: list[tuple[object, ...]] = []
    periods: dict[tuple[str, str], tuple[object, ...]] = {}
    for text, period_text in con.execute("SELECT DISTINCT indicator, period FROM src").fetchall():
        ind = charter.indicators.get(text.lower())
        if ind is None:
            keys.append((text, period_text) + (None,) * 9)
            continue
        if (ind.id, period_text) not in periods:
            periods[(ind.id, period_text)] = period_of(
                ind, period_text, charter.council.earliest_year, today
            )
        keys.append(
            (text, period_text, ind.id, ind.unit, ind.decimals, ind.multiplier)
            + periods[(ind.id, period_text)]
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE keymap (indicator_text VARCHAR, period_text VARCHAR, "
        "indicator_id VARCHAR, unit VARCHAR, decimals INTEGER, multiplier DOUBLE, "
        "label VARCHAR, kind VARCHAR, pstart DATE, pend DATE, perror VARCHAR)"
    )
    insert(con, "keymap", keys)

    ids = list(charter.indicators)
    unknown = {str(k[0]) for k in keys if k[2] is None and k[0]}
    con.execute("CREATE OR REPLACE TEMP TABLE isugg (text VARCHAR, suggestion VARCHAR)")
    insert(con, "isugg", [(t, nearest(t, ids)) for t in sorted(unknown)])

    bmap: list[tuple[object, ...]] = []
    # One suggestion per (dimension, group text): 'Locality' and 'locality' name the same
    # dimension, and the checks join this table row by row (a second row would repeat one).
    gsugg: dict[tuple[str, str], tuple[object, ...]] = {}
    for breakdown, group in con.execute("SELECT DISTINCT breakdown, grp FROM src").fetchall():
        dim = breakdown.lower().replace(" ", "_")
        if dim not in charter.breakdowns:
            bmap.append((breakdown, group, None, None))
            continue
        groups = charter.breakdowns[dim].groups
        canonical = next((g for g in groups if g.lower() == group.lower()), None)
        bmap.append((breakdown, group, dim, canonical))
        if canonical is None and group:
            gsugg[(dim, group)] = (dim, group, nearest(group, groups), ", ".join(groups))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bmap (breakdown_text VARCHAR, grp_text VARCHAR, "
        "dim VARCHAR, grp_canonical VARCHAR)"
    )
    insert(con, "bmap", bmap)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gsugg (dim VARCHAR, text VARCHAR, suggestion VARCHAR, "
        "choices VARCHAR)"
    )
    insert(con, "gsugg", list(gsugg.values()))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dim_choices AS SELECT ? AS choices",
        [", ".join(sorted(charter.breakdowns))],
    )


def period_of(ind: Indicator, text: str, earliest_year: int, today: date) -> tuple[object, ...]:
    """(label, kind, start, end, error) for a period as typed, for this indicator."""
    if not text:
        return (None,) * 5
    try:
        p = parse_period(text, kind_for(ind.frequency, ind.year_basis))
    except ValueError as err:  # PeriodError, or a date Python cannot hold
        return (None, None, None, None, f"{err}.".replace("..", "."))
    if problem := window_problem(p, earliest_year, today):
        return (None, None, None, None, f"{problem}.")
    return (p.label, p.kind.value, p.start, p.end, None)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Append rows in one statement, as columns of Python objects (NumPy object arrays, which
    DuckDB scans and casts to the table's types): executemany is far slower for thousands of
    rows, a list of structs as one parameter two to four times slower (a 50 MB return's
    2,520 keys: 0.03-0.07 s against 0.015), and an Arrow table made with `pa.array` imports
    pandas (35 MB of a process's memory) to ask whether it was given a pandas object."""
    if not rows:
        return
    names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    columns = {}
    for i, name in enumerate(names):
        column = np.empty(len(rows), dtype=object)  # (not np.array: lists would be a 2-D array)
        for j, row in enumerate(rows):
            column[j] = row[i]
        columns[name] = column
    con.register("_lookup_rows", columns)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _lookup_rows")
    finally:
        con.unregister("_lookup_rows")


def nearest(text: str, choices: list[str]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(text.lower().strip(), list(lowered), n=1, cutoff=0.5)
    return lowered[near[0]] if near else None


def known_area_table(con: duckdb.DuckDBPyConnection, charter: Charter) -> None:
    codes = sorted({*known_areas(), charter.council.code})
    con.execute("CREATE OR REPLACE TEMP TABLE known_area (code VARCHAR)")
    insert(con, "known_area", [(c,) for c in codes])


def flag_lookups(con: duckdb.DuckDBPyConnection, council: str) -> None:
    """Add to each look-up whether its text breaks a rule of its own (before `typed` is
    made: it reads `wrong_key` and `wrong_breakdown`). The rules are the same text as
    ERRORS asks of every row, so the two cannot disagree."""
    con.execute(passes.AMAP.replace("$council", council))
    for on, (table, names) in passes.LOOKUP_RULES.items():
        wrong = " OR ".join(f"({r.where})" for r in rules.RULES if r.on == on)
        aliases = ", ".join(f"{column} AS {name}" for name, column in names.items())
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * EXCLUDE ({', '.join(names)}), "
            f"coalesce({wrong}, false) AS wrong_{on} FROM (SELECT *, {aliases} FROM {table})"
        )
