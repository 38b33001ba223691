"""Queries of the forecasts kept by what they were computed from (migration 17): a forecast
is some fifteen model fits, and the same figures give the same forecast, so it is made once
and read after (metrics/assess/forecast_kept.py says what the key is made of)."""

from __future__ import annotations

from datetime import datetime

from metrics.store.connection import Connection, WriteConflict, keeping

KEPT = "SELECT forecast FROM forecasts_kept WHERE key = $key"
KEEP = """
INSERT INTO forecasts_kept (key, forecast, made_at) VALUES ($key, $forecast, $at)
ON CONFLICT DO NOTHING
"""


def kept(con: Connection, key: str) -> str | None:
    """The forecast kept under `key` (its JSON), or None."""
    row = con.execute(KEPT, {"key": key}).fetchone()
    return None if row is None else str(row[0])


def keep(con: Connection, key: str, forecast: str, at: datetime) -> None:
    """Keep a forecast under `key` (its JSON), without bumping the data version. Another
    process keeping the same one at the same moment wins: its forecast is the same."""
    try:
        with keeping(con):
            con.execute(KEEP, {"key": key, "forecast": forecast, "at": at})
    except WriteConflict:
        pass
