"""Import DfE's Local Authority Interactive Tool (LAIT) long-format data (its
`bds_long_0.parquet`, or the same columns as CSV) through the published-statistics path
EES files take: the file is read as EES columns in a private DuckDB, then staged, checked
and committed by ees.py, stage.py, select.py and rules.py as any release is.

LAIT's file has `Short Desc` (the measure code), `Years`, `LA and Regions` (the area's
name), `Values` (text), `LA Number` (DfE's three-digit number; 970 England, 980-990 the
regions and London's halves) and `Region`. Areas become GSS codes by metrics/reference
(a council by its LA number, a region by its name, London's inner and outer halves, "London
(Inner)" and "London (Outer)", by name as Inner and Outer London: E13000001 and E13000002 at
the Regional level, as EES releases publish them; metrics/reference lists which borough is in
which). Years are read by the mapping's year type (the file does not say
it): a single year Y of an academic or financial year ends in Y, "(prov)" marks a
provisional figure. LAIT's missing-value marks become EES symbols: NA (missing or
suppressed) and ".", "..", "..." are x (not available), "-" (does not apply) is z; EES
symbols (c, x, z, low, ...) are kept as they are.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from charter import Charter
from charter.lait_models import MEASURE_COLUMN, VALUE_COLUMN, LaitMapping
from metrics.access.people import Actor
from metrics.ingest.published.ees import import_ees
from metrics.ingest.published.read import (
    MEMORY_LIMIT,
    EesError,
    EesFile,
    EesReport,
    csv_problem,
    text_problem,
)
from metrics.reference import COUNCIL, ENGLAND, NATIONAL, REGIONAL, SUB_REGIONAL, known_areas
from metrics.store.connection import Store

REQUIRED = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
AS_AT_KEY = b"published_as_at"  # an extract's own date (metrics/reference/lait_extract.py)
ENGLAND_NUMBER = "970"
CALENDAR_TYPES = ("Calendar Year", "Annual - January", "Annual", "Annual (end of Sept)")
EES_COLUMNS = (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "new_la_code", "la_name", "old_la_code", "version",
    MEASURE_COLUMN, VALUE_COLUMN,
)  # fmt: skip


class LaitFile(EesFile):
    """A LAIT file read as an EES file: `read_csv` names the table of its EES columns."""

    def read_csv(self) -> str:
        return "lait_as_ees"


def lait_areas() -> pa.Table:
    """(number, name, code, level): councils by LA number (the current code where a number
    has several), England as 970, the regions by name (LAIT numbers them 980-990), and
    London's halves by LAIT's name ("London (Inner)" for Inner London) at the Regional level,
    where EES releases put them."""
    numbers: dict[str, tuple[str, str, str]] = {ENGLAND_NUMBER: ("England", ENGLAND, NATIONAL)}
    names: dict[str, tuple[str, str]] = {}
    for a in known_areas().values():
        if a.level == COUNCIL and a.old_code and (a.old_code not in numbers or not a.successors):
            numbers[a.old_code] = (a.name, a.code, a.level)
        elif a.level == REGIONAL:
            names[a.name.lower()] = (a.code, a.level)
        elif a.level == SUB_REGIONAL:  # "Inner London" is LAIT's "London (Inner)"
            half, _, place = a.name.lower().partition(" ")
            names[f"{place} ({half})"] = (a.code, REGIONAL)
    return pa.table(
        {
            "number": [*numbers, *([""] * len(names))],
            "name": [n for n, _, _ in numbers.values()] + list(names),
            "code": [c for _, c, _ in numbers.values()] + [c for c, _ in names.values()],
            "level": [lv for _, _, lv in numbers.values()] + [lv for _, lv in names.values()],
        }
    )


AS_EES = """
CREATE TABLE lait_as_ees AS
WITH raw AS (
    SELECT trim("Short Desc") AS measure, trim(coalesce("Years", '')) AS years,
           trim(coalesce("LA and Regions", '')) AS area_name, "Values" AS cell,
           regexp_replace(trim(coalesce(CAST("LA Number" AS VARCHAR), '')), '\\.0+$', '')
               AS number
    FROM {source} WHERE trim("Short Desc") IN (SELECT measure FROM year_types)
), read AS (
    SELECT r.*, t.year_type,
           trim(regexp_replace(r.years, '\\s*\\([^)]*\\)\\s*$', '')) AS y,
           lower(regexp_extract(r.years, '\\(([^)]*)\\)\\s*$', 1)) AS mark,
           coalesce(c.code, g.code, CASE WHEN r.number <> '' THEN 'LA ' || r.number END,
                    '') AS code,
           coalesce(c.level, g.level,
                    CASE WHEN lower(r.area_name) LIKE '%london (%' THEN 'Sub-regional'
                         ELSE 'Local authority' END) AS level
    FROM raw r JOIN year_types t ON t.measure = r.measure
    LEFT JOIN lait_areas c ON c.number = r.number AND c.number <> ''
    LEFT JOIN lait_areas g ON g.number = '' AND g.name = lower(r.area_name)
)
SELECT
    CASE WHEN year_type IN ({calendar}) THEN y
         WHEN regexp_full_match(y, '\\d{{4}}')
             THEN CAST(CAST(y AS INTEGER) - 1 AS VARCHAR) || right(y, 2)
         WHEN regexp_full_match(y, '\\d{{4}}[-/]\\d{{2}}') THEN left(y, 4) || right(y, 2)
         ELSE y END AS time_period,
    CASE WHEN year_type IN ({calendar}) THEN 'Calendar year'
         WHEN year_type = 'Academic Year' THEN 'Academic year'
         ELSE 'Financial year' END AS time_identifier,
    level AS geographic_level,
    CASE WHEN level = 'National' THEN code ELSE '{england}' END AS country_code,
    'England' AS country_name,
    CASE WHEN level = 'Regional' THEN code ELSE '' END AS region_code,
    CASE WHEN level = 'Regional' THEN area_name ELSE '' END AS region_name,
    CASE WHEN level NOT IN ('National', 'Regional') THEN code ELSE '' END AS new_la_code,
    CASE WHEN level NOT IN ('National', 'Regional') THEN area_name ELSE '' END AS la_name,
    CASE WHEN level = 'Local authority' THEN number ELSE '' END AS old_la_code,
    CASE WHEN mark IN ('prov', 'p', 'provisional') THEN 'provisional' ELSE '' END AS version,
    measure AS "{measure}",
    CASE WHEN cell IS NULL OR upper(trim(cell)) = 'NA' OR trim(cell) IN ('.', '..', '...')
             THEN 'x'
         WHEN trim(cell) = '-' THEN 'z'
         ELSE trim(cell) END AS "{value}"
FROM read
"""


def as_at_of(content: bytes) -> date | None:
    """The date an extract says its figures are as at (its Parquet metadata), if it says."""
    if not content.startswith(b"PAR1"):
        return None
    meta = pq.read_schema(pa.BufferReader(content)).metadata or {}
    found = meta.get(AS_AT_KEY)
    return date.fromisoformat(found.decode()) if found else None


@contextmanager
def open_lait(content: bytes, year_types: dict[str, str]) -> Iterator[LaitFile]:
    """The LAIT file (Parquet or CSV) as table `lait_as_ees`: only the mapped measures'
    rows, with EES's columns."""
    if not content.strip():
        raise EesError("the file is empty")
    parquet = content.startswith(b"PAR1")
    if not parquet and (problem := text_problem(content)):
        raise EesError(problem)
    with tempfile.TemporaryDirectory(prefix="lait-") as folder:
        path = Path(folder, "lait.parquet" if parquet else "lait.csv")
        path.write_bytes(content)
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": folder})
        try:
            quoted_path = "'" + str(path).replace("'", "''") + "'"
            source = (
                f"read_parquet({quoted_path})"
                if parquet
                else f"read_csv({quoted_path}, header = true, all_varchar = true, nullstr = 'NA')"
            )
            try:
                columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
            except duckdb.Error as err:
                raise EesError(f"the file could not be read: {_plainly(err)}") from None
            if missing := [c for c in REQUIRED if c not in columns]:
                raise EesError(
                    f"this is not LAIT's long-format data: it lacks the columns "
                    f"{', '.join(missing)} (it has: {', '.join(columns[:20])})"
                )
            con.register("year_types", pa.table({
                "measure": list(year_types), "year_type": list(year_types.values())
            }))  # fmt: skip
            con.register("lait_areas", lait_areas())
            sql = AS_EES.format(
                source=source,
                england=ENGLAND,
                measure=MEASURE_COLUMN,
                value=VALUE_COLUMN,
                calendar=", ".join(f"'{t}'" for t in CALENDAR_TYPES),
            )
            try:  # a CSV file's rows past the part DuckDB sniffed are read here
                con.execute(sql)
            except duckdb.InvalidInputException as err:
                raise EesError(f"the file could not be read: {_plainly(err)}") from None
            yield LaitFile(con, str(path), list(EES_COLUMNS))
        finally:
            con.close()


def _plainly(err: duckdb.Error) -> str:
    """DuckDB's error in a reader's words (read.csv_problem), not the driver's own text."""
    return csv_problem(err) if isinstance(err, duckdb.InvalidInputException) else str(err)


def import_lait(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    mapping: LaitMapping,
    *,
    as_at: date | None = None,
    dry_run: bool = False,
    by: Actor | str | None = None,
    log_rejection: bool = True,
) -> EesReport:
    """Import (or preview) a LAIT file through the mapping, as an EES release is imported.
    `as_at` (else the extract's own date) is kept as the date the figures are as at, and
    written into the source of every figure."""
    as_at = as_at or as_at_of(content)
    ees = mapping.as_ees()
    if as_at is not None:
        ees = ees.model_copy(
            update={"source": f"{ees.source}, published figures as at {as_at:%-d %B %Y}"}
        )
    types = mapping.year_types()
    return import_ees(
        store,
        charter,
        file_name,
        content,
        ees,
        dry_run=dry_run,
        by=by,
        log_rejection=log_rejection,
        opener=lambda data: open_lait(data, types),
        as_at=as_at,
        compendium=True,
    )
