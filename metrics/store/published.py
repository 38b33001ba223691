"""Published statistics (EES imports): what is stored of earlier releases, and the areas a
release names. The figures themselves are stored as any file's (metrics/store/figures.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from metrics.store.connection import Connection
from metrics.store.remembered import remembered

# The kinds of year already stored for each indicator's published figures.
STORED_YEAR_KINDS = """
SELECT DISTINCT o.indicator_id, p.kind FROM observations o JOIN periods p ON p.label = o.period
WHERE o.superseded_by IS NULL AND o.origin = 'published'
  AND p.kind IN ('calendar_year', 'academic_year', 'financial_year')
"""

# A newer release than the file's among the stored published figures (a quick first look).
NEWER_UPLOAD = """
SELECT 1 FROM uploads WHERE kind = 'published' AND outcome <> 'rejected' AND release_end > $end
LIMIT 1
"""

# Of the figures the import would revise (the comparison's `revised`), those a newer release
# stored.
REVISED_FROM_NEWER = """
SELECT count(*), max(u.release_end) FROM revised r
JOIN observations o ON o.obs_id = r.old_id JOIN uploads u ON u.upload_id = o.upload_id
WHERE u.release_end > $end
"""

UPSERT_AREA = """
INSERT INTO areas (code, name, level, old_code) VALUES ($code, $name, $level, $old)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                                 old_code = excluded.old_code
"""


def stored_year_kinds(con: Connection) -> dict[str, set[str]]:
    """Indicator -> the kinds of year its stored published figures are for."""
    stored: dict[str, set[str]] = {}
    for ind_id, kind in con.execute(STORED_YEAR_KINDS).fetchall():
        stored.setdefault(ind_id, set()).add(kind)
    return stored


def newer_release_stored(con: Connection, end: date) -> bool:
    """Whether a release whose periods run past `end` is stored."""
    return bool(con.execute(NEWER_UPLOAD, {"end": end}).fetchall())


def revised_from_newer(con: Connection, end: date | None) -> tuple[int, date | None]:
    """(how many, the newest release's end) of the figures the last comparison would revise
    that a release newer than `end` stored."""
    n, newest = con.execute(REVISED_FROM_NEWER, {"end": end}).fetchall()[0]
    return int(n), newest


def keep_area(con: Connection, code: str, name: str, level: str, old: str | None) -> None:
    """An area as a release names it (the latest release's name wins)."""
    con.execute(UPSERT_AREA, {"code": code, "name": name, "level": level, "old": old})


# The date each indicator's published figures are as at (the newest file imported for it).
UPSERT_AS_AT = """
INSERT INTO published_as_at (indicator_id, as_at, source) VALUES ($indicator, $as_at, $source)
ON CONFLICT (indicator_id) DO UPDATE SET
    source = CASE WHEN excluded.as_at >= published_as_at.as_at THEN excluded.source
                  ELSE published_as_at.source END,
    as_at = greatest(published_as_at.as_at, excluded.as_at)
"""

AS_AT = "SELECT indicator_id, as_at, source FROM published_as_at ORDER BY indicator_id"


def keep_as_at(con: Connection, indicator: str, as_at: date, source: str) -> None:
    """The date an indicator's published figures are as at: the newest of those imported."""
    con.execute(UPSERT_AS_AT, {"indicator": indicator, "as_at": as_at, "source": source})


def as_at_by_indicator(con: Connection) -> dict[str, tuple[date, str]]:
    """Indicator -> (the date its published figures are as at, their source)."""
    return {i: (d, s) for i, d, s in _as_at(con)}


@remembered(AS_AT)
def _as_at(con: Connection) -> list[tuple[Any, ...]]:
    return con.execute(AS_AT).fetchall()
