"""Where we are and where we are heading: `scorecard` (every measure's status over the last
quarters) and `forecast` (one measure's course if nothing changes)."""

from __future__ import annotations

import argparse
import sys

from charter import load_charter
from metrics.assess import forecast
from metrics.cli.choices import one_of, statement_option
from metrics.cli.review import quarter_to_read
from metrics.periods.model import PeriodError, PeriodKind
from metrics.periods.text import parse_period
from metrics.publish import outlook
from metrics.publish.escape import json_text
from metrics.publish.policy import AUDIENCES, PUBLIC
from metrics.publish.tables import write_csv
from metrics.scrutiny import scorecard
from metrics.store.connection import Store


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    card = sub.add_parser(
        "scorecard",
        parents=[common],
        help="every measure's status over the last quarters (one row each)",
        description="One row per indicator, one column per quarter, each cell its status "
        "(symbol and word) and the figure it was judged on, what needs attention first. "
        "Small numbers are withheld as they would be published unless --audience staff.",
    )
    card.add_argument(
        "--quarter",
        metavar="LABEL",
        help="the last quarter, e.g. '2026-27 Q2' (default: the latest with figures)",
    )
    card.add_argument(
        "--quarters",
        type=int,
        default=scorecard.QUARTERS,
        metavar="N",
        help=f"how many quarters, {scorecard.FEWEST_QUARTERS} to {scorecard.MOST_QUARTERS} "
        f"(default {scorecard.QUARTERS})",
    )
    card.add_argument("--format", choices=["csv", "json"], default="csv")
    card.add_argument(
        "--audience",
        choices=AUDIENCES,
        default=PUBLIC,
        help="public: what would be published (default); staff: the real figures",
    )
    card.add_argument("--statement", type=int, metavar="N", help="only this statement's")
    card.add_argument("--owner", help="only this lead's (an id in charter/owners.yaml)")
    card.add_argument("--organisation", help="only this organisation's (an id in owners.yaml)")
    card.add_argument(
        "--status",
        action="append",
        choices=scorecard.ATTENTION,
        help="only measures whose latest status is this (repeatable)",
    )


def add_forecast_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    fore = sub.add_parser(
        "forecast",
        parents=[common],
        help="one measure's course if nothing changes (a projection, not a figure)",
        description="A baseline forecast for the next periods with an 80% prediction "
        "interval (statsmodels' exponential smoothing), the method chosen by a rolling-origin "
        "back-test on the measure's own figures and its error, the target in force for each "
        "period (the chair's trajectory where set); or why there is none.",
    )
    fore.add_argument("--indicator", required=True, metavar="ID")
    fore.add_argument("--periods", type=int, default=forecast.PERIODS, metavar="N")
    fore.add_argument("--quarter", metavar="LABEL", help="as known at this quarter")
    fore.add_argument("--format", choices=["text", "csv", "json"], default="text")
    fore.add_argument("--audience", choices=AUDIENCES, default=PUBLIC)


def cmd_forecast(args: argparse.Namespace) -> int:
    charter, store = load_charter(), Store(args.db)
    one_of("--indicator", args.indicator, charter.indicators, "an indicator of the charter")
    ind = charter.indicators[args.indicator]
    if not 1 <= args.periods <= forecast.MOST_PERIODS:
        print(f"error: --periods: 1 to {forecast.MOST_PERIODS} (not {args.periods})",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        quarter = parse_period(args.quarter, PeriodKind.FY_QUARTER).label if args.quarter else None
    except PeriodError as err:
        print(f"error: --quarter: {err}", file=sys.stderr)
        return 2
    if quarter is not None and quarter_to_read(store, quarter) is None:
        return 2
    found = outlook.build(store, charter, ind, quarter, args.audience == PUBLIC, args.periods)
    if args.format == "json":
        print(json_text(found.as_json()))
    elif args.format == "csv":
        write_csv(sys.stdout, found.rows(), outlook.COLUMNS, lineterminator="\n")
    else:
        print(f"{ind.title}: projection if nothing changes")
        print(found.words)
        if found.forecast.made:
            print(outlook.method_words(ind, found.forecast))
            for row in found.rows():
                print(f"  {row['period']} (projection): {row['central']:.2f} "
                      f"[{row['low']:.2f} to {row['high']:.2f}]")  # fmt: skip
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from metrics.assess.rollup import quarters_with_data

    charter, store = load_charter(), Store(args.db)
    try:
        if args.quarter:
            quarter = parse_period(args.quarter, PeriodKind.FY_QUARTER).label
            if quarter_to_read(store, quarter) is None:
                return 2
        else:
            found = quarters_with_data(store, charter)
            if not found:
                print("error: no quarterly figures yet; load a return first", file=sys.stderr)
                return 2
            quarter = found[0]
        scorecard.quarters_to(quarter, args.quarters)
    except (PeriodError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    statement_option(args.statement, charter)
    one_of("--owner", args.owner, charter.owners, "an owner in charter/owners.yaml")
    one_of("--organisation", args.organisation, charter.organisations,
           "an organisation in charter/owners.yaml")  # fmt: skip
    card = scorecard.build(store, charter, quarter, args.quarters, args.audience == PUBLIC)
    card = card.filtered(args.statement, args.owner, args.organisation, args.status)
    if args.format == "json":
        print(json_text(scorecard.as_json(card)))
    else:
        write_csv(
            sys.stdout, scorecard.table_rows(card), scorecard.columns(card), lineterminator="\n"
        )
    return 0
