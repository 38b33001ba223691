"""The `published` command: every cell a public reader can see for a quarter, as CSV, to
check a publication before it goes out (metrics/publish/published.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter import load_charter
from metrics.cli.review import quarter_to_read
from metrics.periods.model import PeriodKind
from metrics.periods.text import parse_period
from metrics.publish import published
from metrics.publish.tables import csv_bytes, write_csv
from metrics.store.connection import Store
from metrics.store.replacing import kept, named_for, write_out


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "published",
        parents=[common],
        help="every cell a public reader can see for a quarter (small numbers as [c])",
        description="One row per cell the scrutiny page, its tables and CSVs and the scrutiny "
        "pack show for the quarter, with the council's disclosure rule applied: indicator, "
        "period, area, breakdown, group, value, numerator, denominator, status, withheld "
        "(why). `value` is a number, or [c] where withheld.",
    )
    p.add_argument("--quarter", required=True, help="e.g. '2026-27 Q2'")
    p.add_argument("--format", choices=["csv"], default="csv")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")


def cmd_published(args: argparse.Namespace) -> int:
    try:  # a quarter, as every other command's --quarter ('2026-27' was its Q4)
        quarter = parse_period(args.quarter, PeriodKind.FY_QUARTER).label
    except ValueError as err:
        print(f"error: --quarter: {err}", file=sys.stderr)
        return 2
    store = Store(args.db)
    if (quarter := quarter_to_read(store, quarter)) is None:  # type: ignore[assignment]
        return 2
    if args.out and (problem := named_for(Path(args.out), "csv")):
        print(f"error: --out: {problem.split(', or ask')[0]}", file=sys.stderr)
        return 2
    rows = published.cells(store, load_charter(), quarter)
    if args.out:
        kept(write_out(Path(args.out), csv_bytes(rows, fieldnames=published.COLUMNS)))
    else:
        write_csv(sys.stdout, rows, published.COLUMNS, lineterminator="\n")
    return 0
