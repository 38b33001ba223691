"""The command line: `python -m metrics COMMAND`, also the basis for scheduled jobs.

Exit codes: 0 success (for `load`: loaded or no change), 1 the input was rejected, 2 usage
error (argparse's own) or a problem with the database or charter files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from charter import CharterError, load_charter
from metrics.config import DATA_DIR, DB_ENV, db_path
from metrics.store import Store, StoreError


def _db_option() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", help=f"database file (default: ${DB_ENV} or data/outcomes.duckdb)"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _db_option()
    parser = argparse.ArgumentParser(
        prog="python -m metrics",
        parents=[common],
        description="Outcomes dashboard for disabled children's services: data in and out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="build the fictional demo council's database",
        description="Build the demo council (Wrenfield, fictional) from scratch. "
        "Refuses to replace a database holding non-demo uploads unless --force.",
    )
    demo.add_argument("--force", action="store_true", help="replace any existing database")
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
        default=DATA_DIR / "demo",
        help="where to write the demo's CSV returns (default: data/demo)",
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
    load.add_argument("--user", metavar="NAME", help="who is loading (default: your login)")

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
        "changes nothing; a changed figure in a newer release is recorded as a revision.",
    )
    ees.add_argument("file", type=Path)
    ees.add_argument("--mapping", required=True, type=Path, metavar="MAPPING")
    ees.add_argument("--dry-run", action="store_true", help="show what would change only")
    ees.add_argument("--user", metavar="NAME", help="who is importing (default: your login)")

    spc = sub.add_parser(
        "spc",
        parents=[common],
        help="an SPC (XmR) chart's limits and special causes for a series",
        description="Read 'period,value' CSV rows (a header row is optional) from FILE or "
        "standard input and print the XmR chart: mean, limits, trial limits, variation, "
        "assurance and each point's special cause and rule (Making Data Count).",
    )
    spc.add_argument("file", nargs="?", default="-", help="CSV file, or - for standard input")
    spc.add_argument("--polarity", choices=["higher", "lower", "neutral"], required=True)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(COMMANDS[args.command](args))
    except CharterError as err:
        print(err, file=sys.stderr)
        return 2
    except StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def cmd_demo(args: argparse.Namespace) -> int:
    from metrics.demo import build_demo

    target = db_path(args.db)
    charter = load_charter()
    if target.exists() and not args.force:
        with Store(target).connect() as con:
            others = con.execute("SELECT count(*) FROM uploads WHERE kind <> 'demo'").fetchall()[0][
                0
            ]
        if others:
            print(
                f"error: {target} holds {others} uploads that are not demo data; "
                "use --force to replace it, or --db to build the demo elsewhere",
                file=sys.stderr,
            )
            return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        building = Path(tmp) / target.name
        if args.scale == "national":
            from metrics.national import build_national

            reports = [build_national(Store(building), charter, Path(tmp))]
        else:
            reports = build_demo(Store(building), charter, args.out)
        building.replace(target)  # readers see the old database or the new one, never half
    for report in reports:
        print(f"{report.file_name}: {report.summary()}")
    print(f"Demo database ready: {target}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from metrics.periods import PeriodError, PeriodKind, parse_period
    from metrics.template import latest_complete_quarter, template_rows, to_csv, to_xlsx

    charter = load_charter()
    try:
        quarter = (
            parse_period(args.period, PeriodKind.FY_QUARTER)
            if args.period
            else latest_complete_quarter()
        )
    except PeriodError as err:
        print(f"error: --period: {err}", file=sys.stderr)
        return 2
    rows = template_rows(charter, quarter)
    if args.format == "xlsx":
        if not args.out:
            print("error: --format xlsx needs --out FILE", file=sys.stderr)
            return 2
        Path(args.out).write_bytes(to_xlsx(charter, rows))
    elif args.out:
        Path(args.out).write_bytes(to_csv(rows))
    else:
        sys.stdout.write(to_csv(rows).decode("utf-8"))
        return 0
    print(f"Wrote the {quarter.label} return template ({len(rows)} rows) to {args.out}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from metrics.ingest import check_file, load_file

    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    content = args.file.read_bytes()
    charter = load_charter()
    store = Store(args.db)
    if args.dry_run:
        report = check_file(store, charter, args.file.name, content)
    else:
        report = load_file(
            store, charter, args.file.name, content, user=args.user, reason=args.reason
        )
    for note in report.notes:
        print(f"note: {note}")
    for error in report.errors:
        print(error.as_text())
    for rev in report.revisions:
        group = f" {rev.breakdown}={rev.group}" if rev.breakdown else ""
        old = rev.old_symbol or _num(rev.old_value)
        new = rev.new_symbol or _num(rev.new_value)
        print(
            f"revise: {rev.indicator_id} {rev.period} {rev.area_code}{group}: {old} -> {new}"
            + (
                f" ({rev.old_status} -> {rev.new_status})"
                if rev.old_status != rev.new_status
                else ""
            )
        )
    print(report.summary())
    return 0 if report.ok else 1


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def _as_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"error: --as-at: {text!r} is not a time like 2026-01-31T12:00") from None


def cmd_series(args: argparse.Namespace) -> int:
    from metrics.queries import series

    charter = load_charter()
    if args.indicator not in charter.indicators:
        print(f"error: unknown indicator {args.indicator!r}", file=sys.stderr)
        return 2
    area = args.area or charter.council.code
    rows = series(Store(args.db), args.indicator, area, args.breakdown, as_at=_as_at(args.as_at))
    fields = (
        ["period"]
        + (["group"] if args.breakdown else [])
        + ["value", "symbol", "numerator", "denominator", "status"]
    )
    records: list[dict[str, Any]] = []
    for r in rows:
        record: dict[str, Any] = {"period": r.period}
        if args.breakdown:
            record["group"] = r.group
        record.update(
            value=r.value,
            symbol=r.symbol,
            numerator=r.numerator,
            denominator=r.denominator,
            status=r.status,
        )
        records.append(record)
    if args.format == "json":
        print(json.dumps(records, indent=2, default=_json_default))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {
                    k: ("" if v is None else _num(v) if isinstance(v, float) else v)
                    for k, v in record.items()
                }
            )
    return 0


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_status(args: argparse.Namespace) -> int:
    from metrics.narrative import direction_label, status_label
    from metrics.periods import PeriodError, PeriodKind, parse_period
    from metrics.status import as_json, charter_status, quarters_with_data

    charter = load_charter()
    store = Store(args.db)
    try:
        if args.period:
            quarter = parse_period(args.period, PeriodKind.FY_QUARTER)
        else:
            quarters = quarters_with_data(store, charter)
            if not quarters:
                print("error: no quarterly figures yet; load a return first", file=sys.stderr)
                return 2
            quarter = parse_period(quarters[0])
    except PeriodError as err:
        print(f"error: --period: {err}", file=sys.stderr)
        return 2
    statements = charter_status(store, charter, quarter)
    if args.format == "json":
        print(json.dumps(as_json(statements), indent=2, ensure_ascii=False))
        return 0
    print(f"{charter.council.name}: charter status at {quarter.label}")
    for s in statements:
        print(f"\n{s.number}. {s.short_title}: {status_label(s.status)}\n   {s.reason}")
        for i in s.indicators:
            print(
                f"   - {i.title}: {status_label(i.status)}, {direction_label(i.direction)}"
                f"\n     {i.reason}"
            )
    return 0


def cmd_import_ees(args: argparse.Namespace) -> int:
    from charter.ees_models import load_mapping
    from metrics.ees import EesError, import_ees

    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    charter = load_charter()
    mapping = load_mapping(args.mapping, charter)
    try:
        report = import_ees(
            Store(args.db),
            charter,
            args.file.name,
            args.file.read_bytes(),
            mapping,
            dry_run=args.dry_run,
            user=args.user,
        )
    except EesError as err:
        print(f"error: {args.file.name}: {err}", file=sys.stderr)
        return 1
    print(f"{mapping.title}: figures per geographic level and period")
    for (level, period), n in sorted(report.by_level_period.items()):
        print(f"  {level:<16} {period:<12} {n}")
    for what, n in sorted(report.skipped.items()):
        print(f"  skipped {n} {what}")
    for rev in report.revisions[:50]:
        print(
            f"revise: {rev.indicator_id} {rev.period} {rev.area_code}: "
            f"{rev.old_symbol or _num(rev.old_value)} -> {rev.new_symbol or _num(rev.new_value)}"
        )
    print(report.summary())
    return 0


def cmd_spc(args: argparse.Namespace) -> int:
    from metrics.spc import xmr

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8-sig")
    periods, values = [], []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            print(f"error: line {n}: expected 'period,value'", file=sys.stderr)
            return 1
        try:
            value = float(row[1].replace(",", ""))
        except ValueError:
            if n == 1:
                continue  # a header row
            print(f"error: line {n}: {row[1]!r} is not a number", file=sys.stderr)
            return 1
        periods.append(row[0].strip())
        values.append(value)
    if not values:
        print("error: no 'period,value' rows", file=sys.stderr)
        return 1
    if args.baseline is not None and args.baseline < 2:
        print("error: --baseline needs at least 2 points", file=sys.stderr)
        return 2
    result = xmr(
        periods,
        values,
        args.polarity,
        args.target,
        args.baseline,
        args.rebase,
        args.screen_outliers,
    )
    data = {k: v for k, v in result.as_json().items() if k != "chart"}
    data["points"] = [
        {"period": p.period, "value": p.value, "special_cause": p.special_cause, "rule": p.rule}
        for p in result.points
    ]
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return 0
    print(
        f"mean {result.mean:g}, limits {result.lower_limit:g} to {result.upper_limit:g}"
        f"{' (trial limits)' if result.trial_limits else ''}; variation {result.variation}; "
        f"assurance {result.assurance}"
    )
    for p in result.points:
        print(f"{p.period}\t{p.value:g}\t{p.special_cause}\t{p.rule or ''}")
    return 0


def cmd_uploads(args: argparse.Namespace) -> int:
    from metrics.queries import upload_errors, uploads

    store = Store(args.db)
    if args.errors is not None:
        for row in upload_errors(store, args.errors):
            print(" | ".join("" if v is None else str(v) for v in row))
        return 0
    for u in uploads(store, args.limit):
        print(
            f"#{u['upload_id']} {u['uploaded_at']:%Y-%m-%d %H:%M} {u['uploaded_by']}: "
            f"{u['file_name']} — {u['outcome']} ({u['message']})"
        )
    return 0


COMMANDS = {
    "demo": cmd_demo,
    "template": cmd_template,
    "load": cmd_load,
    "series": cmd_series,
    "status": cmd_status,
    "spc": cmd_spc,
    "import-ees": cmd_import_ees,
    "uploads": cmd_uploads,
}
