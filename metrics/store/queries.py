"""Named read queries over the store. Parameters are always bound, never formatted in."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from metrics.periods.text import read_label
from metrics.store.connection import Connection, Store
from metrics.store.remembered import remembered

# The version of each figure that was current at $as_at (or now, when $as_at is NULL).
_AS_AT = """
(($as_at IS NULL AND superseded_at IS NULL)
 OR ($as_at IS NOT NULL AND recorded_at <= $as_at
     AND (superseded_at IS NULL OR superseded_at > $as_at)))
"""

# Several areas' series in one read: planning this query takes DuckDB about 10 ms, as long as
# running it, so a chart of ours, England's and the region's figures asks once.
_SERIES_COLUMNS = """area_code, period, grp, period_kind, period_start, period_end, value, symbol,
       numerator, denominator, status, note, recorded_at, recorded_by, revision_reason, source,
       upload_id, earlier_versions, release_end"""
# An earlier version that is the same figure with fewer counts (its numerator or denominator
# missing, then added: metrics/store/figures.py's counts added) does not make it revised.
SAME_FIGURE_FEWER_COUNTS = """
          AND NOT (p.value IS NOT DISTINCT FROM o.value AND p.symbol IS NOT DISTINCT FROM o.symbol
                   AND p.status = o.status AND p.note IS NOT DISTINCT FROM o.note
                   AND (p.numerator IS NULL OR p.numerator IS NOT DISTINCT FROM o.numerator)
                   AND (p.denominator IS NULL
                        OR p.denominator IS NOT DISTINCT FROM o.denominator)
                   AND (p.numerator IS DISTINCT FROM o.numerator
                        OR p.denominator IS DISTINCT FROM o.denominator))"""
_SERIES_VERSIONS = f"""
SELECT area_code, period, grp, period_kind, period_start, period_end, value, symbol, numerator,
       denominator, status, note, recorded_at, recorded_by, revision_reason, source, upload_id,
       origin,
       (SELECT count(*) FROM observations p  -- upload ids grow with time
        WHERE p.indicator_id = o.indicator_id AND p.period = o.period
          AND p.area_code = o.area_code AND p.breakdown = o.breakdown AND p.grp = o.grp
          AND p.origin = o.origin AND p.upload_id < o.upload_id{SAME_FIGURE_FEWER_COUNTS}
       ) AS earlier_versions,
       release_end
FROM observation_history o
WHERE indicator_id = $indicator AND area_code IN (SELECT unnest($areas))
  AND breakdown = $breakdown AND ($group IS NULL OR grp = $group) AND {_AS_AT}
"""
# One figure per area, period and group: our own before a published one.
SERIES = f"""
SELECT {_SERIES_COLUMNS} FROM (
    SELECT {_SERIES_COLUMNS},
           row_number() OVER (PARTITION BY area_code, period, grp
                              ORDER BY origin = 'local' DESC) AS nth
    FROM ({_SERIES_VERSIONS}) versions
) ranked
WHERE nth = 1
ORDER BY area_code, period_start, period_end, grp
"""

UPLOADS = """
SELECT upload_id, uploaded_at, file_name, uploaded_by, kind, outcome, rows_in_file, added,
       revised, unchanged, rejected, reason, sheet, message, sha256, release_end
FROM uploads ORDER BY upload_id DESC LIMIT $limit
"""

UPLOAD_ERRORS = """
SELECT row_no, column_name, value, problem, fix FROM upload_errors
WHERE upload_id = $upload ORDER BY row_no NULLS FIRST
"""

UPLOAD_FILE = """
SELECT u.file_name, f.compression, f.content FROM uploads u JOIN upload_files f USING (sha256)
WHERE u.upload_id = $upload
"""

# Every current figure of one area (totals and groups), our own before a published one: what
# disclosure control decides over (metrics/publish/withheld.py).
AREA_FIGURES = """
SELECT indicator_id, period, breakdown, grp, value, numerator, denominator, symbol FROM (
    SELECT indicator_id, period, breakdown, grp, value, numerator, denominator, symbol,
           row_number() OVER (PARTITION BY indicator_id, period, breakdown, grp
                              ORDER BY origin = 'local' DESC) AS nth
    FROM observations
    WHERE area_code = $area AND superseded_by IS NULL
      AND ($indicator IS NULL OR indicator_id = $indicator)
) ranked
WHERE nth = 1
"""

COUNT_CURRENT = "SELECT count(*) FROM observations WHERE superseded_by IS NULL"


@dataclass(frozen=True)
class SeriesRow:
    period: str
    group: str
    period_kind: str
    period_start: object
    period_end: object
    value: float | None
    symbol: str | None
    numerator: float | None
    denominator: float | None
    status: str
    note: str | None
    recorded_at: datetime
    recorded_by: str
    revision_reason: str | None
    source: str
    upload_id: int
    earlier_versions: int
    release_end: date | None  # a published figure: the end of its release's newest period

    @property
    def revised(self) -> bool:
        return self.earlier_versions > 0


def series(
    store: Store,
    indicator: str,
    area: str,
    breakdown: str = "",
    group: str | None = None,
    as_at: datetime | None = None,
) -> list[SeriesRow]:
    """An indicator's figures for one area (and breakdown), oldest first, as they stood."""
    return series_by_area(store, indicator, [area], breakdown, group, as_at)[area]


def series_by_area(
    store: Store,
    indicator: str,
    areas: list[str],
    breakdown: str = "",
    group: str | None = None,
    as_at: datetime | None = None,
) -> dict[str, list[SeriesRow]]:
    """`series` for each of several areas, read at once."""
    params = {
        "indicator": indicator,
        "areas": areas,
        "breakdown": breakdown,
        "group": group,
        "as_at": as_at,
    }
    with store.connect() as con:
        rows = con.execute(SERIES, params).fetchall()
    out: dict[str, list[SeriesRow]] = {a: [] for a in areas}
    for r in rows:
        if read_label(r[1]) is not None:
            out[r[0]].append(SeriesRow(*r[1:]))
    return out


def council_series(
    store: Store,
    indicator: str,
    area: str,
    breakdown: str = "",
    as_at: datetime | None = None,
) -> list[SeriesRow]:
    """One council's whole series under every code it has published under (a GSS code or
    its old three-digit LA code; metrics/reference.one_council), oldest first. Where two codes
    hold the same period, the current code's figure is kept."""
    from metrics.reference import one_council

    rows: dict[tuple[str, str], SeriesRow] = {}
    for code in one_council(area):  # newest code first: its figure wins a shared period
        for r in series(store, indicator, code, breakdown, as_at=as_at):
            rows.setdefault((r.period, r.group), r)
    return sorted(rows.values(), key=lambda r: (r.period_start, r.period_end, r.group))


def uploads(store: Store, limit: int = 100) -> list[dict[str, object]]:
    with store.connect() as con:
        cur = con.execute(UPLOADS, {"limit": limit})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def upload_errors(store: Store, upload_id: int) -> list[tuple[object, ...]]:
    with store.connect() as con:
        return con.execute(UPLOAD_ERRORS, {"upload": upload_id}).fetchall()


def kept_file(store: Store, upload_id: int) -> tuple[str, bytes] | None:
    """The name and original bytes of an uploaded file. Who may have them is the domain's
    rule: metrics/ingest/kept.py (analysts only)."""
    with store.connect() as con:
        rows = con.execute(UPLOAD_FILE, {"upload": upload_id}).fetchall()
    if not rows:
        return None
    name, compression, content = rows[0]
    return name, zlib.decompress(content) if compression == "zlib" else bytes(content)


def current_count(store: Store) -> int:
    with store.connect() as con:
        return int(con.execute(COUNT_CURRENT).fetchall()[0][0])


# Every earlier version of one area's figures (our own): what was shown before a revision,
# which a reader may have kept (metrics/publish/periods.py).
EARLIER_FIGURES = """
SELECT indicator_id, period, breakdown, grp, value, numerator, denominator
FROM observations
WHERE area_code = $area AND superseded_by IS NOT NULL AND origin = 'local'
  AND ($indicator IS NULL OR indicator_id = $indicator)
"""


def earlier_figures(
    store: Store, area: str, indicator: str | None = None
) -> list[tuple[object, ...]]:
    """(indicator, period, breakdown, group, value, numerator, denominator) of every version
    since replaced."""
    with store.connect() as con:
        return con.execute(EARLIER_FIGURES, {"area": area, "indicator": indicator}).fetchall()


def area_figures(store: Store, area: str, indicator: str | None = None) -> list[tuple[object, ...]]:
    """(indicator, period, breakdown, group, value, numerator, denominator, symbol) rows, of
    every indicator or of one."""
    with store.connect() as con:
        return con.execute(AREA_FIGURES, {"area": area, "indicator": indicator}).fetchall()


# Every indicator's at once: asked for one indicator after another (a pack's benchmarks
# asked 21 times, issue 34), and one answer remembered, where one an indicator crowded out
# the few a remembered read keeps.
PUBLISHED_PERIODS = """
SELECT DISTINCT indicator_id, period FROM observations
WHERE origin = 'published' AND superseded_by IS NULL
"""


def published_periods(store: Store, indicator: str) -> list[str]:
    """The periods for which published statistics of the indicator are stored, oldest first."""
    with store.connect() as con:
        found = _published_periods(con)
    periods = [
        (period, label)
        for ident, label in found
        if ident == indicator and (period := read_label(label))
    ]
    # Ties (a year and its first month start together) by end then label: the same order
    # whatever order the backend's DISTINCT gives them in.
    return [label for _, label in sorted(periods, key=lambda p: (p[0].start, p[0].end, p[1]))]


AREA_NAMES = "SELECT code, name FROM areas"


def area_names(store: Store) -> dict[str, str]:
    """GSS code -> name, for areas met in published statistics."""
    with store.connect() as con:
        return dict(_area_names(con))


@remembered(PUBLISHED_PERIODS)
def _published_periods(con: Connection) -> list[tuple[Any, ...]]:
    return con.execute(PUBLISHED_PERIODS).fetchall()


@remembered(AREA_NAMES)
def _area_names(con: Connection) -> list[tuple[Any, ...]]:
    return con.execute(AREA_NAMES).fetchall()


STORED_PERIODS = """
SELECT o.period, count(*) AS figures, string_agg(DISTINCT o.indicator_id, ', ') AS indicators,
       min(o.upload_id) AS first_upload
FROM observations o WHERE o.superseded_by IS NULL GROUP BY o.period
"""


@dataclass(frozen=True)
class UnreadableFigures:
    period: str
    figures: int
    indicators: str
    first_upload: int


def unreadable_figures(store: Store) -> list[UnreadableFigures]:
    """Stored figures whose period label cannot be read back (left out of every page)."""
    with store.connect() as con:
        rows = con.execute(STORED_PERIODS).fetchall()
    return [UnreadableFigures(*r) for r in rows if read_label(r[0]) is None]
