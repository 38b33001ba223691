"""The needs baseline's and the resources' queries: the needs return's counts, the finance
return's spend and DfE's section 251 outturn. Each read takes, for every quarter and source
(year and service; year, area and service), the rows of the latest upload that sent it: a
later upload supersedes an earlier one, which is kept. Rows come back as plain tuples in the
order each docstring gives; metrics/leadership/needs.py and costs.py keep the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from metrics.store.connection import Connection

Row = tuple[Any, ...]

ADD_COUNT = """
INSERT INTO needs_counts VALUES ($upload, $quarter, $source, $month, $locality, $need,
                                 $children)
"""
COUNTS = """
SELECT n.quarter, n.source, n.month, n.locality, n.need, n.children
FROM needs_counts n
JOIN (SELECT quarter, source, max(upload_id) AS upload_id FROM needs_counts
      GROUP BY quarter, source) AS latest
  ON latest.quarter = n.quarter AND latest.source = n.source
 AND latest.upload_id = n.upload_id
ORDER BY n.quarter, n.source, n.locality, n.need
"""
ADD_SPEND = "INSERT INTO service_spend VALUES ($upload, $year, $service, $spend, $children)"
SPEND = """
SELECT s.year, s.service, s.spend, s.children
FROM service_spend s
JOIN (SELECT year, service, max(upload_id) AS upload_id FROM service_spend
      GROUP BY year, service) AS latest
  ON latest.year = s.year AND latest.service = s.service AND latest.upload_id = s.upload_id
ORDER BY s.year, s.service
"""
ADD_OUTTURN = """
INSERT INTO s251_outturn VALUES ($upload, $year, $area_code, $area_name, $level, $service,
                                 $spend, $per_child)
"""
OUTTURN = """
SELECT o.year, o.area_code, o.area_name, o.level, o.service, o.spend, o.per_child
FROM s251_outturn o
JOIN (SELECT year, area_code, service, max(upload_id) AS upload_id FROM s251_outturn
      GROUP BY year, area_code, service) AS latest
  ON latest.year = o.year AND latest.area_code = o.area_code
 AND latest.service = o.service AND latest.upload_id = o.upload_id
ORDER BY o.year, o.service, o.area_code
"""

_COUNT = ("upload", "quarter", "source", "month", "locality", "need", "children")
_SPEND = ("upload", "year", "service", "spend", "children")
_OUTTURN = ("upload", "year", "area_code", "area_name", "level", "service", "spend", "per_child")


def add_counts(con: Connection, upload_id: int, rows: Sequence[Sequence[object]]) -> None:
    """The needs return's rows (quarter, source, month, locality, need, children); call
    inside the caller's transaction."""
    con.executemany(ADD_COUNT, [dict(zip(_COUNT, (upload_id, *r), strict=True)) for r in rows])


def counts(con: Connection) -> list[Row]:
    """Every quarter's latest counts: (quarter, source, month, locality, need, children)."""
    return [tuple(r) for r in con.execute(COUNTS).fetchall()]


def add_spend(con: Connection, upload_id: int, rows: Sequence[Sequence[object]]) -> None:
    """The finance return's rows (year, service, spend, children)."""
    con.executemany(ADD_SPEND, [dict(zip(_SPEND, (upload_id, *r), strict=True)) for r in rows])


def spend(con: Connection) -> list[Row]:
    """Every year's latest spend: (year, service, spend, children)."""
    return [tuple(r) for r in con.execute(SPEND).fetchall()]


def add_outturn(con: Connection, upload_id: int, rows: Sequence[Sequence[object]]) -> None:
    """Section 251 rows (year, area_code, area_name, level, service, spend, per_child)."""
    params = [dict(zip(_OUTTURN, (upload_id, *r), strict=True)) for r in rows]
    con.executemany(ADD_OUTTURN, params)


def outturn(con: Connection) -> list[Row]:
    """The latest section 251 figures: (year, area_code, area_name, level, service, spend,
    per_child)."""
    return [tuple(r) for r in con.execute(OUTTURN).fetchall()]
