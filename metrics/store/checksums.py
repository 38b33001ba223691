"""Row counts and checksums of a store's tables, the same for the same data on every
backend: what `store copy`, `backup` and `restore` verify (metrics/store/copying.py).

Why the checksum is computed here, in Python, over normalised rows, and not by the databases:
each database prints numbers, dates and bytes in its own way (DuckDB writes `85.0`, PostgreSQL
`85`), so a checksum in SQL would differ for the same data. Each row is put in one canonical
form (`canonical_rows`, from the Arrow table the `Connection` reads), hashed with SHA-256, and
the hashes are added up modulo 2**256: the sum does not depend on the order rows are read in
(a text key sorts differently under a PostgreSQL locale than in DuckDB) but changes with any
row added, lost or altered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class TableCheck:
    """A table's row count and checksum (see the module's docstring)."""

    rows: int = 0
    total: int = 0  # the sum of the rows' hashes, modulo 2**256

    @property
    def checksum(self) -> str:
        return f"{self.total:064x}"

    def add(self, batch: pa.Table) -> None:
        self.rows += batch.num_rows
        self.total = (self.total + sum(map(row_hash, canonical_rows(batch)))) % 2**256


@dataclass
class Report:
    """What a copy, backup or restore moved and checked, table by table."""

    source: dict[str, TableCheck] = field(default_factory=dict)
    target: dict[str, TableCheck] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"{'table':<24} {'rows':>9}  checksum (first 16)  verified"]
        for name, left in self.source.items():
            right = self.target.get(name)
            same = right is not None and (right.rows, right.total) == (left.rows, left.total)
            out.append(
                f"{name:<24} {left.rows:>9}  {left.checksum[:16]}    {'yes' if same else 'NO'}"
            )
        return out

    @property
    def verified(self) -> bool:
        return all(
            (t.rows, t.total) == (s.rows, s.total)
            for s, t in ((s, self.target.get(n)) for n, s in self.source.items())
            if t is not None
        ) and set(self.source) == set(self.target)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.source.values())


def canonical_rows(batch: pa.Table) -> list[str]:
    """Each row as one text, the same for the same data whichever backend it came from:
    every value as Arrow's text for its type (both backends give each column the same Arrow
    type), bytes as hex, each framed by its length (`3:abc`) so that no value can run into
    the next, NULL as `N` (apart from empty text, `0:`). Vectorised: one Python object per
    row, not per value."""
    if not batch.num_columns:
        return []
    framed = [_framed(column) for column in batch.columns]
    return pc.binary_join_element_wise(*framed, "|").to_pylist()  # type: ignore[no-any-return]


def _framed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        text = pa.chunked_array(
            [pa.array([None if v is None else v.hex() for v in column.to_pylist()], pa.string())]
        )
    else:
        text = pc.cast(column, pa.string())
    lengths = pc.cast(pc.utf8_length(text), pa.string())
    return pc.fill_null(pc.binary_join_element_wise(lengths, text, ":"), "N")


def row_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
