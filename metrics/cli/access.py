"""The `audit` command: the audit trail at the command line, as text or CSV."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from metrics.access import audit, command_line
from metrics.cli.choices import near, one_of
from metrics.publish.escape import terminal
from metrics.publish.tables import write_csv
from metrics.store.connection import Store


def _when(text: str | None, flag: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as err:  # a usage error: exit 2, as argparse's own
        print(f"error: {flag} {text!r} is not a date (use 2026-11-26)", file=sys.stderr)
        raise SystemExit(2) from err


# As near a kind in the trail as a typo is ('figure revsed'); 'figure replaced' is a kind of
# its own ('figure revised' is 0.69 of it).
TYPO = 0.85


def cmd_audit(args: argparse.Namespace) -> int:
    store, reader = Store(args.db), command_line()
    if args.kind:
        kinds, _, _ = audit.choices(store, reader)
        if args.kind not in kinds and not near(args.kind, kinds, cutoff=TYPO):
            # Not a typo of a kind in the trail: maybe one with no entry yet ("counts added",
            # "figure replaced"), which a monitoring script may ask for before the first one.
            print(f"note: --kind {args.kind!r}: the trail has no entry of that kind (yet); "
                  f"kinds in it: {', '.join(sorted(kinds))}", file=sys.stderr)  # fmt: skip
        else:
            one_of("--kind", args.kind, kinds, "a kind of entry in the audit trail")
    rows = audit.entries(
        store,
        reader,
        kind=args.kind,
        who=args.who,
        since=_when(args.since, "--since"),
        until=_when(args.until, "--until"),
        text=args.text,
        limit=args.limit,
    )
    if args.format == "csv":
        write_csv(sys.stdout, [r.as_row() for r in rows], fieldnames=audit.HEADINGS)
        return 0
    t = terminal  # every stored text: a newline or escape sequence never reaches the terminal
    for r in rows:
        change = f" [{t(r.before)} -> {t(r.after)}]" if r.before is not None or r.after else ""
        email = f" <{t(r.email)}>" if r.email else ""
        print(
            f"#{r.audit_id} {r.at:%Y-%m-%d %H:%M:%S} {t(r.name)}{email} ({t(r.via)}) "
            f"{t(r.kind)}: {t(r.object)}: {t(r.summary)}{change}"
        )
    return 0
