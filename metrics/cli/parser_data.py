"""The command line's data-in commands: the demo, the return template, loading, accepting
and sending back returns, importing published statistics and the upload log (argparse
set-up only; what each does is in metrics/cli/data.py, partners.py and analysis.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from metrics.cli.parser_read import how_many
from metrics.config import MAX_UPLOAD_ENV, megabytes
from metrics.deployment import SettingError

Subparsers = Any  # argparse's _SubParsersAction, private in argparse


def size_option(parser: argparse.ArgumentParser) -> None:
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


def add_parsers(sub: Subparsers, common: argparse.ArgumentParser) -> None:
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
    size_option(load)

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
    size_option(ees)

    up = sub.add_parser(
        "uploads",
        parents=[common],
        help="list past uploads",
        description="The upload log, newest first.",
    )
    up.add_argument("--limit", type=how_many, default=20)
    up.add_argument(
        "--errors",
        metavar="UPLOAD_ID",
        type=int,
        help="print the errors recorded for one rejected upload",
    )
