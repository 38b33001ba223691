"""The command line: `python -m metrics COMMAND`, also the basis for scheduled jobs.

Exit codes: 0 success (for `load`: loaded or no change), 1 the input was rejected, 2 usage
error (argparse's own) or a problem with the database or charter files.

`--db PATH` may come before the command or after it (two different paths are a usage
error), and every command that uses a database names it on standard error first, so a
scheduled job's log shows which file it changed.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from charter import CharterError
from metrics.cli import (
    access as commands_access,
    analysis as commands_analysis,
    data as commands_data,
    evidence as commands_evidence,
    lait as commands_lait,
    needs as commands_needs,
    neighbours as commands_neighbours,
    outlook as commands_outlook,
    parser_data,
    parser_read,
    partners as commands_providers,
    published as commands_published,
    reminders as commands_reminders,
    review as commands_review,
    store as commands_store,
)
from metrics.cli.choices import UsageError
from metrics.config import DATABASE_URL_ENV, DB_ENV, database, redacted
from metrics.deployment import SettingError
from metrics.store.connection import StoreError
from metrics.store.on_disk import command_at_work

DB_BEFORE = "db_before_command"  # `--db` before the command; a subcommand's own is `db`


def _db_option(dest: str = "db") -> argparse.ArgumentParser:
    """`--db`, for the main parser (dest DB_BEFORE) and every command (dest `db`): two names,
    because a subcommand's default would otherwise overwrite a value given before it."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        dest=dest,
        metavar="PATH|URL",
        help=f"database file, or a postgresql:// URL (default: ${DATABASE_URL_ENV}, "
        f"${DB_ENV} or data/outcomes.duckdb); before or after the command",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _db_option()
    parser = argparse.ArgumentParser(
        prog="python -m metrics",
        parents=[_db_option(DB_BEFORE)],
        description="Outcomes dashboard for disabled children's services: data in and out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parser_data.add_parsers(sub, common)
    parser_read.add_parsers(sub, common)
    commands_review.add_pack_parser(sub, common)
    commands_evidence.add_parsers(sub, common)
    commands_published.add_parser(sub, common)
    commands_store.add_parser(sub, common)
    commands_reminders.add_parser(sub, common)
    commands_neighbours.add_parser(sub, common)
    commands_lait.add_parser(sub, common)
    commands_outlook.add_parsers(sub, common)
    commands_outlook.add_forecast_parser(sub, common)
    commands_needs.add_parsers(sub, common)
    return parser


# Commands that never open a database (they read files or the charter only; `store` names its own).
NO_DATABASE = frozenset({"template", "spc", "store", "neighbours-refresh", "lait-extract"})
# Commands that bring data in, and so may make the DuckDB file they name (a new council's first
# return or import). Every other command reads or changes what is stored: a file that is not
# there is a mistyped path, refused, where opening it would make an empty database (and
# `remind` would then chase every owner for figures the real one holds).
MAY_MAKE_DATABASE = frozenset(
    {"demo", "load", "import-ees", "import-lait", "import-s251", "load-needs", "load-finance"}
)


def chosen_database(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path | str:
    """The one database the command works on: `--db` (a file or a postgresql:// URL)
    wherever it was written, else $OUTCOMES_DATABASE_URL, else $OUTCOMES_DB, else
    data/outcomes.duckdb. Two different `--db` values are a usage error."""
    before, after = getattr(args, DB_BEFORE), args.db
    try:
        if before is not None and after is not None and database(before) != database(after):
            parser.error(f"--db is given twice, as {before} and as {after}: give it once")
        return database(after if after is not None else before)  # "--db ''" is not unset
    except SettingError as err:
        parser.error(str(err))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = chosen_database(parser, args)
    if args.command not in NO_DATABASE:
        print(f"database: {redacted(str(args.db))}", file=sys.stderr)
        if isinstance(args.db, Path) and not args.db.exists():
            if args.command not in MAY_MAKE_DATABASE:
                print(
                    f"error: there is no database at {args.db}: check --db (or OUTCOMES_DB); "
                    "a database is made by loading a return (python -m metrics load) or "
                    "by python -m metrics demo",
                    file=sys.stderr,
                )
                return 2
            print(f"There is no database at {args.db} yet: a new one is made.", file=sys.stderr)
    try:
        with _at_work(args):
            return int(COMMANDS[args.command](args))
    except BrokenPipeError:  # `metrics uploads | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return 0
    except CharterError as err:
        print(err, file=sys.stderr)
        return 2
    except StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (SettingError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _at_work(args: argparse.Namespace) -> AbstractContextManager[None]:
    """While a command runs on a DuckDB file, an app server's watch on the same file waits
    for it to end, then reads what it changed at once (metrics/store/on_disk.py)."""
    if args.command in NO_DATABASE or not isinstance(args.db, Path):
        return nullcontext()
    return command_at_work(args.db)


COMMANDS = {
    "demo": commands_data.cmd_demo,
    "template": commands_data.cmd_template,
    "load": commands_data.cmd_load,
    "accept": commands_providers.cmd_accept,
    "return": commands_providers.cmd_return,
    "quality": commands_providers.cmd_quality,
    "series": commands_data.cmd_series,
    "status": commands_analysis.cmd_status,
    "spc": commands_analysis.cmd_spc,
    "import-ees": commands_analysis.cmd_import_ees,
    "uploads": commands_data.cmd_uploads,
    "audit": commands_access.cmd_audit,
    "review": commands_review.cmd_review,
    "actions": commands_review.cmd_actions,
    "pack": commands_review.cmd_pack,
    "evidence": commands_evidence.cmd_evidence,
    "self-review": commands_evidence.cmd_self_review,
    "published": commands_published.cmd_published,
    "store": commands_store.cmd_store,
    "remind": commands_reminders.cmd_remind,
    "neighbours-refresh": commands_neighbours.cmd_neighbours_refresh,
    "import-lait": commands_lait.cmd_import_lait,
    "lait-extract": commands_lait.cmd_lait_extract,
    "scorecard": commands_outlook.cmd_scorecard,
    "forecast": commands_outlook.cmd_forecast,
    **commands_needs.COMMANDS,
}
