# ruff: noqa: E501  (the review's SQL, kept as it measured)
"""Run: `.venv/bin/python -m bench.versions_kept_small` (UPLOADS=10000 for 960,000 rows).
The versions query on the reviewer's synthetic history (1000 uploads of 30 indicators and
3 other writes each: 96k kinds rows), before and after a prune, on DuckDB and PostgreSQL."""

import os
import time

from metrics.store import changes, pruning
from metrics.store.connection import Store
from tests.pg import start_cluster, stop_cluster

UPLOADS = int(os.environ.get("UPLOADS", "1000"))
FILL = [
    "INSERT INTO data_changes SELECT i, current_timestamp FROM generate_series(1, {n4}) t(i)",
    """INSERT INTO data_change_kinds
      SELECT a.v, b.k || '@ind' || (j % 200) FROM (SELECT i*4 AS v FROM generate_series(1,{n}) t(i)) a,
        (SELECT unnest(ARRAY['observations:local','uploads','periods']) AS k) b, generate_series(0,29) r(j)""",
    "INSERT INTO data_change_kinds SELECT i*4, unnest(ARRAY['observations:local','uploads','periods']) FROM generate_series(1,{n}) t(i)",
    "INSERT INTO data_change_kinds SELECT i, 'commentary' FROM generate_series(1,{n4}) t(i) WHERE i % 4 <> 0",
]


def timed(con, n=7):
    changes.versions(con)
    best = []
    for _ in range(n):
        t = time.perf_counter()
        changes.versions(con)
        best.append(time.perf_counter() - t)
    return min(best) * 1000


def measure(store, name, after_prune_sql=()):
    with store.connect() as con:
        with con._atomic(bump=False):
            for sql in FILL:
                con._run(sql.format(n=UPLOADS, n4=UPLOADS * 4))
        if con.backend == "postgresql":
            con._run("VACUUM ANALYZE data_change_kinds")
            con._run("VACUUM ANALYZE data_changes")
        rows = con._run("SELECT count(*) FROM data_change_kinds").fetchall()[0][0]
        before_v = changes.versions(con)
        before = timed(con)
        t = time.perf_counter()
        assert pruning.prune(con)
        took = (time.perf_counter() - t) * 1000
        assert changes.versions(con) == before_v
        after_raw = timed(con)
        for sql in after_prune_sql:
            con._run(sql)
        after = timed(con)
        left = con._run("SELECT count(*) FROM data_change_kinds").fetchall()[0][0]
        dc = con._run("SELECT count(*) FROM data_changes").fetchall()[0][0]
    print(
        f"{name}: {rows} rows: {before:.1f} ms; prune {took:.0f} ms -> {left} kinds rows, {dc} data_changes rows:"
        f" {after_raw:.1f} ms at once, {after:.1f} ms after {list(after_prune_sql) or 'nothing'}; load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    path = "/tmp/versions_kept_small.duckdb"
    for f in (path, path + ".wal"):
        if os.path.exists(f):
            os.unlink(f)
    measure(Store(path), "duckdb", ("CHECKPOINT",))
    cluster = start_cluster()
    try:
        url = cluster.new_database()
        measure(
            Store(url),
            "postgresql",
            ("VACUUM ANALYZE data_change_kinds", "VACUUM ANALYZE data_changes"),
        )
    finally:
        stop_cluster(cluster)
