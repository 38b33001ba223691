"""The review page's data beyond the quarter's report (metrics/review/report.py, which every
page's banner reads): earlier versions of each commentary, last quarter's commentary to start
from, and the actions agreed at the last meeting."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.periods.text import parse_period
from metrics.review import actions, commentary, report
from metrics.store.connection import Store


@dataclass(frozen=True)
class ReviewExtras:
    versions: dict[str, list[commentary.Commentary]]  # subject -> versions, newest first
    previous: dict[str, commentary.Commentary]  # last quarter's, to start this one's from
    last_meeting: list[actions.Action]


def build(store: Store, quarter: str) -> ReviewExtras:
    with store.connect():
        return ReviewExtras(
            commentary.histories(store, quarter),
            commentary.current(store, parse_period(quarter).previous().label),
            report.last_meeting_actions(store, quarter),
        )
