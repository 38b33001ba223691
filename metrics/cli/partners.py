"""Command-line commands for partners' returns: accept, return, quality (a provider's file is
submitted with `load FILE --provider ID`, in commands_data)."""

from __future__ import annotations

import argparse
import sys

from charter import load_charter
from metrics.cli.review import _quarter_or_latest
from metrics.partners.quality import quality
from metrics.partners.submissions import SubmissionError, accept, return_to_provider
from metrics.publish.escape import json_text, terminal as t
from metrics.store.connection import Store


def cmd_accept(args: argparse.Namespace) -> int:
    charter = load_charter()
    try:
        report = accept(
            Store(args.db),
            charter,
            args.upload_id,
            by=args.user,
            reason=args.reason,
            confirmed=args.confirm,
        )
    except SubmissionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for error in report.errors:
        print(error.as_text(), file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_return(args: argparse.Namespace) -> int:
    try:
        sub = return_to_provider(Store(args.db), args.upload_id, args.reason, by=args.user)
    except SubmissionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Returned submission {sub.upload_id} to {t(sub.provider)}: {t(sub.reason)}")
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    charter = load_charter()
    store = Store(args.db)
    if (quarter := _quarter_or_latest(args, store, charter)) is None:
        return 2
    q = quality(store, charter, quarter)
    providers = {
        key: {"name": charter.providers[key].name, **counts}
        for key, counts in q.by_provider().items()
    }
    returns = [
        {
            "provider": r.provider,
            "indicator": r.indicator_id,
            "period": r.period,
            "due": r.due.isoformat(),
            "received": r.received.isoformat() if r.received else None,
            "state": r.state,
            "working_days_late": r.days_late,
            "returned": r.returned,
        }
        for r in q.returns
    ]
    ratings = {i: {"rating": g.rating, "reasons": list(g.reasons)} for i, g in q.ratings.items()}
    if args.format == "json":
        data = {"quarter": quarter, "providers": providers, "returns": returns, "ratings": ratings}
        print(json_text(data))
        return 0
    print(f"Data quality, {quarter} (as at {q.today:%d %B %Y})")
    print("\nReturns by provider: expected, received, on time, late, overdue")
    for p in providers.values():
        print(
            f"  {p['name']}: {p['expected']}, {p['received']}, {p['on time']}, {p['late']}, "
            f"{p['overdue']}"
        )
    for owed in q.returns:
        late = f" ({owed.days_late} working days)" if owed.days_late else ""
        print(
            f"  {owed.provider} {owed.indicator_id} {owed.period}: {owed.state}{late}, "
            f"due {owed.due:%d %b}"
        )
    print("\nIndicators")
    for ind_id, g in q.ratings.items():
        print(f"  {ind_id}: {g.rating}" + (f" ({'; '.join(g.reasons)})" if g.reasons else ""))
    return 0
