"""The analysis commands: status, import-ees, spc (see metrics.cli.parser)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

from charter import load_charter
from metrics.cli.data import file_problem
from metrics.publish.escape import json_text
from metrics.store.connection import Store


def cmd_status(args: argparse.Namespace) -> int:
    from metrics.assess.rollup import as_json, charter_status, quarters_with_data
    from metrics.cli.review import quarter_to_read
    from metrics.periods.model import PeriodError, PeriodKind
    from metrics.periods.text import parse_period
    from metrics.words.narrative import direction_label, status_label

    charter = load_charter()
    store = Store(args.db)
    try:
        if args.period:
            quarter = parse_period(args.period, PeriodKind.FY_QUARTER)
            if quarter_to_read(store, quarter.label, "--period") is None:
                return 2
        else:
            quarters = quarters_with_data(store, charter)
            if not quarters:
                print("error: no quarterly figures yet; load a return first", file=sys.stderr)
                return 2
            quarter = parse_period(quarters[0])
    except PeriodError as err:
        print(f"error: --period: {err}", file=sys.stderr)
        return 2
    from metrics.partners.quality import quality
    from metrics.review import agreed
    from metrics.review.common import indicator_subject, statement_subject

    statements = charter_status(store, charter, quarter)
    settled = agreed.current(store, quarter.label)
    ratings = quality(store, charter, quarter.label).ratings
    if args.format == "json":
        out: list[dict[str, Any]] = as_json(statements)
        for entry in out:  # the agreed status sits beside the computed one, never instead
            _agreed(entry, settled.get(statement_subject(int(entry["number"]))))
            for ind in entry["indicators"]:
                _agreed(ind, settled.get(indicator_subject(ind["id"])))
                rating = ratings[ind["id"]]
                ind["data_quality"] = {"rating": rating.rating, "reasons": list(rating.reasons)}
        print(json_text(out))
        return 0
    print(f"{charter.council.name}: charter status at {quarter.label}")
    for s in statements:
        print(f"\n{s.number}. {s.short_title}: {status_label(s.status)}\n   {s.reason}")
        if a := settled.get(statement_subject(s.number)):
            print(f"   {a.sentence(s.status)}")
        for i in s.indicators:
            print(
                f"   - {i.title}: {status_label(i.status)}, {direction_label(i.direction)}"
                f"\n     {i.reason}"
            )
            if ratings[i.id].reasons:
                print(f"     {ratings[i.id].sentence()}")
            if a := settled.get(indicator_subject(i.id)):
                print(f"     {a.sentence(i.status)}")
    return 0


def _agreed(entry: dict[str, object], agreed: object) -> None:
    entry["agreed_status"] = getattr(agreed, "status", None)
    entry["agreed_reason"] = getattr(agreed, "reason", None)
    entry["agreed_by"] = getattr(agreed, "agreed_by", None)


SHOWN_REVISIONS = 50


def cmd_import_ees(args: argparse.Namespace) -> int:
    from charter.ees_models import load_mapping
    from metrics.ingest.published.ees import EesError, import_ees

    if problem := file_problem(args.file, args.max_size):
        print(f"error: {problem}", file=sys.stderr)
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
            by=args.user,
            older_release=args.older_release,
        )
    except EesError as err:
        print(f"error: {args.file.name}: {err}", file=sys.stderr)
        return 1
    from charter.ees_models import file_name_warning

    if report.ok and (name_warning := file_name_warning(mapping, args.file.name)):
        print(f"warning: {name_warning}", file=sys.stderr)
    return print_import(args.file.name, mapping.title, report)


def print_import(file_name: str, title: str, report: Any) -> int:
    """What an EES or LAIT import did (or would do), and its exit status."""
    from metrics.ingest.load_report import revision_line
    from metrics.publish.escape import terminal

    if not report.ok:
        for error in report.errors:
            print(f"error: {file_name}: {error.as_text()}", file=sys.stderr)
        print(report.summary(), file=sys.stderr)
        return 1
    for warning in report.warnings[:SHOWN_REVISIONS]:
        print(f"warning: {file_name}: {warning}", file=sys.stderr)
    if len(report.warnings) > SHOWN_REVISIONS:
        print(f"warning: ... and {len(report.warnings) - SHOWN_REVISIONS:,} more", file=sys.stderr)
    print(f"{title}: figures per geographic level and period")
    for (level, period), n in sorted(report.by_level_period.items()):
        print(f"  {level:<16} {period:<12} {n}")
    for what, n in sorted(report.skipped.items()):
        print(f"  skipped {n} {what}")
    for rev in report.revisions[:SHOWN_REVISIONS]:
        print(terminal(revision_line(rev)))
    if len(report.revisions) > SHOWN_REVISIONS:
        print(f"... and {len(report.revisions) - SHOWN_REVISIONS:,} more revisions not listed")
    print(report.summary())
    return 0


def cmd_spc(args: argparse.Namespace) -> int:
    from metrics.assess.spc import xmr

    try:
        file = Path(args.file)
        text = sys.stdin.read() if args.file == "-" else file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        what = "it is not UTF-8 text" if isinstance(err, UnicodeDecodeError) else err.strerror
        print(f"error: cannot read {args.file}: {what}", file=sys.stderr)
        return 2
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
            return 2
        if not math.isfinite(value):  # nan or inf: every limit would be nan (and JSON invalid)
            print(f"error: line {n}: {row[1]!r} is not a finite number", file=sys.stderr)
            return 2
        if row[0].strip() in periods:  # charted twice, in the file's order
            print(f"error: line {n}: the period {row[0].strip()!r} is given twice", file=sys.stderr)
            return 2
        periods.append(row[0].strip())
        values.append(value)
    if not values:
        print("error: no 'period,value' rows", file=sys.stderr)
        return 2
    if args.baseline is not None and not 2 <= args.baseline <= len(values):
        print(f"error: --baseline: 2 to {len(values)} points (the file has {len(values)})",
              file=sys.stderr)  # fmt: skip
        return 2
    if unknown := [r for r in args.rebase if r not in periods]:
        print(f"error: --rebase: there is no period {unknown[0]!r} in the file", file=sys.stderr)
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
