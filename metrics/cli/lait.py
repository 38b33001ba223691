"""The LAIT commands: import-lait (DfE's Local Authority Interactive Tool's long-format data,
through a mapping) and lait-extract (the compact extract shipped with the product)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from charter import load_charter
from charter.lait_models import LAIT_DIR


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import-lait",
        parents=[common],
        help="import DfE's LAIT long-format data (every council's published figures)",
        description="Import LAIT's long-format file (bds_long_0.parquet, or the same columns "
        "as CSV) through a mapping (charter/lait/*.yaml): England, regions and councils, "
        "symbols kept, provisional figures marked, years read by each measure's year type. "
        "It shares the EES import's checks and revisions.",
    )
    p.add_argument("file", type=Path)
    p.add_argument(
        "--mapping", type=Path, default=LAIT_DIR / "sen.yaml", help="default: charter/lait/sen.yaml"
    )
    p.add_argument(
        "--as-at",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the date the file's figures are as at (default: the extract's own date, "
        "else the file's modification date)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change only")
    p.add_argument("--user", metavar="NAME", help="who is importing (default: your login)")
    x = sub.add_parser(
        "lait-extract",
        parents=[common],
        help="write the shipped LAIT extract (metrics/reference/lait_sen.parquet)",
        description="From LAIT's full long-format file, keep the rows of the measures the "
        "shipped LAIT mappings use (every area, every year) with the date they are as at.",
    )
    x.add_argument("file", type=Path)
    x.add_argument("--as-at", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    x.add_argument("--out", type=Path, help="default: metrics/reference/lait_sen.parquet")


def cmd_import_lait(args: argparse.Namespace) -> int:
    from charter.lait_models import load_lait_mapping
    from metrics.cli.analysis import print_import
    from metrics.cli.data import file_problem
    from metrics.ingest.published.lait import as_at_of, import_lait
    from metrics.ingest.published.read import EesError
    from metrics.store.connection import Store

    if problem := file_problem(args.file, None):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    charter = load_charter()
    mapping = load_lait_mapping(args.mapping, charter)
    content = args.file.read_bytes()
    as_at = args.as_at or as_at_of(content)
    if as_at is None:
        as_at = date.fromtimestamp(args.file.stat().st_mtime)
        print(
            f"warning: figures taken as at {as_at} (the file's date); say --as-at", file=sys.stderr
        )
    try:
        report = import_lait(
            Store(args.db),
            charter,
            args.file.name,
            content,
            mapping,
            as_at=as_at,
            dry_run=args.dry_run,
            by=args.user,
        )
    except EesError as err:
        print(f"error: {args.file.name}: {err}", file=sys.stderr)
        return 1
    return print_import(args.file.name, mapping.title, report)


def cmd_lait_extract(args: argparse.Namespace) -> int:
    from charter.lait_models import load_lait_mapping, shipped_lait_mappings
    from metrics.ingest.published.lait_extract import EXTRACT, write_extract

    charter = load_charter()
    measures = sorted(
        {m.measure for p in shipped_lait_mappings() for m in load_lait_mapping(p, charter).measures}
    )
    out = args.out or EXTRACT
    try:
        rows = write_extract(args.file, measures, args.as_at, out)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Wrote {rows:,} rows of {len(measures)} measures, as at {args.as_at}, to {out}")
    return 0
