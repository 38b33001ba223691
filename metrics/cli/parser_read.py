"""The command line's reading commands: data quality, an indicator's figures, the charter's
status, an SPC chart, the audit trail, the quarter's review and the actions (argparse set-up
only; what each does is in metrics/cli/analysis.py, data.py, partners.py, access.py and
review.py)."""

from __future__ import annotations

import argparse
import math
from typing import Any

from metrics.assess.target import Polarity

Subparsers = Any  # argparse's _SubParsersAction, private in argparse


def how_many(text: str) -> int:
    """A count a person types (--limit, --baseline): a whole number of at least 1. A
    negative one reached the database as LIMIT -1, a traceback instead of a message."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is less than 1")
    return value


def finite(text: str) -> float:
    """A number a person types (--target): nan and inf are no target."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def add_parsers(sub: Subparsers, common: argparse.ArgumentParser) -> None:
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
    ser.add_argument("--area", metavar="CODE", help="GSS code or LA number (default: our council)")
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
    spc.add_argument("--target", type=finite)
    spc.add_argument("--baseline", type=how_many, metavar="N", help="fix the limits on the first N")
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
    aud.add_argument("--limit", type=how_many, default=100)
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
