"""Providers' submissions and what the data-quality view reads about returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from metrics.store.connection import Connection

Row = tuple[Any, ...]  # a row as the driver gives it

ADD = """
INSERT INTO submissions VALUES ($upload, $provider, 'submitted', NULL, NULL, NULL, NULL)
"""
# What a submission covers, from the staged file (metrics/store/figures.stage).
ADD_ITEMS = """
INSERT INTO submission_items
SELECT $upload, indicator_id, period, count(*) FROM staged GROUP BY indicator_id, period
"""
DECIDE = """
UPDATE submissions SET state = $state, decided_by = $by, decided_at = $at, reason = $reason,
                       stored_upload = $stored
WHERE upload_id = $upload AND state = 'submitted'
RETURNING upload_id
"""
DECIDED = "SELECT state, decided_by FROM submissions WHERE upload_id = $upload"
LISTED = """
SELECT s.upload_id, s.provider, u.file_name, u.uploaded_by, u.uploaded_at, s.state,
       s.decided_by, s.decided_at, s.reason, s.stored_upload, u.message
FROM submissions s JOIN uploads u ON u.upload_id = s.upload_id
WHERE ($provider IS NULL OR s.provider = $provider) AND ($upload IS NULL OR s.upload_id = $upload)
ORDER BY s.upload_id DESC
"""
ITEMS = """
SELECT upload_id, indicator_id, period, figures FROM submission_items
WHERE upload_id IN (SELECT unnest($uploads)) ORDER BY upload_id, indicator_id, period, figures
"""
# The demo dates a decision as if made over the year (metrics/demo/partners.py).
REDATE_DECISION = "UPDATE submissions SET decided_at = $at WHERE upload_id = $upload"

# When figures for an indicator and period first reached us: a submission not sent back, or
# an upload that stored them (whichever was first).
RECEIVED = """
SELECT indicator_id, period, arrived, via FROM (
    SELECT indicator_id, period, arrived, via,
           row_number() OVER (PARTITION BY indicator_id, period ORDER BY arrived) AS nth
    FROM (
        SELECT i.indicator_id, i.period, u.uploaded_at AS arrived,
               'submission ' || s.upload_id AS via
        FROM submission_items i JOIN submissions s USING (upload_id)
        JOIN uploads u USING (upload_id)
        WHERE s.state <> 'returned'
        UNION ALL
        SELECT o.indicator_id, o.period, u.uploaded_at, 'upload ' || u.upload_id
        FROM observations o JOIN uploads u USING (upload_id)
        WHERE o.origin = 'local' AND o.area_code = $council
    ) arrivals WHERE period IN (SELECT unnest($periods))
) firsts WHERE nth = 1
"""
# Breakdowns ever supplied for an indicator outside the periods.
SUPPLIED = """
SELECT DISTINCT indicator_id, breakdown FROM observations
WHERE origin = 'local' AND area_code = $council AND breakdown <> ''
  AND period NOT IN (SELECT unnest($periods))
"""
RETURNED = """
SELECT s.provider, i.indicator_id, i.period, count(DISTINCT s.upload_id)
FROM submissions s JOIN submission_items i USING (upload_id)
WHERE s.state = 'returned' AND i.period IN (SELECT unnest($periods))
GROUP BY s.provider, i.indicator_id, i.period
"""
# Our council's current figures for the periods, with how many versions each has had.
FIGURES = """
SELECT o.indicator_id, o.period, o.breakdown, o.value, o.numerator, o.denominator, o.symbol,
       o.status, o.is_revision, u.upload_id, u.uploaded_by, u.uploaded_at, u.source, u.message,
       s.provider, s.upload_id AS submission
FROM observations o JOIN uploads u USING (upload_id)
LEFT JOIN submissions s ON s.stored_upload = u.upload_id
WHERE o.superseded_by IS NULL AND o.origin = 'local' AND o.area_code = $council
  AND o.period IN (SELECT unnest($periods))
"""


def add_submission(con: Connection, upload_id: int, provider: str) -> None:
    """A submitted file (logged as upload `upload_id`, its rows in `staged`): waiting."""
    con.execute(ADD, {"upload": upload_id, "provider": provider})
    con.execute(ADD_ITEMS, {"upload": upload_id})


def decide(
    con: Connection,
    upload_id: int,
    state: str,
    by: str,
    at: datetime,
    reason: str | None,
    stored: int | None,
) -> bool:
    """Mark a waiting submission `state`; False when it was no longer waiting."""
    params = {"state": state, "by": by, "at": at, "reason": reason, "stored": stored}
    return bool(con.execute(DECIDE, {**params, "upload": upload_id}).fetchall())


def decided(con: Connection, upload_id: int) -> tuple[str, str | None]:
    """(state, decided by) of a submission."""
    state, by = con.execute(DECIDED, {"upload": upload_id}).fetchall()[0]
    return state, by


def listed(con: Connection, provider: str | None, upload_id: int | None) -> list[Row]:
    """Submissions newest first: (upload, provider, file name, submitted by, at, state,
    decided by, decided at, reason, stored upload, message)."""
    return con.execute(LISTED, {"provider": provider, "upload": upload_id}).fetchall()


def items(con: Connection, uploads: list[int]) -> list[Row]:
    """(upload, indicator, period, figures) that the submissions cover."""
    return con.execute(ITEMS, {"uploads": uploads}).fetchall()


def redate_decision(con: Connection, upload_id: int, at: datetime | date) -> None:
    con.execute(REDATE_DECISION, {"at": at, "upload": upload_id})


def received(con: Connection, council: str, periods: list[str]) -> list[Row]:
    """(indicator, period, first arrived, via) of figures for the periods."""
    return con.execute(RECEIVED, {"council": council, "periods": periods}).fetchall()


def returned(con: Connection, periods: list[str]) -> list[Row]:
    """(provider, indicator, period, submissions sent back) for the periods."""
    return con.execute(RETURNED, {"periods": periods}).fetchall()


def current_figures(con: Connection, council: str, periods: list[str]) -> list[Row]:
    """Our council's current figures for the periods, with their upload and provider."""
    return con.execute(FIGURES, {"council": council, "periods": periods}).fetchall()


def breakdowns_supplied(con: Connection, council: str, periods: list[str]) -> list[Row]:
    """(indicator, breakdown) ever supplied outside the periods."""
    return con.execute(SUPPLIED, {"council": council, "periods": periods}).fetchall()
