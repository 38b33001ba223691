"""Keeping `data_changes` and `data_change_kinds` small: every write adds its rows (about
three per indicator it names), and the versions query (metrics/store/changes.py, `VERSIONS`)
reads both tables whole, on every page run on PostgreSQL and after each change of a DuckDB
file (96,000 rows: 120 ms on PostgreSQL; bench/README.md, "The versions query kept small").

What the query answers depends on few rows, so the others are deleted, now and then, without
changing its answer, for this release's readers and the previous one's (the same query):
- per kind, its latest row: (a) each kind's version;
- per plain kind told apart by indicator (`BY_INDICATOR`), its latest row with no row of that
  kind per indicator beside it (a "candidate"): (d) what every indicator sees of writes of
  unknown indicators (`kind@*`); and, when that kind's latest row is no candidate, one of the
  per-indicator rows beside it, or that latest row would become a candidate once they went;
- the latest `data_changes` row, (b) the data version; and the latest one with no kinds row
  (c) (`*`: a write of a release before migration 18); and every row some kinds row is of.
Every deleted row is of an older version than a kept row of the same meaning, and a later
write only adds rows of a new version: the answer after any further writes is the same as
without the pruning (tests/unit/test_versions_pruned.py, on both backends).

The pruning is its own transaction, after a writer's commit, never inside one (on PostgreSQL
two writers deleting the same old rows would make unrelated writes collide), and changes no
version: it is no data change (no `data_changes` row, nothing a reader sees). One at a time:
an advisory lock on PostgreSQL (taken before the transaction's snapshot, so each pruner sees
the one before it), a lock in the process on DuckDB (one process writes a file). Best effort:
a pruner that loses a race or meets any database error leaves the rows for the next one.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from metrics.store.changes import CANDIDATE_ROWS, PLAIN_BY_INDICATOR, TAG
from metrics.store.duckdb_connection import Connection
from metrics.store.errors import StoreError

log = logging.getLogger(__name__)

# A committed write whose number is a multiple of this prunes (about 1.5 % of writes): the
# tables hold at most this many writes' rows and the latest of each kind.
EVERY = 64
# Advisory lock key (any fixed number; metrics/store/postgres*.py hold 7_391_001 and 002).
PRUNING_LOCK = 7_391_003
_DUCKDB_PRUNING = threading.Lock()

# The `data_changes` version of the latest write with no kinds rows: the query's '*' (c).
KINDLESS = """
SELECT max(d.version) FROM data_changes d
WHERE NOT EXISTS (SELECT 1 FROM data_change_kinds k WHERE k.version = d.version)
"""
# The kinds rows the query's answer rests on (see the module's docstring), as (kind, version).
_KEPT = f"""
SELECT kind, max(version) AS version FROM data_change_kinds GROUP BY kind
UNION
SELECT p.kind, max(p.version) {CANDIDATE_ROWS}
    GROUP BY p.kind
UNION
SELECT min(t.kind), t.version FROM data_change_kinds t
    JOIN (SELECT kind, max(version) AS version FROM data_change_kinds
          WHERE kind IN ({PLAIN_BY_INDICATOR}) GROUP BY kind) l
      ON t.version = l.version AND t.kind LIKE l.kind || '{TAG}%'
    GROUP BY l.kind, t.version
"""
DROP_KINDS = f"""
DELETE FROM data_change_kinds
WHERE NOT EXISTS (SELECT 1 FROM ({_KEPT}) kept
                  WHERE kept.kind = data_change_kinds.kind
                    AND kept.version = data_change_kinds.version)
"""
# Then every `data_changes` row no kinds row is of, but the latest and the latest kindless.
DROP_CHANGES = """
DELETE FROM data_changes
WHERE version < (SELECT max(version) FROM data_changes)
  AND version <> $kindless
  AND NOT EXISTS (SELECT 1 FROM data_change_kinds k WHERE k.version = data_changes.version)
"""
TRY_LOCK = "SELECT pg_try_advisory_lock($key)"
UNLOCK = "SELECT pg_advisory_unlock($key)"


def after_commit(con: Connection) -> None:
    """Prune after a committed write when it is the write's turn (`EVERY`). Never raises:
    the write has committed, and its caller must not be told otherwise."""
    if con.committed is None or con.committed % EVERY:
        return
    try:
        prune(con)
    except Exception:  # not a database's error (those `prune` logs): a fault, shown
        log.exception("the versions' rows could not be pruned")


def prune(con: Connection) -> bool:
    """Delete the rows the versions query's answer does not rest on, in a transaction of its
    own that bumps no version. False when it did not (inside a transaction, another pruner
    at work, a lost race or a database error: logged, the rows wait for the next one)."""
    if con.in_transaction:
        return False
    try:
        with _alone(con) as alone:
            if not alone:
                return False
            with con._atomic(bump=False):
                # Statements run unnoted (`_run`): these deletes are no data change.
                kindless = con._run(KINDLESS).fetchall()[0][0]
                con._run(DROP_KINDS)
                con._run(DROP_CHANGES, {"kindless": -1 if kindless is None else kindless})
        return True
    except database_errors() as err:
        log.debug("the versions' rows were not pruned this time: %s", err)
        return False


def database_errors() -> tuple[type[Exception], ...]:
    """The errors of a database: psycopg's only where it is already imported (a PostgreSQL
    store has imported it; importing it for a DuckDB file would cost every command a tenth
    of a second)."""
    found: tuple[type[Exception], ...] = (StoreError, duckdb.Error)
    psycopg = sys.modules.get("psycopg")
    return found if psycopg is None else (*found, psycopg.Error)


@contextmanager
def _alone(con: Connection) -> Iterator[bool]:
    """Whether this is the only pruner of the database now (held for the block)."""
    if con.backend != "postgresql":
        if not _DUCKDB_PRUNING.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            _DUCKDB_PRUNING.release()
        return
    if not con._run(TRY_LOCK, {"key": PRUNING_LOCK}).fetchall()[0][0]:
        yield False
        return
    try:
        yield True
    finally:
        con._run(UNLOCK, {"key": PRUNING_LOCK})
