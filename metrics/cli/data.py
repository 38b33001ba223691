"""The data commands: demo, template, load, series, uploads (see metrics.cli.parser)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from charter import load_charter
from metrics.cli.choices import one_of
from metrics.config import MAX_UPLOAD_ENV, db_path, is_database_url, max_upload_mb
from metrics.deployment import SettingError
from metrics.publish.tables import write_csv
from metrics.store.connection import Store
from metrics.store.replacing import kept, named_for, write_out


def cmd_demo(args: argparse.Namespace) -> int:
    from metrics.demo.council import build_demo
    from metrics.demo.stories import DEMO_USER
    from metrics.store.replacing import keep_copy, not_a_demo, set_aside_wal

    if is_database_url(str(args.db)):
        print(
            "error: the demo is built as a DuckDB file (--db PATH); a PostgreSQL database "
            "is not replaced by the demo",
            file=sys.stderr,
        )
        return 2
    target = db_path(args.db)
    charter = load_charter()
    if problem := not_a_demo(
        target, DEMO_USER
    ):  # whatever --force says: the demo never replaces work
        print(
            f"error: the demo will not replace {target}: {problem}. Build the demo elsewhere "
            "with --db PATH.",
            file=sys.stderr,
        )
        return 2
    if kept := keep_copy(target, "demo"):
        print(f"The previous demo database is kept as {kept}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        building = Path(tmp) / target.name
        if args.scale == "national":
            from metrics.demo.national import build_national

            reports = [build_national(Store(building), charter, Path(tmp))]
        else:
            reports = build_demo(Store(building), charter, args.out or target.parent / "demo")
        if wal := set_aside_wal(target, kept, "demo"):  # the old database's log, not the new one's
            print(f"The previous write-ahead log is kept as {wal}")
        building.replace(target)  # readers see the old database or the new one, never half
    for report in reports:
        print(f"{report.file_name}: {report.summary()}")
    print(f"Demo database ready: {target}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from metrics.ingest.template import latest_complete_quarter, template_rows, to_csv, to_xlsx
    from metrics.periods.model import PeriodError, PeriodKind
    from metrics.periods.text import parse_period

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
    if args.out and (problem := named_for(Path(args.out), args.format)):
        print(f"error: --out: {problem}", file=sys.stderr)
        return 2
    if args.format == "xlsx":
        if not args.out:
            print("error: --format xlsx needs --out FILE", file=sys.stderr)
            return 2
        kept(write_out(Path(args.out), to_xlsx(charter, rows)))
    elif args.out:
        kept(write_out(Path(args.out), to_csv(rows)))
    else:
        sys.stdout.write(to_csv(rows).decode("utf-8"))
        return 0
    print(f"Wrote the {quarter.label} return template ({len(rows)} rows) to {args.out}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from metrics.ingest import check_file, load_file
    from metrics.ingest.load_report import revision_line
    from metrics.publish.escape import terminal

    if problem := file_problem(args.file, args.max_size):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    content = args.file.read_bytes()
    charter = load_charter()
    store = Store(args.db)
    if args.provider and (args.reason or args.confirm):
        print(
            "error: --reason and --confirm are given when accepting a provider's return "
            "(python -m metrics accept UPLOAD_ID ...), not when it is submitted",
            file=sys.stderr,
        )
        return 2
    if args.provider and args.provider not in charter.providers:
        known = ", ".join(sorted(charter.providers)) or "none"
        print(
            f"error: --provider: there is no provider {args.provider!r} in "
            f"charter/providers.yaml (providers: {known})",
            file=sys.stderr,
        )
        return 2
    if args.provider and not args.dry_run:
        from metrics.partners.submissions import submit

        report = submit(store, charter, args.provider, args.file.name, content, by=args.user)
    elif args.dry_run:
        report = check_file(store, charter, args.file.name, content, provider=args.provider)
    else:
        report = load_file(
            store,
            charter,
            args.file.name,
            content,
            by=args.user,
            reason=args.reason,
            confirmed=args.confirm,
        )
    for note in report.notes:
        print(f"note: {note}")
    for error in report.errors:
        print(error.as_text())
    if report.ok:
        for w in report.warnings:
            print(f"check: row {w.row}: {w.indicator_id} {w.period}: {w.message}")
    for rev in report.revisions:
        print(terminal(revision_line(rev)))
    print(report.summary())
    return 0 if report.ok else 1


MB = 1024 * 1024  # Streamlit's megabyte, as in server.maxUploadSize


def file_problem(path: Path, max_size: float | None) -> str | None:
    """Why a file given on the command line will not be read, or None."""
    if not path.is_file():
        return f"{path} is not a file"
    try:
        limit = max_size if max_size is not None else max_upload_mb()
    except SettingError as err:  # a limit no program can use is no limit: refused
        return str(err)
    size = path.stat().st_size
    if size > limit * MB:
        return (
            f"{path.name} is {size / MB:,.1f} MB, over the {limit:g} MB limit for a "
            f"file (the web upload limit; set --max-size or ${MAX_UPLOAD_ENV} to change it)"
        )
    return None


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
    from metrics.reference import known_areas
    from metrics.store.queries import council_series

    charter = load_charter()
    one_of("--indicator", args.indicator, charter.indicators, "an indicator of the charter")
    areas = known_areas()  # a GSS code, or a council's old three-digit LA number
    codes = {*areas, *(a.old_code for a in areas.values() if a.old_code), charter.council.code}
    one_of("--area", args.area, codes, "an area we know (a GSS code or an LA number)")
    if args.breakdown:
        one_of("--breakdown", args.breakdown, charter.indicators[args.indicator].breakdowns,
               f"a breakdown of {args.indicator}")  # fmt: skip
    area = args.area or charter.council.code
    rows = council_series(
        Store(args.db), args.indicator, area, args.breakdown, as_at=_as_at(args.as_at)
    )
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
        write_csv(
            sys.stdout,
            (
                {k: _num(v) if isinstance(v, float) else v for k, v in record.items()}
                for record in records
            ),
            fields,
        )
    return 0


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_uploads(args: argparse.Namespace) -> int:
    from metrics.publish.escape import terminal as t
    from metrics.store.queries import upload_errors, uploads

    store = Store(args.db)
    if args.errors is not None:
        for row in upload_errors(store, args.errors):
            print(" | ".join("" if v is None else t(v) for v in row))
        return 0
    for u in uploads(store, args.limit):
        print(
            f"#{u['upload_id']} {u['uploaded_at']:%Y-%m-%d %H:%M} {t(u['uploaded_by'])}: "
            f"{t(u['file_name'])} — {t(u['outcome'])} ({t(u['message'])})"
        )
    return 0
