"""The compact extract of LAIT's data shipped with the product
(metrics/reference/lait_sen.parquet): the rows of LAIT's long-format file
(bds_long_0.parquet) for the measures the shipped LAIT mappings use, for England, every
region and every council, every year, as LAIT wrote them (values as text, symbols kept),
with the date the figures are as at in the file's metadata. A fresh installation's demo
imports it (metrics/demo/published.py), so benchmarks work out of the box. Regenerate it
from a newer LAIT file with

    python -m metrics lait-extract bds_long_0.parquet --as-at 2026-04-08

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from metrics.ingest.published.lait import AS_AT_KEY, REQUIRED, as_at_of

EXTRACT = Path(__file__).parents[2] / "reference" / "lait_sen.parquet"
COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region")
LICENCE = b"Contains public sector information licensed under the Open Government Licence v3.0"


def write_extract(full: Path, measures: list[str], as_at: date, out: Path = EXTRACT) -> int:
    """Write the extract of `full` (LAIT's Parquet or CSV) for `measures`; the rows written.
    A measure the file lacks is an error (a renamed code would silently drop out)."""
    con = duckdb.connect()
    try:
        quoted = "'" + str(full).replace("'", "''") + "'"
        source = (
            f"read_parquet({quoted})"
            if full.read_bytes()[:4] == b"PAR1"
            else f"read_csv({quoted}, header = true, all_varchar = true, nullstr = 'NA')"
        )
        have = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        if missing := [c for c in REQUIRED if c not in have]:
            raise ValueError(f"{full.name}: not LAIT's long format: no {', '.join(missing)}")
        picked = ", ".join(
            f'CAST("{c}" AS VARCHAR) AS "{c}"' if c in have else f'NULL::VARCHAR AS "{c}"'
            for c in COLUMNS
        )
        table = con.sql(
            f'SELECT {picked} FROM {source} WHERE "Short Desc" IN (SELECT unnest($m)) '
            'ORDER BY "Short Desc", "Years", "LA Number"',
            params={"m": measures},
        ).to_arrow_table()
    finally:
        con.close()
    found = set(table.column("Short Desc").to_pylist())
    if absent := sorted(set(measures) - found):
        raise ValueError(f"{full.name} has no rows for {', '.join(absent)}")
    meta = {AS_AT_KEY: as_at.isoformat().encode(), b"licence": LICENCE, b"from": full.name.encode()}
    table = table.cast(pa.schema([pa.field(c, pa.string()) for c in COLUMNS], metadata=meta))
    pq.write_table(table, out, compression="zstd", compression_level=19)
    return int(table.num_rows)


def extract_as_at(path: Path = EXTRACT) -> date:
    found = as_at_of(path.read_bytes())
    if found is None:
        raise ValueError(f"{path.name} does not say the date its figures are as at")
    return found
