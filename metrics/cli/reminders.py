"""The `remind` command: send today's reminders (metrics/reminders/), one digest a person,
each reminder once however often a timer runs it; `--dry-run` prints what it would send."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from charter import load_charter
from metrics.access.people import command_line
from metrics.dates import long_date
from metrics.publish.escape import terminal as t
from metrics.reminders import mail, run
from metrics.reminders.run import RemindError
from metrics.store.connection import Store


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "remind",
        parents=[common],
        help="send today's reminders and escalations by email (safe to run as often as you like)",
        description="Works out who owes what (commentary, actions, councillors' questions, "
        "providers' returns) by the schedule in charter/council.yaml, and sends each person "
        "one digest through the [smtp] server in the secrets file ($OUTCOMES_SECRETS, else "
        ".streamlit/secrets.toml). A reminder sent before is never sent again; one the server "
        "did not take is tried again next run. On the demo database, the day is the demo's "
        f"({long_date(run.DEMO_DAY)}) unless --today says another.",
    )
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    p.add_argument(
        "--today", type=_day, metavar="YYYY-MM-DD", help="work out reminders as on this day"
    )
    p.add_argument("--user", metavar="NAME", help="who is sending (default: your login)")
    p.add_argument(
        "--give-back", type=int, metavar="MESSAGE",
        help="record message MESSAGE, left 'sending' by a run that stopped, as not received "
        "(with --why): the next run sends its reminders. Nothing is sent now",
    )  # fmt: skip
    p.add_argument("--why", default="", help="why the message given back was not received")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-27") from None


def cmd_remind(args: argparse.Namespace) -> int:
    charter = load_charter()
    store = Store(args.db)
    if args.give_back is not None:
        try:
            run.give_back(store, command_line(args.user), args.give_back, args.why)
        except RemindError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        print(f"Message {args.give_back} given back: the next run sends its reminders.")
        return 0
    today = run.today_for(store, args.today)
    settings = None
    if not args.dry_run:  # a real run fails closed before it works anything out
        settings = mail.settings(mail.read_secrets(mail.secrets_files()))
    try:
        done = run.remind(
            store, charter, command_line(args.user), today, settings, dry_run=args.dry_run
        )
    except RemindError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    said = "would send" if args.dry_run else "reminders"
    print(f"{said} as on {long_date(today)}: {len(done.outcomes)} digest"
          f"{'s' if len(done.outcomes) != 1 else ''}")  # fmt: skip
    for o in done.outcomes:
        d = o.digest
        state = "" if args.dry_run else f" [{o.outcome}{': ' + t(o.error) if o.error else ''}]"
        print(f"\nTo {t(d.name)} <{t(d.email)}>{state}")
        for n in d.notices:
            who = f" (owed by {t(n.item.who)})" if n.stage == "escalation" else ""
            print(f"  {n.stage}: {t(n.item.what)}{who}, {n.item.due_words(today)}")
    if not args.dry_run:
        print(f"\n{done.sent} sent, {done.failed} failed (tried again next run)")
    return 1 if done.failed else 0
