"""What assessing reads: current totals for status and roll-up, every area's values for
benchmarks, a published year beside our own figures, the quarters with data, and the
evidence dated in a window (metrics/assess/)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pyarrow as pa

from metrics.store.arrow_texts import text_table
from metrics.store.connection import Connection
from metrics.store.outlook import TRAJECTORIES
from metrics.store.published import AS_AT
from metrics.store.read_kinds import kinds_read
from metrics.store.remembered import remembered

Row = tuple[Any, ...]  # a row as the driver gives it

# One figure per indicator and period for an area: our own before a published one.
CURRENT_TOTALS = """
SELECT indicator_id, period, value, symbol, status, is_revision, numerator, denominator
FROM (
    SELECT o.indicator_id, o.period, o.value, o.symbol, o.status, o.is_revision, o.numerator,
           o.denominator, p.start_date,
           row_number() OVER (PARTITION BY o.indicator_id, o.period
                              ORDER BY o.origin = 'local' DESC) AS nth  -- our own figure first
    FROM observations o JOIN periods p ON p.label = o.period
    WHERE o.area_code = $area AND o.breakdown = '' AND o.superseded_by IS NULL
) ranked
WHERE nth = 1
ORDER BY indicator_id, start_date
"""

# The same of some indicators only (a registered table `asked` of their ids): after an upload
# the statuses of the indicators it did not touch are kept (metrics/assess/status_kept.py),
# and only the others' figures are read again.
_AREA_ONLY = "WHERE o.area_code = $area"
if CURRENT_TOTALS.count(_AREA_ONLY) != 1:  # an edit of the query above must keep it narrowable
    raise RuntimeError("CURRENT_TOTALS no longer says `WHERE o.area_code = $area` once")
CURRENT_TOTALS_OF = CURRENT_TOTALS.replace(
    _AREA_ONLY, f"JOIN asked a ON a.indicator_id = o.indicator_id\n    {_AREA_ONLY}"
)

PUBLISHED_TOTALS = """
SELECT DISTINCT indicator_id, period FROM observations
WHERE origin = 'published' AND superseded_by IS NULL AND breakdown = ''
ORDER BY indicator_id, period
"""

# Every current total for the periods asked about, for every area, of one origin: one
# query for all indicators. Our own figure comes before a published one (`current_values`);
# the published ones change only with a published import, so they are remembered apart. A
# figure given only as a symbol (z not applicable, c confidential ...) is read too, so an
# output says that symbol, not "not available" (`current_symbols`). (A figure or a symbol,
# said without OR: a query with OR may ask for the other origin too, so the store would key
# this read on both origins' figures, read_kinds.kinds_read.)
_VALUES = """
SELECT o.indicator_id, o.period, o.area_code, o.value, o.symbol
FROM observations o
JOIN wanted w ON w.indicator_id = o.indicator_id AND w.period = o.period
WHERE o.breakdown = '' AND o.superseded_by IS NULL
  AND (o.value IS NULL AND o.symbol IS NULL) IS NOT TRUE
  AND o.origin = '{origin}'
"""
OWN_VALUES = _VALUES.format(origin="local")
PUBLISHED_VALUES = _VALUES.format(origin="published")

# What families and staff told us about each statement in a window.
VOICE = """
SELECT statements, kind, evidence_date FROM evidence_items
WHERE withdrawn_at IS NULL AND evidence_date > $since AND evidence_date <= $until
"""

QUARTERS = """
SELECT DISTINCT o.period, p.start_date FROM observations o JOIN periods p ON p.label = o.period
WHERE p.kind = 'fy_quarter' AND o.area_code = $area AND o.superseded_by IS NULL
ORDER BY p.start_date DESC
"""

# The kinds of data an indicator's status is worked out from (metrics/assess/status_kept.py
# keeps each indicator's statuses by their version, narrowed to the indicator): the queries
# above that it reads, and the chair's trajectories and the dates published figures are as at.
STATUS_KINDS = frozenset[str]().union(
    *map(
        kinds_read,
        (CURRENT_TOTALS, CURRENT_TOTALS_OF, PUBLISHED_TOTALS, OWN_VALUES, PUBLISHED_VALUES),
    ),
    kinds_read(TRAJECTORIES),
    kinds_read(AS_AT),
)

# An area's current totals of one indicator, published and our own, for reconciling them.
RECONCILE = """
SELECT o.period, o.period_kind, o.period_start, o.period_end, o.value, o.numerator,
       o.denominator, o.symbol, o.status, o.is_revision, o.origin = 'published' AS published,
       o.source
FROM observation_history o
WHERE o.indicator_id = $indicator AND o.area_code = $area AND o.breakdown = ''
  AND o.superseded_by IS NULL
ORDER BY o.period_start
"""


@remembered(CURRENT_TOTALS)
def current_totals(con: Connection, area: str) -> list[Row]:
    """(indicator, period, value, symbol, status, revised, numerator, denominator) of an
    area's current totals, by indicator, oldest period first."""
    return con.execute(CURRENT_TOTALS, {"area": area}).fetchall()


def current_totals_of(con: Connection, area: str, indicators: list[str]) -> list[Row]:
    """`current_totals` of `indicators` only (not remembered: what is worked out from them
    is kept, by each indicator's version)."""
    con.register("asked", text_table({"indicator_id": indicators}))
    try:
        return con.execute(CURRENT_TOTALS_OF, {"area": area}).fetchall()
    finally:
        con.unregister("asked")


@remembered(PUBLISHED_TOTALS)
def published_totals(con: Connection) -> list[Row]:
    """(indicator, period) of every current published total."""
    return con.execute(PUBLISHED_TOTALS).fetchall()


def current_values(con: Connection, wanted: list[tuple[str, str]]) -> list[Row]:
    """(indicator, period, area, value) of every area's current total for the (indicator,
    period) pairs wanted (our own figure before a published one)."""
    found = {
        (i, p, a): v for i, p, a, v, _ in _rows(_published_values(con, wanted)) if v is not None
    }
    found.update(
        ((i, p, a), v) for i, p, a, v, _ in _rows(_own_values(con, wanted)) if v is not None
    )
    return [(i, p, a, v) for (i, p, a), v in found.items()]


def current_symbols(con: Connection, wanted: list[tuple[str, str]]) -> list[Row]:
    """(indicator, period, area, symbol) of every area whose current total for the pairs
    wanted is a symbol only, with no figure of either origin (ours before a published one)."""
    valued: set[tuple[str, str, str]] = set()
    found: dict[tuple[str, str, str], str] = {}
    for rows in (_published_values(con, wanted), _own_values(con, wanted)):
        for i, p, a, v, symbol in _rows(rows):
            if v is not None:
                valued.add((i, p, a))
            else:
                found[(i, p, a)] = symbol
    return [(i, p, a, s) for (i, p, a), s in found.items() if (i, p, a) not in valued]


# Remembered as Arrow tables, not rows: every council's published figures are many (the
# national demo's), and Python's full collections would walk them as long as they are kept.
@remembered(OWN_VALUES)
def _own_values(con: Connection, wanted: list[tuple[str, str]]) -> pa.Table:
    return _values(con, OWN_VALUES, wanted)


@remembered(PUBLISHED_VALUES)
def _published_values(con: Connection, wanted: list[tuple[str, str]]) -> pa.Table:
    return _values(con, PUBLISHED_VALUES, wanted)


def _rows(table: pa.Table) -> Iterator[Row]:
    return zip(*(column.to_pylist() for column in table.columns), strict=True)


def _values(con: Connection, sql: str, wanted: list[tuple[str, str]]) -> pa.Table:
    table = text_table({"indicator_id": [w[0] for w in wanted], "period": [w[1] for w in wanted]})
    con.register("wanted", table)
    try:
        return con.arrow(sql)
    finally:
        con.unregister("wanted")


@remembered(VOICE)
def evidence_dated(con: Connection, since: date, until: date) -> list[Row]:
    """(statements "1,4", kind, date) of the evidence items in force dated in (since, until]."""
    return con.execute(VOICE, {"since": since, "until": until}).fetchall()


@remembered(QUARTERS)
def quarters_with_figures(con: Connection, area: str) -> list[Row]:
    """(quarter, start) of the financial quarters with current figures for an area, newest
    first."""
    return con.execute(QUARTERS, {"area": area}).fetchall()


def totals_to_reconcile(con: Connection, indicator: str, area: str) -> list[Row]:
    """An area's current totals of an indicator, oldest first: (period, kind, start, end,
    value, numerator, denominator, symbol, status, revised, published, source)."""
    return con.execute(RECONCILE, {"indicator": indicator, "area": area}).fetchall()
