"""PostgreSQL's words for what the store says in DuckDB's: its queries' parameters
(`translate`), its migrations' type names (`postgres_ddl`), and the types between the two
databases and Arrow (`Number`, `ARROW`, `pg_type`). Pure text and types: nothing here opens
a connection (metrics/store/postgres.py does)."""

from __future__ import annotations

import functools
import re
from typing import Any

import pyarrow as pa
from psycopg.adapt import Loader

from metrics.store.connection import StoreError

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'          # a string literal
      | "(?:[^"]|"")*"          # a quoted name
      | --[^\n]*                # a comment to the end of the line
      | /\*.*?\*/               # a block comment
      | \$(?P<name>[A-Za-z_]\w*)
      | \$(?P<number>\d+)
      | (?P<question>\?)
      | (?P<percent>%)""",
    re.S | re.X,
)


# `x [NOT] IN (SELECT unnest($list))`, DuckDB's way with a list parameter, as PostgreSQL's
# `x = ANY($list)` (`<> ALL`): an empty Python list reaches PostgreSQL as '{}' of no type, which
# unnest() cannot take ("function unnest(unknown) is not unique": a provider with no
# submissions yet failed on its page), while ANY() types it from `x`.
_IN_LIST = re.compile(r"\b(NOT\s+)?IN\s*\(\s*SELECT\s+unnest\(\s*(\$[A-Za-z_]\w*)\s*\)\s*\)", re.I)


def _any(m: re.Match[str]) -> str:
    return f"<> ALL({m[2]})" if m[1] else f"= ANY({m[2]})"


@functools.lru_cache(maxsize=4096)
def translate(query: str) -> str:
    """A store query (`$name` or `?` parameters) in psycopg's words (`%(name)s`, `%s`),
    every other `%` doubled: psycopg reads them all, even inside a string literal; a list
    parameter's `IN (SELECT unnest($list))` as `= ANY($list)` (`_IN_LIST`)."""
    query = _IN_LIST.sub(_any, query)

    def one(m: re.Match[str]) -> str:
        if m["name"]:
            return f"%({m['name']})s"
        if m["number"]:
            raise StoreError(f"positional ${m['number']} parameters are not supported: name them")
        if m["question"]:
            return "%s"
        return m.group(0).replace("%", "%%")

    return _TOKEN.sub(one, query)


class Number(Loader):
    """NUMERIC as DuckDB gives it: sum() of a BIGINT or avg() is NUMERIC in PostgreSQL, and
    Decimal values would spread through the domain's arithmetic. Whole numbers come back as
    int, others as float."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


# PostgreSQL type oids -> Arrow types, for `arrow()` (anything else is inferred).
ARROW = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1700: pa.float64(),
}


def pg_type(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):
        return pg_type(t.value_type)
    for test, name in (
        (pa.types.is_boolean, "BOOLEAN"),
        (pa.types.is_int64, "BIGINT"),
        (pa.types.is_uint32, "BIGINT"),
        (pa.types.is_integer, "INTEGER"),
        (pa.types.is_floating, "DOUBLE PRECISION"),
        (pa.types.is_decimal, "NUMERIC"),
        (pa.types.is_date, "DATE"),
        (pa.types.is_binary, "BYTEA"),
        (pa.types.is_large_binary, "BYTEA"),
    ):
        if test(t):
            return name
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    return "TEXT"


_TYPES = [
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bHUGEINT\b", re.I), "NUMERIC(38)"),
    (re.compile(r"\bTINYINT\b", re.I), "SMALLINT"),
    (re.compile(r"\bFLOAT\b", re.I), "REAL"),
]
_REPLACE_VIEW = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)", re.I)


def postgres_ddl(statement: str) -> list[str]:
    """A migration's DuckDB statement as PostgreSQL statements with the same meaning: the
    type names that differ, and a view replaced whole (PostgreSQL's CREATE OR REPLACE VIEW
    cannot insert a column in the middle, as `o.*` does once `observations` has grown)."""
    for pattern, name in _TYPES:
        statement = pattern.sub(name, statement)
    if view := _REPLACE_VIEW.match(statement):
        body = _REPLACE_VIEW.sub(f"CREATE VIEW {view[1]}", statement, count=1)
        return [f"DROP VIEW IF EXISTS {view[1]}", body]
    return [statement]
