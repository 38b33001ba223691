"""A backup of a whole store that either backend can restore: a zip of one Parquet file per
table and `manifest.json` (the schema version, and each table's row count and checksum,
computed as metrics/store/copying.py computes them).

Restoring goes into an empty store only, in one transaction, and checks each table twice:
the file's rows against the manifest (a changed or damaged Parquet file is refused and
nothing is kept), and what was written against the file. Tables are read and written a
batch at a time, so memory stays bounded. A backup from a newer schema than this program's
is refused; so is an older one (its columns may differ from today's tables: restore it with
the release that made it, which migrates on the next opening).
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from metrics.config import redacted
from metrics.store.checksums import Report, TableCheck
from metrics.store.connection import Store, transaction
from metrics.store.copying import (
    BATCH_ROWS,
    BATCH_ROWS_WITH_FILES,
    Audit,
    CopyError,
    all_or_nothing,
    batches,
    clear_derived,
    end_snapshot,
    insert,
    refuse_unless_empty,
    set_sequences,
    snapshot,
    tables,
    verify,
)
from metrics.store.migrating import schema_version
from metrics.store.schema import SCHEMA_VERSION

FORMAT = "outcomes-store-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def backup(source: Store, out: Path) -> Report:
    """Every table of `source` into the zip `out` (written beside it, then moved into place,
    so a failed backup never leaves a half file under the name)."""
    if not source.exists():
        raise CopyError(f"there is no database at {source.path}")
    if out.exists():
        raise CopyError(f"{out} already exists: give a new file name")
    report = Report()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as folder:
        work = Path(folder)
        with source.connect() as con:
            version = schema_version(con)
            snapshot(con)  # one moment's data, whatever is written meanwhile
            try:
                for name in tables(con):
                    report.source[name] = _write_table(con, name, work / f"{name}.parquet")
            finally:
                end_snapshot(con)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": version,
            "made_at": datetime.now().isoformat(timespec="seconds"),
            "source": redacted(str(source.path)),
            "tables": {
                name: {"rows": t.rows, "checksum": t.checksum} for name, t in report.source.items()
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = work / "backup.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:  # Parquet is compressed
            archive.write(work / MANIFEST, MANIFEST)
            for name in report.source:
                archive.write(work / f"{name}.parquet", f"tables/{name}.parquet")
        partial.replace(out)
    report.target = report.source
    return report


def _write_table(con: Any, name: str, path: Path) -> TableCheck:
    seen = TableCheck()
    writer: pq.ParquetWriter | None = None
    for batch in batches(con, name):
        seen.add(batch)
        if writer is None:
            writer = pq.ParquetWriter(path, batch.schema, compression="zstd")
        writer.write_table(batch)
    if writer is None:  # an empty table: its columns, no rows
        empty = con.arrow(f"SELECT * FROM {name} LIMIT 0")
        pq.write_table(empty, path, compression="zstd")
    else:
        writer.close()
    return seen


def read_manifest(archive: zipfile.ZipFile, file: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as err:
        raise CopyError(f"{file} is not a store backup (no readable {MANIFEST})") from err
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise CopyError(f"{file} is not a store backup ({MANIFEST} is not one)")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise CopyError(
            f"{file} is a backup of schema version {version}, newer than this program's "
            f"({SCHEMA_VERSION}): restore it with the program that made it, or a later one"
        )
    if version < SCHEMA_VERSION:
        raise CopyError(
            f"{file} is a backup of schema version {version}, older than this program's "
            f"({SCHEMA_VERSION}): restore it with the release that made it (opening the store "
            "with this program then migrates it)"
        )
    return manifest


def restore(file: Path, target: Store, audit: Audit, described: str) -> Report:
    """The backup `file` into the empty `target`: all tables in one transaction, each checked
    against the manifest and read back; anything failing leaves the target empty."""
    if not file.is_file():
        raise CopyError(f"there is no backup file at {file}")
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as err:
        raise CopyError(f"{file} is not a store backup (not a zip file)") from err
    report = Report()
    with archive, target.connect() as con:
        manifest = read_manifest(archive, file)
        names = refuse_unless_empty(con, "the store restored into")
        listed: dict[str, dict[str, Any]] = manifest["tables"]
        if set(listed) != set(names):
            raise CopyError(
                f"{file} has different tables from this store: {sorted(set(listed) ^ set(names))}"
            )
        with all_or_nothing("restore", "the store"), transaction(con):
            refuse_unless_empty(con, "the store restored into")  # nobody wrote meanwhile
            clear_derived(con)
            for name in names:
                report.source[name] = _restore_table(archive, name, listed[name], con, file)
            set_sequences(con)
            verify(con, report)
            audit(con, f"{described}: {len(names)} tables, {report.rows} rows, verified")
    return report


def _restore_table(
    archive: zipfile.ZipFile, name: str, expected: dict[str, Any], con: Any, file: Path
) -> TableCheck:
    seen = TableCheck()
    try:
        with archive.open(f"tables/{name}.parquet") as stream:
            parquet = pq.ParquetFile(stream)
            files = any(pa.types.is_binary(t) for t in parquet.schema_arrow.types)
            size = BATCH_ROWS_WITH_FILES if files else BATCH_ROWS
            for batch in parquet.iter_batches(batch_size=size):
                table = pa.Table.from_batches([batch])
                seen.add(table)
                if table.num_rows:
                    insert(con, name, table)
    except (KeyError, OSError, pa.ArrowException, zipfile.BadZipFile) as err:
        raise CopyError(
            f"{file}: the table {name} cannot be read ({str(err).splitlines()[0]}); "
            "nothing was kept: the store is still empty"
        ) from err
    if (seen.rows, seen.checksum) != (expected.get("rows"), expected.get("checksum")):
        raise CopyError(
            f"{file}: the table {name} does not match its manifest ({seen.rows} rows read, "
            f"{expected.get('rows')} listed, or a different checksum): the backup was changed "
            "or damaged; nothing was kept: the store is still empty"
        )
    return seen
