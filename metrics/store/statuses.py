"""Queries of the indicator statuses kept by what they were worked out from (migration 21):
a fresh process (a command-line pack, a server just started) reads them rather than
working every indicator's status out again (metrics/assess/status_stored.py says what the
key is made of)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from metrics.store.arrow_texts import text_table
from metrics.store.connection import Connection, WriteConflict, keeping
from metrics.store.pruning import database_errors

log = logging.getLogger(__name__)

TAKEN = "SELECT key, status FROM statuses_kept WHERE key IN (SELECT unnest($keys))"
# An indicator's status at a quarter kept under another key is stale (older figures, another
# charter or program): it goes when a new one is kept, so the table holds about one row per
# indicator and quarter ever asked about.
STALE = """
DELETE FROM statuses_kept
WHERE EXISTS (SELECT 1 FROM statuses_new n
              WHERE n.indicator_id = statuses_kept.indicator_id
                AND n.quarter = statuses_kept.quarter AND n.key <> statuses_kept.key)
"""
KEEP = """
INSERT INTO statuses_kept (key, indicator_id, quarter, status, made_at)
SELECT key, indicator_id, quarter, status, $at FROM statuses_new
ON CONFLICT DO NOTHING
"""


def taken(con: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The statuses kept under any of `keys` (their JSON), by key."""
    if not keys:
        return {}
    rows = con.execute(TAKEN, {"keys": list(keys)}).fetchall()
    return {str(key): str(status) for key, status in rows}


def keep(con: Connection, rows: Sequence[tuple[str, str, str, str]], at: datetime) -> bool:
    """Keep statuses, each (key, indicator, quarter, JSON), without bumping the data version,
    and let go of the ones they replace. False, nothing kept, when another process kept at
    the same moment (its statuses are as good), or when the database refused the write (a
    read-only file, a lost connection: logged). Never raises a database's error: the caller
    has its statuses, and the next process works them out again."""
    if not rows:
        return True
    keys, indicators, quarters, statuses = (list(column) for column in zip(*rows, strict=True))
    new = text_table(
        {"key": keys, "indicator_id": indicators, "quarter": quarters, "status": statuses}
    )
    try:
        # outside the transaction: let go of after it, whatever became of it (a failed
        # PostgreSQL transaction takes no statement)
        con.register("statuses_new", new)
        try:
            with keeping(con):
                con.execute(STALE)
                con.execute(KEEP, {"at": at})
        finally:
            con.unregister("statuses_new")
    except WriteConflict:
        return False
    except database_errors() as err:
        log.warning("indicator statuses were worked out but not kept in the store: %s", err)
        return False
    return True
