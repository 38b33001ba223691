"""Dates as people in England write them, in one place: "2 December 2026" in sentences,
"2 Dec 2026" where space is short, "02/12/2026" in forms, and a time after a comma.

Every page, pack and history formats a date with these (never ISO 2026-12-02 or the
American 12/02/2026); widgets use the matching display formats below.
"""

from __future__ import annotations

from datetime import date, datetime

# What date pickers show and read (Streamlit's st.date_input `format`).
FORM_FORMAT = "DD/MM/YYYY"
# What a table's date and date-and-time columns show (Streamlit's column_config, moment.js).
COLUMN_DATE = "D MMM YYYY"
COLUMN_DATETIME = "D MMM YYYY, HH:mm"


def long_date(d: date) -> str:
    """ "2 December 2026": in sentences."""
    return f"{d.day} {d:%B %Y}"


def short_date(d: date) -> str:
    """ "2 Dec 2026": in tables and captions."""
    return f"{d.day} {d:%b %Y}"


def form_date(d: date) -> str:
    """ "02/12/2026": as typed in a form."""
    return f"{d:%d/%m/%Y}"


def date_time(at: datetime, short: bool = False) -> str:
    """ "2 December 2026, 14:05" (or "2 Dec 2026, 14:05"): when something was done."""
    return f"{short_date(at) if short else long_date(at)}, {at:%H:%M}"
