"""The `store` commands: copy a whole store between a DuckDB file and a PostgreSQL database,
back one up to a file either backend can restore, and restore it (metrics/store/copying.py,
metrics/store/backup.py). Each prints a table-by-table report of rows and checksums."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metrics.access import audit
from metrics.access.people import command_line
from metrics.config import database, redacted
from metrics.deployment import SettingError
from metrics.store.backup import backup, restore
from metrics.store.checksums import Report
from metrics.store.connection import Connection, Store
from metrics.store.copying import Audit, copy_store


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    store = sub.add_parser(
        "store",
        help="copy, back up or restore a whole store (DuckDB file or PostgreSQL)",
        description="Move a council's whole store between a DuckDB file and a PostgreSQL "
        "database, or back it up and restore it. The target must be empty; everything is "
        "written in one transaction and verified (rows and a checksum per table) before it is "
        "kept. Exit 0: done and verified; 2: refused or failed (nothing kept).",
    )
    store.set_defaults(db=None)
    actions = store.add_subparsers(dest="store_action", required=True, metavar="ACTION")
    copy = actions.add_parser(
        "copy",
        help="copy a whole store into an empty one",
        description="Copy every table of SOURCE into the empty TARGET, verify it, and add an "
        "audit row on the target saying who copied it from where.",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="PATH|URL")
    copy.add_argument("--to", dest="target", required=True, metavar="PATH|URL")
    copy.add_argument("--user", metavar="NAME", help="who is copying (default: your login)")
    copy.set_defaults(db=None)
    back = actions.add_parser(
        "backup",
        parents=[common],
        help="write a backup file either backend can restore",
        description="Write FILE: a zip of one Parquet file per table and a manifest (schema "
        "version, rows and checksum per table). FILE must not exist yet.",
    )
    back.add_argument("--out", required=True, type=Path, metavar="FILE")
    rest = actions.add_parser(
        "restore",
        parents=[common],
        help="restore a backup file into an empty store",
        description="Restore FILE into the empty store at --db, checking every table against "
        "the backup's manifest and reading it back; a changed file or a backup from another "
        "schema version is refused.",
    )
    rest.add_argument("--from", dest="source", required=True, type=Path, metavar="FILE")
    rest.add_argument("--user", metavar="NAME", help="who is restoring (default: your login)")


def _audited(user: str | None, kind: str, obj: str) -> Audit:
    actor = command_line(user)

    def add(con: Connection, summary: str) -> None:
        audit.record(con, actor, kind, obj, summary)

    return add


def _print(report: Report) -> None:
    for line in report.lines():
        print(line)
    print(f"{len(report.source)} tables, {report.rows} rows: verified")


def cmd_store(args: argparse.Namespace) -> int:
    try:
        if args.store_action == "copy":
            source, target = database(args.source), database(args.target)
            where = f"from {redacted(str(source))} to {redacted(str(target))}"
            print(f"copying {where}", file=sys.stderr)
            report = copy_store(
                Store(source),
                Store(target),
                _audited(args.user, "store copied", redacted(str(target))),
                f"Copied {where}",
            )
        elif args.store_action == "backup":
            print(f"database: {redacted(str(args.db))}", file=sys.stderr)
            report = backup(Store(args.db), args.out)
            print(f"backup written to {args.out}", file=sys.stderr)
        else:
            print(f"database: {redacted(str(args.db))}", file=sys.stderr)
            report = restore(
                args.source,
                Store(args.db),
                _audited(args.user, "store restored", redacted(str(args.db))),
                f"Restored from the backup {args.source.name}",
            )
    except SettingError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    _print(report)
    return 0
