"""What each write changed, by kind of data, and the version of each kind: what lets a cache
of published figures outlive an upload of a return, and a cache of the review outlive both.

Every committed write transaction adds its row to `data_changes`, with the next number of
one sequence (the data version), and a row to `data_change_kinds` (migration 18) for each
kind of data it wrote, with the same number. A kind is the table written
(`actions`, `commentary`, ...), except the figures, which are two: our own (`observations`
rows of origin 'local', from returns) and published ones (origin 'published', from DfE's
files), since most of what a page reads of published figures never changes with a return.
A row of kind '*' (the writes before migration 18, or a write whose table was not
recognised) stands for every kind.

The kinds are worked out from the statements themselves (`written`), not declared by each
writer: a writer cannot forget to say what it changed. Only the figures' origin cannot be
seen in the SQL; a writer may narrow a write to `observations` to the origins it stores
(`Connection.storing_origins`), and without that it counts as both.

A kind's version (`Versions.of`) is the highest number of its rows or of a row of kind
'*': it changes exactly when a transaction writing that kind commits, so a cache keyed on
the version of what it reads is seen to be stale at once, in every process (the rows are in
the database), and not before.

Figures are also told apart by indicator. A transaction that stores staged figures knows
their indicators (`Connection.storing_indicators`: every write to `observations` is of staged
rows, metrics/store/figures.py), and its rows of the kinds those figures bring with them
(`BY_INDICATOR`: the figures, their upload's row, their periods) say which:
`observations:local@short-breaks-receiving`. The plain kind's version is the latest of all
of them (`of(OWN_FIGURES)` sees every upload, as before); an indicator's (`for_indicator`)
only of writes of that indicator's figures, or of writes of the plain kind (whose indicators
are unknown). A read of one indicator's figures that reaches uploads and periods only
through those figures (the indicator page's) is keyed on that: an upload of other
indicators, even of an old quarter, leaves it be (issue 34).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

OWN_FIGURES = "observations:local"  # returns: our council's own figures
PUBLISHED_FIGURES = "observations:published"  # DfE's published figures, every council's
FIGURES = (OWN_FIGURES, PUBLISHED_FIGURES)
ORIGINS = {"local": OWN_FIGURES, "published": PUBLISHED_FIGURES}
EVERYTHING = "*"  # a change of unknown kind: every kind changed
# The kinds a write of figures brings, told apart by indicator when its indicators are known.
BY_INDICATOR = frozenset({*FIGURES, "uploads", "periods"})
# A write of more indicators than this is noted under the plain kinds (a whole EES release):
# its rows would cost more than a cache of a few indicators it could leave be.
MAX_INDICATORS = 100
TAG = "@"

Kind = str

# The table a data-changing statement writes. CREATE, DROP and ALTER (migrations, copies)
# are not read: they change every kind.
_TARGET = re.compile(
    r"""^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|COPY|TRUNCATE(?:\s+TABLE)?)
        \s+(?:ONLY\s+)?"?([A-Za-z_]\w*)"?\s*(?:[\s(,;]|$)""",
    re.I | re.X,
)
_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)


def kinds_of_table(table: str, origins: Iterable[str] | None = None) -> set[Kind]:
    """The kinds a write to `table` changes (`origins`: of the figures it stores, if known)."""
    name = table.lower()
    if name in ("data_changes", "data_change_kinds"):
        return {EVERYTHING}  # a whole store copied or restored: every kind is new
    if name != "observations":
        return {name}
    if origins is None:
        return set(FIGURES)
    return {ORIGINS.get(o, EVERYTHING) for o in origins}


_LEADING = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/|\()*", re.S)


def statement_start(sql: str) -> str:
    """`sql` from its first word: leading blanks, comments and opening brackets passed over
    (`-- why\nUPDATE ...` and `(SELECT ...)` are told by their first word too)."""
    return sql[_LEADING.match(sql).end() :]  # type: ignore[union-attr]  # always matches


def written(sql: str, origins: Iterable[str] | None = None) -> set[Kind]:
    """The kinds of data `sql` changes (a temporary table's statements are not asked about):
    none for a read, EVERYTHING when it changes data but its table cannot be told (CREATE,
    ALTER, DROP; a WITH ... INSERT)."""
    text = statement_start(sql)
    target = _TARGET.match(text)
    if target:
        return kinds_of_table(target.group(1), origins)
    if _CHANGES.match(text) or (text[:4].upper() == "WITH" and _CHANGES.search(text)):
        return {EVERYTHING}
    return set()


def for_indicator(kinds: Iterable[Kind], indicator: str) -> tuple[Kind, ...]:
    """`kinds` as read of one indicator's figures: those of `BY_INDICATOR` narrowed to it
    (`Versions.of` then counts only writes of its figures, and of figures of unknown
    indicators), the others as they are."""
    return tuple(f"{k}{TAG}{indicator}" if k in BY_INDICATOR else k for k in kinds)


@dataclass(frozen=True)
class Versions:
    """The version of each kind of data at one moment (`of`), and the latest of all; and
    which database they are of (`born`): a database made again at the same address (a
    restore into an empty PostgreSQL database, a DuckDB file deleted and made again, which
    the file system may give the same inode) counts its versions again from the same
    numbers, so a cache must be keyed on `born` too, or it could answer for the old one."""

    by_kind: Mapping[Kind, int] = field(default_factory=dict)
    born: int = 0  # when the database's schema was first made (microseconds since 1970)

    # Each plain kind's latest write, its indicators' included (`kind@indicator` rows).
    _rolled: Mapping[Kind, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rolled: dict[Kind, int] = {}
        for kind, version in self.by_kind.items():
            plain = kind.split(TAG, 1)[0]
            rolled[plain] = max(rolled.get(plain, 0), version)
        object.__setattr__(self, "_rolled", rolled)

    @property
    def latest(self) -> int:
        """The latest write's number, of whatever kind: the store's data version."""
        return self.by_kind.get(LATEST, 0)

    def of(self, kinds: Iterable[str]) -> int:
        """The version of the data of these kinds: the latest change of any of them (or of
        unknown kind). 0 before any."""
        found = self.by_kind.get(EVERYTHING, 0)
        for kind in kinds:
            if TAG in kind:  # one indicator's: its own writes, and those of no indicator known
                unknown = kind.split(TAG, 1)[0] + TAG + UNKNOWN_INDICATORS
                found = max(found, self.by_kind.get(kind, 0), self.by_kind.get(unknown, 0))
            else:
                found = max(found, self._rolled.get(kind, 0))
        return found

    def __hash__(self) -> int:
        return hash((self.born, tuple(sorted(self.by_kind.items()))))


class _Reads(Protocol):
    def execute(self, sql: str, params: Any = None) -> Any: ...


# Each kind's version, and the latest of any write (`LATEST`, a name no table has). A write
# with no kinds rows (one committed by a process of an earlier release, still running while a
# newer one migrated the store: a rolling upgrade) is of unknown kind: every kind ('*'). And
# when the database was made (`BORN`: its first migration, which no copy or restore copies).
LATEST, BORN = "", "#born"
# And of the kinds kept per indicator, the latest write that named no indicator (`kind@*`):
# a plain row with no `kind@...` row beside it (written for more than MAX_INDICATORS, or by a
# release before rows per indicator, which every indicator must see). A write naming its
# indicators keeps its plain rows too, so that a process of that earlier release, which
# reads the plain kinds only, still sees it through a rolling upgrade.
UNKNOWN_INDICATORS = "*"
PLAIN_BY_INDICATOR = ", ".join(f"'{k}'" for k in sorted(BY_INDICATOR))
# The plain rows of those kinds with no row per indicator beside them (also what the pruning
# keeps of them: metrics/store/pruning.py), as `p`.
CANDIDATE_ROWS = f"""FROM data_change_kinds p
    WHERE p.kind IN ({PLAIN_BY_INDICATOR})
      AND NOT EXISTS (SELECT 1 FROM data_change_kinds t
                      WHERE t.version = p.version AND t.kind LIKE p.kind || '{TAG}%')"""
VERSIONS = f"""
SELECT kind, max(version) FROM data_change_kinds GROUP BY kind
UNION ALL SELECT '', coalesce(max(version), 0) FROM data_changes
UNION ALL SELECT '*', max(d.version) FROM data_changes d
    WHERE NOT EXISTS (SELECT 1 FROM data_change_kinds k WHERE k.version = d.version)
UNION ALL SELECT p.kind || '{TAG}{UNKNOWN_INDICATORS}', max(p.version) {CANDIDATE_ROWS}
    GROUP BY p.kind
UNION ALL SELECT '#born', CAST(date_part('epoch', min(applied_at)) * 1000000 AS BIGINT)
    FROM schema_version
"""


def versions(con: _Reads) -> Versions:
    """Each kind's version, as committed now, and when the database was made."""
    by_kind: dict[Kind, int] = {}
    for kind, v in con.execute(VERSIONS).fetchall():
        if v is not None:  # no kindless write; a schema with no row yet
            by_kind[kind] = max(by_kind.get(kind, 0), int(v))  # '*' may come twice
    return Versions(by_kind, born=by_kind.pop(BORN, 0))


def rows_for(kinds: set[Kind], indicators: Iterable[str] | None = None) -> list[Kind]:
    """The `data_change_kinds` rows of a transaction that wrote `kinds`: one per kind, and
    of the kinds figures bring (`BY_INDICATOR`), one per kind and indicator when the
    figures' `indicators` are known; one of every kind ('*') when it wrote something
    unrecognised, or nothing seen (a transaction is assumed to have changed something, as
    before kinds were kept)."""
    if not kinds or EVERYTHING in kinds:
        return [EVERYTHING]
    known = sorted(set(indicators or ()))
    if not known or len(known) > MAX_INDICATORS:
        return sorted(kinds)
    rows = set(kinds)  # the plain kinds too: what a process of an earlier release reads
    rows |= {f"{k}{TAG}{i}" for k in kinds & BY_INDICATOR for i in known}
    return sorted(rows)


# Write transactions this process has committed, on any store: a connection's `versions()`
# read before one of them is read again (the write may have been to what it is about to read).
_COMMITS = itertools.count(1)
_LAST = [0]
_LOCK = threading.Lock()


def note_commit() -> None:
    with _LOCK:
        _LAST[0] = next(_COMMITS)


def commits() -> int:
    return _LAST[0]
