"""The `neighbours-refresh` command: write charter/neighbours.yaml (DfE's statistical-neighbour
model, shipped) from a newer DfE workbook of the same layout as `sn_may_2025.xlsx`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.neighbours import NEIGHBOURS_YAML
from metrics.reference.neighbours import (
    NeighbourFileError,
    read_workbook,
    typed_model_date,
    write_model,
)


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "neighbours-refresh",
        parents=[common],  # `--db` is accepted and unused: no database is opened
        help="refresh the shipped statistical-neighbour model from DfE's workbook",
        description="Reads DfE's statistical-neighbour workbook (sheet 'LA SN Groups': LA num, "
        "LA Name, SN1..SN10 by three-digit LA number), checks every council has ten known "
        f"neighbours, and writes them by GSS code to {NEIGHBOURS_YAML.name} (or --out). "
        "Nothing is written if the workbook is refused.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="DfE's workbook, e.g. sn_may_2025.xlsx")
    p.add_argument(
        "--date",
        type=_model_date,
        metavar="DATE",
        help="the model's date: YYYY-MM-DD or a month, e.g. 'May 2026', not after today "
        "(default: from the file name)",
    )
    p.add_argument("--out", type=Path, default=NEIGHBOURS_YAML, help="where to write")


def _model_date(text: str) -> str:
    """--date checked as argparse checks a type: a usage error (exit 2) naming the value."""
    try:
        return typed_model_date(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cmd_neighbours_refresh(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 1
    try:
        model = read_workbook(args.file, args.date)
    except NeighbourFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    write_model(model, args.out)
    print(f"{args.out}: {len(model.councils)} councils, {model.title}")
    return 0
