"""Replacing a database: only a demo may be replaced by the demo, and never without a copy kept;
and a command's `--out` file is never overwritten without a copy kept either.

`python -m metrics demo` once replaced a live database (its upload history and audit trail)
because `--db` was read from the wrong place and `--force` asked no questions. Now the file
is inspected read-only first, without migrating it (it may be another application's): a
database holding anything a person did outside the demo is refused whatever the flags say,
and a demo database is copied aside before the new one takes its place. `template --out
t.xlsx` run again over a return someone has filled in keeps that return the same way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from metrics.store.errors import StoreError

TABLES = "SELECT table_name FROM information_schema.tables"
# Work recorded by anyone but the demo: its generator and its pretend people at the command
# line (subjects 'demo-...', names '... (demo)'), and whoever used the app in demo mode.
NOT_DEMO_WORK = """
SELECT count(*) FROM audit
WHERE NOT (via = 'demo' OR name = $generator
           OR (subject LIKE 'demo-%' AND name LIKE '% (demo)'))
"""
NOT_DEMO_UPLOADS = """
SELECT count(*) FROM uploads
WHERE NOT (uploaded_by = $generator OR uploaded_by LIKE '% (demo)' OR uploaded_by LIKE 'demo (%')
"""


def not_a_demo(path: Path, generator: str) -> str | None:
    """Why the database at `path` must not be replaced by the demo, or None when it holds
    only a demo (or nothing). `generator` is the name the demo's own work is recorded under
    (metrics/demo/stories.DEMO_USER: the store does not import the domain)."""
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        reason = "it is open in another program" if "lock" in str(err).lower() else str(err)
        return f"it cannot be read as this app's database ({reason.splitlines()[0]})"
    try:
        tables = {row[0] for row in con.execute(TABLES).fetchall()}
        if not tables:
            return None
        if not {"audit", "uploads"} <= tables:
            return "it holds another application's tables"
        work = con.execute(NOT_DEMO_WORK, {"generator": generator}).fetchall()[0][0]
        uploads = con.execute(NOT_DEMO_UPLOADS, {"generator": generator}).fetchall()[0][0]
    finally:
        con.close()
    if work or uploads:
        return (
            f"it holds real work: {work} audited changes and {uploads} uploads by people "
            "other than the demo"
        )
    return None


def keep_copy(path: Path, why: str) -> Path | None:
    """Copy the database at `path` (and its write-ahead log) aside before it is replaced or
    dropped; the copy's name says when and why. None when there is no file to keep."""
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    copy = path.with_name(f"{path.stem}.before-{why}-{stamp}{path.suffix}")
    shutil.copy2(path, copy)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    return copy


def set_aside_wal(path: Path, copy: Path | None, why: str) -> Path | None:
    """Move the write-ahead log beside the database at `path` out of the way, just before a
    new file takes that place: it belongs to the old database, and DuckDB refuses to open a
    file whose log does not match it (an older one might replay it). It goes beside `copy`
    (the kept old database, whose copied log it replaces), or under a name of its own when
    there was no database to copy. Returns where it went, None when there was no log."""
    wal = path.with_name(path.name + ".wal")
    if not wal.exists():
        return None
    if copy is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        aside = path.with_name(f"{path.stem}.before-{why}-{stamp}{path.suffix}.wal")
    else:
        aside = copy.with_name(copy.name + ".wal")
    wal.replace(aside)
    return aside


def write_out(path: Path, content: bytes) -> Path | None:
    """Write a command's output file whole or not at all (a full disk or a failure midway
    leaves no half-written pack or CSV under its name); a different file already there is
    copied aside first (returned, for the command to say where). A path that cannot be
    written is a StoreError naming it and why, never a traceback."""
    if path.is_dir():
        raise StoreError(f"cannot write {path}: it is a folder; give a file's name")
    if not path.parent.is_dir():
        raise StoreError(f"cannot write {path}: there is no folder {path.parent}")
    kept = None
    part = path.with_name(f".{path.name}.part-{os.getpid()}")
    try:
        if path.is_file() and path.read_bytes() != content:
            kept = keep_copy(path, "overwrite")
        part.write_bytes(content)
        os.replace(part, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {err.strerror or err}") from None
    return kept


KNOWN_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".pdf": "pdf", ".html": "html", ".htm": "html",
                  ".json": "json"}  # fmt: skip


def named_for(path: Path, fmt: str) -> str | None:
    """Why an output file's name does not suit what is written into it (a CSV named
    return.xlsx, which Excel and `load` then refuse), or None."""
    named = KNOWN_SUFFIXES.get(path.suffix.lower())
    if named is None or named == fmt:
        return None
    return (
        f"{path} is named for {named.upper()}, but {fmt.upper()} would be written "
        f"into it: name it {path.stem}.{fmt}, or ask for --format {named}"
    )


def kept(copy: Path | None) -> None:
    """Say, at the command line, where a file a command replaced was kept."""
    if copy is not None:
        print(f"The file that was there is kept as {copy}", file=sys.stderr)
