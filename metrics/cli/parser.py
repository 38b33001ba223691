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
from pathlib import Path

from charter import CharterError
from metrics.assess.target import Polarity
from metrics.cli import (
    access as commands_access,
    analysis as commands_analysis,
    data as commands_data,
    evidence as commands_evidence,
    lait as commands_lait,
    needs as commands_needs,
    neighbours as commands_neighbours,
    outlook as commands_outlook,
    partners as commands_providers,
    published as commands_published,
    reminders as commands_reminders,
    review as commands_review,
    store as commands_store,
)
from metrics.config import DATABASE_URL_ENV, DB_ENV, MAX_UPLOAD_ENV, database, megabytes, redacted
from metrics.deployment import SettingError
from metrics.store.connection import StoreError


def _size_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-size",
        metavar="MB",
        type=_megabytes,
        help=f"refuse files larger than this (default: ${MAX_UPLOAD_ENV}, else the web "
        "upload limit in .streamlit/config.toml)",
    )


def _megabytes(text: str) -> float:
    try:
        return megabytes(text, "--max-size")
    except SettingError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


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

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="build the fictional demo council's database",
        description="Build the demo council (Wrenfield, fictional) from scratch. An existing "
        "demo database is copied aside first (the copy is named); a database holding anything "
        "but a demo (uploads or changes by real people, another application's tables) is "
        "never replaced.",
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="accepted for old scripts: replacing a demo needs it no more",
    )
    demo.add_argument(
        "--scale",
        choices=["council", "national"],
        default="council",
        help="council: the demo council with its stories (default); national: 153 fictional "
        "councils x every indicator x 12 years x breakdowns (about 1.6 million rows)",
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="where to write the demo's CSV returns (default: a 'demo' folder beside the database)",
    )

    tpl = sub.add_parser(
        "template",
        parents=[common],
        help="write the quarterly return template",
        description="Write the return template: one row per indicator, period "
        "and breakdown group, figures left empty.",
    )
    tpl.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    tpl.add_argument("--out", metavar="FILE", help="output file (default: standard output for csv)")
    tpl.add_argument(
        "--period",
        metavar="LABEL",
        help="the quarter the return is for, e.g. '2024-25 Q1' (default: the latest "
        "complete quarter)",
    )

    load = sub.add_parser(
        "load",
        parents=[common],
        help="validate and load a quarterly return",
        description="Validate a CSV or XLSX return and store it, all or nothing. "
        "Exit 0: loaded or no change; 1: rejected (errors printed); 2: usage.",
    )
    load.add_argument("file", type=Path)
    load.add_argument(
        "--dry-run", action="store_true", help="validate and show what would change, store nothing"
    )
    load.add_argument("--reason", metavar="TEXT", help="why stored figures are being revised")
    load.add_argument(
        "--confirm",
        action="store_true",
        help="store figures that look unusual (listed by a dry run) after checking them",
    )
    load.add_argument("--user", metavar="NAME", help="who is loading (default: your login)")
    load.add_argument(
        "--provider",
        metavar="ID",
        help="a provider's return (charter/providers.yaml), read through its layout: "
        "submitted for an analyst to accept, not stored",
    )
    _size_option(load)

    acc = sub.add_parser(
        "accept",
        parents=[common],
        help="accept a provider's submitted return: store its figures",
        description="Store a submitted return's figures (as any return: all or nothing) and "
        "mark it accepted. Exit 0: stored; 1: not stored (why printed).",
    )
    acc.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    acc.add_argument("--reason", metavar="TEXT", help="why stored figures are being revised")
    acc.add_argument("--confirm", action="store_true", help="store unusual figures, checked")
    acc.add_argument("--user", metavar="NAME", help="who is accepting (default: your login)")

    ret = sub.add_parser(
        "return",
        parents=[common],
        help="send a provider's submitted return back, with a reason they see",
    )
    ret.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    ret.add_argument("--reason", required=True, metavar="TEXT")
    ret.add_argument("--user", metavar="NAME", help="who is returning it (default: your login)")

    qual = sub.add_parser(
        "quality",
        parents=[common],
        help="a quarter's data quality: per provider and per indicator",
        description="Returns expected, received, on time, late and overdue per provider, and "
        "each indicator's data-quality rating with its reasons.",
    )
    qual.add_argument("--quarter", metavar="QUARTER", help="e.g. '2026-27 Q2' (default: latest)")
    qual.add_argument("--format", choices=["text", "json"], default="text")

    ser = sub.add_parser(
        "series",
        parents=[common],
        help="print an indicator's figures",
        description="Print an indicator's figures for one area, oldest first.",
    )
    ser.add_argument("--indicator", required=True, metavar="ID")
    ser.add_argument("--area", metavar="CODE", help="GSS code (default: our council)")
    ser.add_argument(
        "--breakdown",
        metavar="DIM",
        default="",
        help="a breakdown dimension, e.g. locality (default: totals)",
    )
    ser.add_argument(
        "--as-at",
        metavar="TIME",
        help="the figures as they stood at this time, e.g. 2026-01-31T12:00",
    )
    ser.add_argument("--format", choices=["csv", "json"], default="csv")

    sta = sub.add_parser(
        "status",
        parents=[common],
        help="print each statement's status",
        description="The charter's status at a quarter: every statement with its rolled-up "
        "status and reason, and each indicator's status, direction and reason.",
    )
    sta.add_argument(
        "--period",
        metavar="LABEL",
        help="the quarter, e.g. '2026-27 Q2' (default: the latest complete quarter with figures)",
    )
    sta.add_argument("--format", choices=["text", "json"], default="text")

    ees = sub.add_parser(
        "import-ees",
        parents=[common],
        help="import published statistics (a DfE explore-education-statistics CSV)",
        description="Import an EES tidy CSV through a mapping file (charter/ees/*.yaml): "
        "England, regions and councils, symbols kept as symbols. Importing the same file again "
        "changes nothing; a changed figure in a newer release is recorded as a revision. An "
        "older release (its periods end earlier) may add figures but not revise those a newer "
        "release stored, unless --older-release gives the reason.",
    )
    ees.add_argument("file", type=Path)
    ees.add_argument("--mapping", required=True, type=Path, metavar="MAPPING")
    ees.add_argument("--dry-run", action="store_true", help="show what would change only")
    ees.add_argument("--user", metavar="NAME", help="who is importing (default: your login)")
    ees.add_argument(
        "--older-release",
        metavar="REASON",
        help="let an older release revise figures a newer one stored, for this reason",
    )
    _size_option(ees)

    spc = sub.add_parser(
        "spc",
        parents=[common],
        help="an SPC (XmR) chart's limits and special causes for a series",
        description="Read 'period,value' CSV rows (a header row is optional) from FILE or "
        "standard input and print the XmR chart: mean, limits, trial limits, variation, "
        "assurance and each point's special cause and rule (Making Data Count).",
    )
    spc.add_argument("file", nargs="?", default="-", help="CSV file, or - for standard input")
    spc.add_argument("--polarity", choices=[p.short for p in Polarity], required=True)
    spc.add_argument("--target", type=float)
    spc.add_argument("--baseline", type=int, metavar="N", help="fix the limits on the first N")
    spc.add_argument(
        "--rebase",
        action="append",
        default=[],
        metavar="PERIOD",
        help="start new limits at this period (repeatable)",
    )
    spc.add_argument(
        "--screen-outliers",
        action="store_true",
        help="drop moving ranges >= 3.267 x the mean moving range",
    )
    spc.add_argument("--format", choices=["json", "text"], default="json")

    up = sub.add_parser(
        "uploads",
        parents=[common],
        help="list past uploads",
        description="The upload log, newest first.",
    )
    up.add_argument("--limit", type=int, default=20)
    up.add_argument(
        "--errors",
        metavar="UPLOAD_ID",
        type=int,
        help="print the errors recorded for one rejected upload",
    )

    aud = sub.add_parser(
        "audit",
        parents=[common],
        help="print the audit trail",
        description="Every write (uploads, revisions, imports, charter reloads), newest first.",
    )
    aud.add_argument("--kind", help="only this kind of entry, e.g. 'figure revised'")
    aud.add_argument("--who", help="only this person (name, email or subject)")
    aud.add_argument("--since", metavar="DATE", help="from this date or time (2026-11-01)")
    aud.add_argument("--until", metavar="DATE", help="before this date or time")
    aud.add_argument("--text", help="only entries whose object or summary contains this")
    aud.add_argument("--limit", type=int, default=100)
    aud.add_argument("--format", choices=["text", "csv"], default="text")

    rev = sub.add_parser(
        "review",
        parents=[common],
        help="print a quarter's review",
        description="The review state, the exceptions with their commentary, agreed statuses, "
        "the actions, and by owner: indicators, off track, open and overdue actions and "
        "missing commentary (the Accountability page's sums).",
    )
    rev.add_argument("--quarter", required=True, metavar="LABEL", help="e.g. '2026-27 Q2'")
    rev.add_argument("--format", choices=["text", "json"], default="text")

    act = sub.add_parser(
        "actions",
        parents=[common],
        help="list the planning group's actions",
        description="Actions with owner, due date and status, soonest due first.",
    )
    act.add_argument("--owner", help="only this owner (an id in charter/owners.yaml)")
    act.add_argument("--status", choices=["not started", "on track", "at risk", "done", "dropped"])
    act.add_argument("--overdue", action="store_true", help="only overdue actions")
    act.add_argument("--format", choices=["text", "json"], default="text")

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


# Commands that never open a database (they read files or the charter only).
NO_DATABASE = frozenset({"template", "spc", "store", "neighbours-refresh"})  # `store` names its own


def chosen_database(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path | str:
    """The one database the command works on: `--db` (a file or a postgresql:// URL)
    wherever it was written, else $OUTCOMES_DATABASE_URL, else $OUTCOMES_DB, else
    data/outcomes.duckdb. Two different `--db` values are a usage error."""
    before, after = getattr(args, DB_BEFORE), args.db
    if before and after and database(before) != database(after):
        parser.error(f"--db is given twice, as {before} and as {after}: give it once")
    try:
        return database(after or before)
    except SettingError as err:
        parser.error(str(err))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = chosen_database(parser, args)
    if args.command not in NO_DATABASE:
        print(f"database: {redacted(str(args.db))}", file=sys.stderr)
    try:
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
    except SettingError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


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
