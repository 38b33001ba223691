"""The `evidence` and `self-review` commands: what families and staff tell us, and the
leaders' self-review, at the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter import load_charter
from metrics.cli.choices import one_of, statement_option
from metrics.evidence import EvidenceError, listed
from metrics.evidence.items import as_json
from metrics.evidence.survey import series
from metrics.ingest.survey import survey_return
from metrics.leadership import self_review as sr
from metrics.publish.escape import json_text, terminal as t
from metrics.store.connection import Store
from metrics.store.replacing import kept, named_for, write_out


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    ev = sub.add_parser(
        "evidence",
        parents=[common],
        help="list evidence items: what families, young people, staff and partners tell us",
        description="Evidence items, newest first, with their statements, indicators and "
        "survey results. --survey-return writes the survey results tied to a percentage "
        "indicator as a return to load with `load`.",
    )
    ev.add_argument("--statement", type=int, metavar="N", help="only evidence about statement N")
    ev.add_argument("--indicator", metavar="ID", help="only evidence about this indicator")
    ev.add_argument("--withdrawn", action="store_true", help="include withdrawn items")
    ev.add_argument("--format", choices=["text", "json"], default="text")
    ev.add_argument(
        "--survey-return",
        metavar="INDICATOR",
        help="write the survey results tied to this indicator as a return (CSV) to --out",
    )
    ev.add_argument("--out", metavar="FILE", help="where --survey-return writes")
    sr_ = sub.add_parser(
        "self-review",
        parents=[common],
        help="the leadership self-review: answers, confidence over time, gaps",
        description="Each review point, every question's latest answer, confidence over time, "
        "and the answers below 'mostly confident' with no action agreed.",
    )
    sr_.add_argument("--format", choices=["text", "json"], default="text")


def cmd_evidence(args: argparse.Namespace) -> int:
    charter = load_charter()
    store = Store(args.db)
    statement_option(args.statement, charter)
    one_of("--indicator", args.indicator, charter.indicators, "an indicator of the charter")
    found = listed(
        store, statement=args.statement, indicator=args.indicator, withdrawn=args.withdrawn
    )
    if args.survey_return:
        if not args.out:
            print("error: --survey-return needs --out FILE", file=sys.stderr)
            return 2
        if problem := named_for(Path(args.out), "csv"):  # a survey return is a CSV file
            print(f"error: --out: {problem.split(', or ask')[0]}", file=sys.stderr)
            return 2
        try:
            content = survey_return(charter, series(listed(store)), args.survey_return)
        except EvidenceError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        kept(write_out(Path(args.out), content))
        print(f"Wrote {args.out}: load it with `python -m metrics load {args.out}`.")
        return 0
    if args.format == "json":
        print(json_text([as_json(i) for i in found]))
        return 0
    if not found:
        print("No evidence items.")
    for item in found:  # every stored text through t(): no forged line, no escape sequence
        where = ", ".join(str(n) for n in item.statements)
        print(f"#{item.evidence_id} {t(item.headline())} [statements {where}]")
        print(f"  {t(item.summary)}")
        if item.survey:
            print(f"  survey: {t(item.survey_words())}")
        if item.indicators:
            print(f"  indicators: {t(', '.join(item.indicators))}")
        if item.attachment:
            print(f"  attachment: {t(item.attachment[0])} ({item.attachment[2]:,} bytes)")
        if item.withdrawn_why:
            print(f"  WITHDRAWN: {t(item.withdrawn_why)}")
    return 0


def cmd_self_review(args: argparse.Namespace) -> int:
    charter = load_charter()
    store = Store(args.db)
    points = sr.points(store)
    found = sr.answers(store)
    low = sr.low_without_action(store)
    order = charter.question_ids()
    if args.format == "json":
        out = {
            "points": [
                {
                    "held_on": p.held_on.isoformat(),
                    "state": p.state,
                    "signed_off_by": p.signed_off_by,
                    "answers": [
                        {
                            "question": q,
                            "text": charter.question(q),
                            "confidence": a.confidence,
                            "links": list(a.links),
                            "will_do": a.will_do,
                            "answered_by": a.answered_by,
                            "version": a.version,
                        }
                        for q in order
                        if (a := found.get(p.held_on, {}).get(q)) is not None
                    ],
                }
                for p in points
            ],
            "low_without_action": [a.question_id for a in low],
        }
        print(json_text(out))
        return 0
    if not points:
        print("No self-review yet.")
        return 0
    for p in points:  # every stored text through t(): no forged line, no escape sequence
        print(f"Self-review of {p.label}: {t(p.state)}")
        for q in order:
            a = found.get(p.held_on, {}).get(q)
            said = sr.CONFIDENCE_WORDS[a.confidence] if a else "not answered"
            will_do = f"; will do: {t(a.will_do)}" if a else ""
            print(f"- {t(charter.question(q))}\n  {said}{will_do}")
    print("\nBelow 'mostly confident' with no action agreed:")
    for a in low:
        print(f"- {t(charter.question(a.question_id))} ({sr.CONFIDENCE_WORDS[a.confidence]})")
    if not low:
        print("- none")
    return 0
