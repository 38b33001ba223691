"""Several indicators' series read at once: a pack's measures needing attention (fifteen
charts in the demo quarter's pack) each asked for its own series, and each of those reads
cost DuckDB some 10 ms of planning the same query (bench/README.md, "Packs: one read of
the exceptions' trends"). The rows are `queries.series_by_area`'s, indicator by indicator:
our own figure before a published one, oldest first, only the current versions, totals only.
"""

from __future__ import annotations

from metrics.periods.text import read_label
from metrics.store.connection import Store
from metrics.store.queries import SAME_FIGURE_FEWER_COUNTS, SeriesRow

_COLUMNS = """indicator_id, area_code, period, grp, period_kind, period_start, period_end,
       value, symbol, numerator, denominator, status, note, recorded_at, recorded_by,
       revision_reason, source, upload_id, earlier_versions, release_end"""

# queries.SERIES with the indicator among several, for the current versions of the totals
SERIES_OF_INDICATORS = f"""
SELECT {_COLUMNS} FROM (
    SELECT {_COLUMNS},
           row_number() OVER (PARTITION BY indicator_id, area_code, period, grp
                              ORDER BY origin = 'local' DESC) AS nth
    FROM (
        SELECT indicator_id, area_code, period, grp, period_kind, period_start, period_end,
               value, symbol, numerator, denominator, status, note, recorded_at, recorded_by,
               revision_reason, source, upload_id, origin,
               (SELECT count(*) FROM observations p  -- upload ids grow with time
                WHERE p.indicator_id = o.indicator_id AND p.period = o.period
                  AND p.area_code = o.area_code AND p.breakdown = o.breakdown
                  AND p.grp = o.grp AND p.origin = o.origin
                  AND p.upload_id < o.upload_id{SAME_FIGURE_FEWER_COUNTS}
               ) AS earlier_versions,
               release_end
        FROM observation_history o
        WHERE indicator_id IN (SELECT unnest($indicators))
          AND area_code IN (SELECT unnest($areas))
          AND breakdown = '' AND superseded_at IS NULL
    ) versions
) ranked
WHERE nth = 1
ORDER BY indicator_id, area_code, period_start, period_end, grp
"""


def series_by_indicator(
    store: Store, indicators: list[str], areas: list[str]
) -> dict[str, dict[str, list[SeriesRow]]]:
    """Each indicator's current series for each of `areas` (an empty list where it has none),
    in one read: `queries.series_by_area(store, indicator, areas)` for every indicator."""
    out: dict[str, dict[str, list[SeriesRow]]] = {i: {a: [] for a in areas} for i in indicators}
    if not indicators:
        return out
    with store.connect() as con:
        rows = con.execute(
            SERIES_OF_INDICATORS, {"indicators": list(indicators), "areas": list(areas)}
        ).fetchall()
    for r in rows:
        if read_label(r[2]) is not None:
            out[r[0]][r[1]].append(SeriesRow(*r[2:]))
    return out
