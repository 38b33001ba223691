"""The `review` and `actions` commands: the quarterly review at the command line."""

from __future__ import annotations

import argparse
import json
import sys

from charter import Charter, load_charter
from metrics.review import actions, report
from metrics.review.common import ReviewError, check_quarter
from metrics.store import Store


def cmd_review(args: argparse.Namespace) -> int:
    charter = load_charter()
    try:
        quarter = check_quarter(args.quarter)
    except ReviewError as err:
        print(f"error: --quarter: {err}", file=sys.stderr)
        return 2
    built = report.build(Store(args.db), charter, quarter)
    if args.format == "json":
        print(json.dumps(report.as_json(built, charter), indent=2, ensure_ascii=False))
        return 0
    print(built.headline())
    print(f"\nExceptions ({len(built.exceptions)}):")
    for e in built.exceptions:
        print(f"- {e.title}: {e.why_exception}, {e.shown} ({e.owner})")
        print(f"  commentary: {e.commentary_state}")
        if e.commentary:
            c = e.commentary
            print(f"  what: {c.what}\n  why: {c.why}\n  next: {c.next}")
    print(f"\nActions ({len(built.actions)}):")
    for a in built.actions:
        print(f"- {_line(a, charter)}")
    return 0


def _line(a: actions.Action, charter: Charter) -> str:
    late = " OVERDUE" if a.overdue() else ""
    return (
        f"#{a.action_id} {a.title}: {a.status}{late}, due {a.due:%d %b %Y}, "
        f"{charter.owner_name(a.owner)}"
    )


def cmd_actions(args: argparse.Namespace) -> int:
    charter = load_charter()
    if args.owner and args.owner not in charter.owners:
        known = ", ".join(sorted(charter.owners))
        print(f"error: --owner: unknown owner {args.owner!r} (known: {known})", file=sys.stderr)
        return 2
    found = actions.listed(
        Store(args.db), owner=args.owner, overdue=args.overdue, status=args.status
    )
    if args.format == "json":
        rows = [report.action_json(a, charter) for a in found]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for a in found:
        print(_line(a, charter))
    return 0
