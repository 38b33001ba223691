"""Moving a council's whole store between backends (a DuckDB file, a PostgreSQL database) and
checking that what arrived is what left: row counts and a checksum per table.

Only generic SQL over the tables is used (`SELECT * ... ORDER BY`, `INSERT ... SELECT` from an
Arrow table registered on the connection), so it works on every backend the `Connection`
wraps and depends on no domain query.

How each table is checked: metrics/store/checksums.py.

Sequences: every id sequence of the migrations is set past the largest id copied, so the next
row the target adds gets a new number, with `setval`, which both backends have (the task said
DuckDB has none; DuckDB 2.0 has it, with PostgreSQL's meaning: measured, the next `nextval`
gives the value set plus one, inside a transaction, kept in the file; while `ALTER SEQUENCE
... RESTART` is a syntax error there and a sequence a column's DEFAULT uses cannot be
replaced). Neither database undoes `setval` on ROLLBACK: a failed copy may leave a sequence
advanced; the next copy sets it again, to the largest id it copies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.compute as pc

from metrics.store.checksums import Report, TableCheck
from metrics.store.connection import KEPT, Connection, Store, StoreError, transaction
from metrics.store.migrating import schema_version
from metrics.store.schema import MIGRATIONS

# Rows per batch read and written: memory stays bounded however large the store is. A table
# holding files (BLOB columns) goes a few rows at a time.
BATCH_ROWS = 50_000
BATCH_ROWS_WITH_FILES = 50

# Which column each id sequence numbers. A sequence the migrations create that is missing
# here makes every copy refuse (fail closed) rather than leave the target handing out ids
# that are already taken (tests/unit/test_store_copy.py checks the two agree).
SEQUENCES: dict[str, tuple[str, str]] = {
    "upload_id_seq": ("uploads", "upload_id"),
    "obs_id_seq": ("observations", "obs_id"),
    "audit_id_seq": ("audit", "audit_id"),
    "commentary_id_seq": ("commentary", "commentary_id"),
    "action_id_seq": ("actions", "action_id"),
    "question_id_seq": ("scrutiny_questions", "question_id"),
    "evidence_id_seq": ("evidence_items", "evidence_id"),
    "data_change_seq": ("data_changes", "version"),
    "reminder_message_seq": ("reminder_messages", "message_id"),
}

# The schema's own bookkeeping (each store has its own, made by migrating it), and the
# results the store keeps by what they were computed from (forecasts, statuses:
# `connection.KEPT`): worked out again when asked for, so neither copied nor counted as data
# (a store whose statuses were worked out while it was empty is still empty), and a
# target's own are cleared by the copy or restore (`clear_derived`).
NOT_COPIED = frozenset({"schema_version"}) | KEPT

_TABLES = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
ORDER BY table_name
"""
_COLUMNS = """
SELECT column_name, data_type FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = $table
ORDER BY ordinal_position
"""
_KEY = """
SELECT k.column_name FROM information_schema.table_constraints c
JOIN information_schema.key_column_usage k
  ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
 AND k.table_schema = c.table_schema
WHERE c.table_schema = current_schema() AND c.table_name = $table
  AND c.constraint_type = 'PRIMARY KEY'
ORDER BY k.ordinal_position
"""
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_BATCH = "_copy_batch"


class CopyError(StoreError):
    """A copy, backup or restore refused or failed; the message says why and what was left."""


def tables(con: Connection) -> list[str]:
    """The store's tables that hold data (views and the schema's bookkeeping left out)."""
    names = [r[0] for r in con.execute(_TABLES).fetchall() if r[0] not in NOT_COPIED]
    for name in names:
        if not _NAME.match(name):
            raise CopyError(f"a table named {name!r} cannot be copied: rename it")
    return names


def columns(con: Connection, table: str) -> list[str]:
    return [r[0] for r in con.execute(_COLUMNS, {"table": table}).fetchall()]


def _has_files(con: Connection, table: str) -> bool:
    types = [str(r[1]).lower() for r in con.execute(_COLUMNS, {"table": table}).fetchall()]
    return any(t in ("blob", "bytea") for t in types)


def _nullable(con: Connection, table: str, column: str) -> bool:
    rows = con.execute(_COLUMNS.replace("data_type", "is_nullable"), {"table": table}).fetchall()
    names = columns(con, table)
    return str(dict(zip(names, (r[1] for r in rows), strict=True))[column]).upper() != "NO"


def batches(con: Connection, table: str) -> Iterator[pa.Table]:
    """The table's rows in key order (its primary key, else every column), a batch at a time.

    Read by key ranges, not OFFSET (which sorts the whole table again for every batch): each
    batch starts after the last leading-key value of the one before, and the rows sharing
    that value are read whole on their own, so a leading key that is not unique (a table
    without a primary key is ordered by all its columns) loses and repeats nothing. Memory
    holds a batch, or the rows of one leading-key value. Comparing and ordering happen in
    the same database, so its collation does not matter (nor to the checksum)."""
    names = columns(con, table)
    key = [r[0] for r in con.execute(_KEY, {"table": table}).fetchall()] or names
    size = BATCH_ROWS_WITH_FILES if _has_files(con, table) else BATCH_ROWS
    select = f"SELECT {', '.join(names)} FROM {table}"
    order = f"ORDER BY {', '.join(key)}"
    lead = key[0]
    if _nullable(con, table, lead):  # NULL compares as nothing: page by OFFSET instead
        yield from _by_offset(con, f"{select} {order}", size)
        return
    after: object = None
    while True:
        since = "" if after is None else f"WHERE {lead} > $after"
        batch = con.arrow(
            f"{select} {since} {order} LIMIT {size}", None if after is None else {"after": after}
        )
        if batch.num_rows < size:
            if batch.num_rows:
                yield batch
            return
        leading = batch.column(lead)
        after = leading[-1].as_py()
        before_last = batch.filter(pc.not_equal(leading, pa.scalar(after, leading.type)))
        if before_last.num_rows:
            yield before_last
        yield con.arrow(f"{select} WHERE {lead} = $after {order}", {"after": after})


def _by_offset(con: Connection, query: str, size: int) -> Iterator[pa.Table]:
    offset = 0
    while True:
        batch = con.arrow(f"{query} LIMIT {size} OFFSET {offset}")
        if batch.num_rows:
            yield batch
        if batch.num_rows < size:
            return
        offset += size


def check(con: Connection, table: str) -> TableCheck:
    result = TableCheck()
    for batch in batches(con, table):
        result.add(batch)
    return result


def insert(con: Connection, table: str, batch: pa.Table) -> None:
    """One batch into `table` (inside the caller's transaction), by column name."""
    listed = ", ".join(batch.column_names)
    con.register(_BATCH, batch)
    con.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {_BATCH}")
    con.unregister(_BATCH)  # not on failure: the transaction is over, the connection clears it


def refuse_unless_empty(con: Connection, where: str) -> list[str]:
    """The target's tables, if it holds no data; otherwise refused, naming what it holds."""
    names = tables(con)
    held = [
        f"{name} ({n} rows)"
        for name in names
        if (n := int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]))
    ]
    if held:
        raise CopyError(
            f"{where} already holds data ({', '.join(held[:5])}"
            f"{', ...' if len(held) > 5 else ''}): it was left unchanged. Copy or restore "
            "only into an empty store (a new file, or a new database)"
        )
    return names


def clear_derived(con: Connection) -> None:
    """Delete the target's kept results (inside the copy's transaction): nothing worked out
    from what it held before the copy stays beside the copied data."""
    for name in sorted(KEPT):
        con.execute(f"DELETE FROM {name}")


def unmapped_sequences() -> list[str]:
    """Sequences the migrations create that SEQUENCES does not place."""
    made = {
        m[1]
        for statements in MIGRATIONS
        for statement in statements
        for m in re.finditer(r"CREATE SEQUENCE (\w+)", statement, re.I)
    }
    return sorted(made - set(SEQUENCES))


def set_sequences(con: Connection) -> None:
    """Every id sequence past the largest id its table holds (see the module's docstring)."""
    if missing := unmapped_sequences():
        raise CopyError(f"no rule for the sequences {missing}: say which column each numbers")
    for sequence, (table, column) in SEQUENCES.items():
        highest = con.execute(f"SELECT max({column}) FROM {table}").fetchall()[0][0]
        if highest is None:
            continue
        con.execute(f"SELECT setval('{sequence}', $n)", {"n": int(highest)})


def same_schema(source: Connection, target: Connection) -> None:
    if schema_version(source) != schema_version(target):
        raise CopyError(
            f"the source is at schema version {schema_version(source)} and the target at "
            f"{schema_version(target)}: open both with the same program version first"
        )


Audit = Callable[[Connection, str], None]


@contextmanager
def all_or_nothing(what: str, target: str) -> Iterator[None]:
    """A copy or restore that fails says so plainly: its transaction was rolled back, so
    `target` is still empty (a CopyError says its own reason)."""
    try:
        yield
    except CopyError:
        raise
    except Exception as err:
        raise CopyError(
            f"the {what} failed ({type(err).__name__}: {str(err).splitlines()[0]}); "
            f"nothing was kept: {target} is still empty"
        ) from err


def copy_store(source: Store, target: Store, audit: Audit, described: str) -> Report:
    """The whole of `source` into the empty `target`, in one transaction on the target,
    verified table by table before it commits; `audit(con, summary)` adds the target's audit
    row inside that transaction. Anything failing leaves the target as it was: empty."""
    if str(source.path) == str(target.path):
        raise CopyError("the source and the target are the same store")
    if not source.exists():
        raise CopyError(f"there is no database at {source.path}")
    report = Report()
    with source.connect() as src, target.connect() as dst:
        same_schema(src, dst)
        names = refuse_unless_empty(dst, "the target")
        if set(tables(src)) != set(names):
            raise CopyError(
                "the source and the target have different tables: "
                f"{sorted(set(tables(src)) ^ set(names))}"
            )
        snapshot(src)
        try:
            with all_or_nothing("copy", "the target"), transaction(dst):
                refuse_unless_empty(dst, "the target")  # again: nobody wrote to it meanwhile
                clear_derived(dst)
                for name in names:
                    report.source[name] = seen = TableCheck()
                    for batch in batches(src, name):
                        seen.add(batch)
                        insert(dst, name, batch)
                set_sequences(dst)
                verify(dst, report)
                audit(dst, f"{described}: {len(names)} tables, {report.rows} rows, verified")
        finally:
            end_snapshot(src)
    return report


def verify(con: Connection, report: Report) -> None:
    """Read back every table written and compare with what was read; a difference raises
    (inside the transaction, so nothing is kept)."""
    for name in report.source:
        report.target[name] = check(con, name)
    if not report.verified:
        wrong = [n for n, s in report.source.items() if report.target[n].total != s.total]
        raise CopyError(
            f"verification failed for {wrong}: what was written differs from what was read; "
            "nothing was kept"
        )


def snapshot(con: Connection) -> None:
    """Read the source as of one moment, whatever is written to it meanwhile."""
    if con.backend == "postgresql":
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        con.execute("BEGIN TRANSACTION")


def end_snapshot(con: Connection) -> None:
    con.execute("ROLLBACK")
