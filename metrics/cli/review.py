"""The `review` and `actions` commands: the quarterly review at the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from charter import Charter, load_charter
from metrics.access.people import command_line
from metrics.access.writing import ReviewError
from metrics.assess.rollup import quarters_with_data
from metrics.cli.choices import one_of
from metrics.dates import long_date
from metrics.periods.text import parse_period
from metrics.publish.escape import json_text, terminal as t
from metrics.review import accountability, actions, report
from metrics.review.common import check_quarter, known_quarter
from metrics.store.connection import Store
from metrics.store.replacing import kept, named_for, write_out


def _quarter(args: argparse.Namespace, store: Store) -> str | None:
    """The --quarter as stored, or None after saying why it is not one to read: not a
    quarter, one that has not begun, or one before the first quarter with figures (a pack or
    review of such a quarter lists every indicator as 'no recent data')."""
    try:
        return known_quarter(store, args.quarter)
    except ReviewError as err:
        print(f"error: --quarter: {err}", file=sys.stderr)
        return None


def quarter_to_read(store: Store, quarter: str, option: str = "--quarter") -> str | None:
    """A quarter a command reads figures of, as stored: None after saying why it is not one
    (it has not begun). A quarter before the first quarterly figures may still have yearly
    ones (LAIT's and DfE's history), so only the review's commands ask for quarterly ones."""
    try:
        label = check_quarter(quarter)
    except ReviewError as err:
        print(f"error: {option}: {err}", file=sys.stderr)
        return None
    start = parse_period(label).start
    if start > date.today():
        print(f"error: {option}: {label} has not begun (it starts on {long_date(start)})",
              file=sys.stderr)  # fmt: skip
        return None
    return label


def _quarter_or_latest(args: argparse.Namespace, store: Store, charter: Charter) -> str | None:
    """--quarter as stored, else the latest complete quarter with figures; None after saying
    why there is none."""
    if not args.quarter:
        known = quarters_with_data(store, charter)
        if not known:
            print("error: no quarterly figures yet; give --quarter", file=sys.stderr)
            return None
        args.quarter = known[0]
    return _quarter(args, store)


def cmd_review(args: argparse.Namespace) -> int:
    charter, store = load_charter(), Store(args.db)
    if (quarter := _quarter(args, store)) is None:
        return 2
    built = report.build(store, charter, quarter)
    owners = accountability.by_owner(built, charter)
    if args.format == "json":
        out = report.as_json(built, charter)
        out["by_owner"] = [o.as_json() for o in owners]
        print(json_text(out))
        return 0
    # Every stored text through t(): a newline or escape sequence in what someone typed
    # never starts a forged line or reaches the terminal (metrics/publish/escape.py).
    print(t(built.headline()))
    print(f"\nExceptions ({len(built.exceptions)}):")
    for e in built.exceptions:
        print(f"- {t(e.title)}: {t(e.why_exception)}, {t(e.shown)} ({t(e.owner)})")
        print(f"  commentary: {t(e.commentary_state)}")
        if e.commentary:
            c = e.commentary
            print(f"  what: {t(c.what)}\n  why: {t(c.why)}\n  next: {t(c.next)}")
    print(f"\nActions ({len(built.actions)}):")
    for a in built.actions:
        print(f"- {_line(a, charter)}")
    print(f"\nBy owner ({len(owners)}):")
    for o in owners:
        print(f"- {t(o.name)}: {o.line()}")
    return 0


def _line(a: actions.Action, charter: Charter) -> str:
    late = " OVERDUE" if a.overdue() else ""
    return (
        f"#{a.action_id} {t(a.title)}: {t(a.status)}{late}, due {a.due:%d %b %Y}, "
        f"{t(charter.owner_name(a.owner))}"
    )


def cmd_actions(args: argparse.Namespace) -> int:
    charter = load_charter()
    one_of("--owner", args.owner, charter.owners, "an owner in charter/owners.yaml")
    found = actions.listed(
        Store(args.db), owner=args.owner, overdue=args.overdue, status=args.status
    )
    if args.format == "json":
        rows = [report.action_json(a, charter) for a in found]
        print(json_text(rows))
        return 0
    for a in found:
        print(_line(a, charter))
    return 0


def add_pack_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    pk = sub.add_parser(
        "pack",
        parents=[common],
        help="write a meeting pack or the self-evaluation draft (HTML, tagged PDF or spreadsheet)",
        description="A meeting pack: the planning group's internal pack, or the published "
        "scrutiny pack with small numbers withheld (--audience). Or the self-evaluation draft "
        "for the area SEND inspection (--kind self-evaluation), organised by its themes.",
    )
    pk.add_argument(
        "--quarter",
        metavar="LABEL",
        help="e.g. '2026-27 Q2' (default: the latest complete quarter with figures)",
    )
    pk.add_argument("--kind", choices=["meeting", "self-evaluation"], default="meeting")
    pk.add_argument(
        "--audience",
        choices=["planning group", "scrutiny"],
        help="who a meeting pack is for (required for a meeting pack)",
    )
    pk.add_argument("--format", required=True, choices=["html", "pdf", "xlsx"])
    pk.add_argument("--out", required=True, metavar="FILE", help="where to write the pack")
    pk.add_argument("--user", metavar="NAME", help="who is making it (default: your login)")


def cmd_pack(args: argparse.Namespace) -> int:
    from metrics import packs as pack

    charter = load_charter()
    store = Store(args.db)
    if args.kind == "meeting" and not args.audience:
        print("error: --audience: say who a meeting pack is for", file=sys.stderr)
        return 2
    if args.kind == "self-evaluation" and args.audience:
        print("error: --audience: a self-evaluation draft is internal; leave it out",
              file=sys.stderr)  # fmt: skip
        return 2
    if (quarter := _quarter_or_latest(args, store, charter)) is None:
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"error: --out: there is no folder {out.parent}", file=sys.stderr)
        return 2
    if problem := named_for(out, args.format):
        print(f"error: --out: {problem}", file=sys.stderr)
        return 2
    made, files = pack.make(
        store, charter, quarter, args.audience or "", (args.format,), command_line(args.user),
        progress=lambda step: print(f"{step}...", file=sys.stderr), kind=args.kind,
    )  # fmt: skip
    kept(write_out(out, files[args.format]))
    print(f"Wrote {out} ({len(files[args.format]):,} bytes): {made.title}.")
    return 0
