"""Which kinds of data a query reads, worked out from its text: what a remembered read is keyed
on (`metrics/store/remembered.py`), and what a test may watch a thread read
(`watching`, tests/unit/test_reads_kinds.py). The kinds themselves, and what a write
changes, are `metrics/store/changes.py`'s."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from metrics.store.changes import FIGURES, OWN_FIGURES, PUBLISHED_FIGURES

# The tables a query names: after FROM or JOIN, quoted or not, and each further table of a
# comma join (`FROM observations o, periods p`); and the views the store defines over tables.
# Reading a name too many (a column after EXTRACT's FROM) only makes a cache go cold sooner;
# `IS [NOT] DISTINCT FROM o.value` compares, it names no table.
_NAMED = re.compile(r"""\b(?:(?<!DISTINCT\s)FROM|JOIN)\s+"?([A-Za-z_]\w*)"?""", re.I)
_FROM_LIST = re.compile(
    r"""\b(?<!DISTINCT\s)FROM\s+(.*?)(?=\b(?:WHERE|GROUP|ORDER|HAVING|LIMIT|JOIN|UNION|WINDOW
        |QUALIFY|LEFT|RIGHT|INNER|FULL|CROSS|NATURAL|ON|USING|EXCEPT|INTERSECT|RETURNING)\b|[();]|\Z)""",
    re.I | re.S | re.X,
)
_LISTED = re.compile(r""",\s*"?([A-Za-z_]\w*)"?""")
VIEWS = {"observation_history": ("observations", "periods", "uploads")}
# The store's own records, read by every store (migrations, versions): no kind of data.
_BOOKKEEPING = {"schema_version", "information_schema", "data_changes", "data_change_kinds"}
# A query asks for one origin only by a condition of its own: `WHERE origin = '...'` or
# `AND o.origin = '...'` (not `ORDER BY origin = 'local'`, `NOT ...`), in a query with no OR.
_ONLY = {
    kind: re.compile(rf"\b(?:WHERE|AND)\s+(?:\w+\.)?origin\s*=\s*'{origin}'", re.I)
    for origin, kind in (("published", PUBLISHED_FIGURES), ("local", OWN_FIGURES))
}
# A query with OR, NOT or FILTER may ask for the other origin too (`NOT (... AND origin =
# 'local')`, `count(*) FILTER (WHERE origin = 'local')`): it reads both.
_OR = re.compile(r"\b(?:OR|FILTER)\b|\bNOT\s*\(", re.I)


def kinds_read(sql: str) -> set[str]:
    """The kinds of data a query reads: the tables it names, through the views; of the
    figures, only the published ones (or only our own) when it names `observations` once
    and asks for that origin by a condition of its own (`_ONLY`), else both. A name that
    is no table (a CTE, a registered Arrow table, a column after EXTRACT's FROM) is a kind
    nothing writes: harmless."""
    tables: list[str] = []
    names = _NAMED.findall(sql)
    for listed in _FROM_LIST.findall(sql):
        names += _LISTED.findall(listed)
    for name in names:
        tables += VIEWS.get(name.lower(), (name.lower(),))
    out = {t for t in tables if t != "observations" and t not in _BOOKKEEPING}
    if "observations" in tables:
        only = [k for k, asked in _ONLY.items() if asked.search(sql)]
        one = tables.count("observations") == 1 and len(only) == 1 and not _OR.search(sql)
        out |= {only[0]} if one else set(FIGURES)
    return out


# While a test watches a thread's reads (`watching`), the kinds each query read.
_WATCHED = threading.local()


@contextmanager
def watching() -> Iterator[set[str]]:
    """The kinds of data read on this thread inside the block (every backend's `execute` and
    `arrow` report them): what tests/unit/test_reads_kinds.py holds each cached read's
    declared kinds to."""
    seen: set[str] = set()
    _WATCHED.seen = seen
    try:
        yield seen
    finally:
        _WATCHED.seen = None


def watch(sql: str) -> None:
    saw(kinds_read(sql))


def saw(kinds: Iterable[str]) -> None:
    """Kinds of data read without a query (a remembered answer), for `watching`."""
    seen = getattr(_WATCHED, "seen", None)
    if seen is not None:
        seen |= set(kinds)
