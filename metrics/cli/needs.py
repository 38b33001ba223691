"""Need and resources on the command line: `needs` (the baseline by locality and need: known,
expected with its interval, the ratio, the providers working there), `costs` (spend per
service and per child beside each statement's outcomes and other councils), and the three
files they are built from: `load-needs`, `load-finance` (the council's returns) and
`import-s251` (DfE's section 251 outturn, through a mapping in charter/s251/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter import load_charter
from metrics import text_limits
from metrics.cli.data import file_problem
from metrics.leadership import costs as costing, needs_table
from metrics.leadership.needs import NoBaseline, baseline
from metrics.leadership.provision import gap_words, provision
from metrics.periods.model import PeriodError, PeriodKind
from metrics.periods.text import parse_period
from metrics.publish.escape import json_text
from metrics.publish.policy import AUDIENCES, PUBLIC
from metrics.publish.tables import write_csv
from metrics.store.connection import Store


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    needs = sub.add_parser(
        "needs",
        parents=[common],
        help="the needs baseline: known vs expected disabled children by locality and need",
        description="Per locality and primary need: children known to any service (the "
        "needs return), expected from the prevalence rate in charter/needs.yaml with its "
        "interval, the ratio with its 95% interval, the providers working there and gaps. "
        "Small counts are withheld as they would be published unless --audience staff.",
    )
    needs.add_argument("--quarter", metavar="LABEL", help="e.g. '2026-27 Q2' (default: latest)")
    costs = sub.add_parser(
        "costs",
        parents=[common],
        help="spend per service and per child beside outcomes and other councils",
        description="Per service in charter/needs.yaml: spend and spend per child (the "
        "finance return), England's, the region's and neighbours' per child (section 251), "
        "and the outcomes of the statements it serves, with the caveats.",
    )
    costs.add_argument("--year", metavar="YEAR", help="a financial year, e.g. 2025-26")
    for parser in (needs, costs):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--audience", choices=AUDIENCES, default=PUBLIC)
    for name, what in (("load-needs", "a needs return"), ("load-finance", "a finance return")):
        load = sub.add_parser(name, parents=[common], help=f"check and load {what} (CSV/XLSX)")
        load.add_argument("file", type=Path)
        load.add_argument("--user", metavar="NAME", help="who is loading (default: your login)")
        load.add_argument("--reason", help=REASON_HELP)
    s251 = sub.add_parser(
        "import-s251",
        parents=[common],
        help="import DfE's section 251 outturn (EES CSV) through a mapping",
    )
    s251.add_argument("file", type=Path)
    s251.add_argument("--mapping", required=True, type=Path, metavar="MAPPING")
    s251.add_argument("--user", metavar="NAME", help="who is importing (default: your login)")
    s251.add_argument("--reason", help=REASON_HELP)


REASON_HELP = "why stored figures change: needed when the file replaces any (for the audit trail)"


def cmd_needs(args: argparse.Namespace) -> int:
    charter, store = load_charter(), Store(args.db)
    try:
        quarter = parse_period(args.quarter, PeriodKind.FY_QUARTER).label if args.quarter else None
        found = baseline(store, charter, quarter)
    except (PeriodError, NoBaseline) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    cells = provision(charter, found)
    table = needs_table.rows(charter, found, args.audience, cells)
    if args.format == "json":
        print(json_text({
            "quarter": found.quarter,
            "audience": args.audience,
            "method": needs_table.method_words(charter),
            "months": found.months,
            "gaps": gap_words(cells),
            "rows": table,
        }))  # fmt: skip
    else:
        write_csv(sys.stdout, table, needs_table.COLUMNS, lineterminator="\n")
    return 0


def cmd_costs(args: argparse.Namespace) -> int:
    charter, store = load_charter(), Store(args.db)
    try:
        found = costing.costs(store, charter, args.audience, args.year)
    except (PeriodError, costing.NoCosts) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    table = costing.rows(found)
    if args.format == "json":
        print(json_text({"audience": args.audience, "caveats": costing.CAVEATS, "rows": table}))
    else:
        write_csv(sys.stdout, table, costing.COLUMNS, lineterminator="\n")
    return 0


def _load(args: argparse.Namespace, finance: bool) -> int:
    from metrics.ingest.needs import load_finance_return, load_needs_return

    if problem := file_problem(args.file, None):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    load = load_finance_return if finance else load_needs_return
    if problem := _reason_problem(args.reason):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    report = load(Store(args.db), load_charter(), args.file.name, args.file.read_bytes(),
                  args.user, reason=args.reason)  # fmt: skip
    for error in report.errors:
        print(f"error: {args.file.name}: {error.as_text()}", file=sys.stderr)
    print(report.message, file=sys.stderr if not report.ok else sys.stdout)
    return 0 if report.ok else 1


def _reason_problem(reason: str | None) -> str | None:
    try:
        text_limits.bounded(reason, "the reason (--reason)", text_limits.REASON)
    except text_limits.TextTooLong as err:
        return str(err)
    return None


def cmd_load_needs(args: argparse.Namespace) -> int:
    return _load(args, finance=False)


def cmd_load_finance(args: argparse.Namespace) -> int:
    return _load(args, finance=True)


def cmd_import_s251(args: argparse.Namespace) -> int:
    from charter.s251_models import load_s251_mapping
    from metrics.ingest.published.s251 import import_s251

    if problem := file_problem(args.file, None):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if problem := _reason_problem(args.reason):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    charter = load_charter()
    mapping = load_s251_mapping(args.mapping, charter)
    report = import_s251(Store(args.db), charter, args.file.name, args.file.read_bytes(),
                         mapping, args.user, args.reason)  # fmt: skip
    for error in report.errors:
        print(f"error: {args.file.name}: {error.as_text()}", file=sys.stderr)
    if not report.ok:
        return 1
    print(f"{report.rows} section 251 figures imported (upload {report.upload_id}).")
    return 0


COMMANDS = {
    "needs": cmd_needs,
    "costs": cmd_costs,
    "load-needs": cmd_load_needs,
    "load-finance": cmd_load_finance,
    "import-s251": cmd_import_s251,
}
