"""Periods: the spellings analysts use, canonical labels, ordering and arithmetic."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from metrics.periods.model import Period, PeriodError, PeriodKind, kind_for
from metrics.periods.text import parse_period

K = PeriodKind


@pytest.mark.parametrize(
    "text",
    [
        "2024-25 Q1",
        "2024/25 Q1",
        "Q1 2024-25",
        "q1 2024/2025",
        "2024-25 Quarter 1",
        "FY 2024-25 Q1",
        "Q1 24/25",
        " 2024-25  q1 ",
    ],
)
def test_financial_quarter_spellings(text):
    period = parse_period(text)
    assert period == Period(K.FY_QUARTER, 2024, 1)
    assert period.label == "2024-25 Q1"
    assert (period.start, period.end) == (date(2024, 4, 1), date(2024, 6, 30))


def test_quarter_four_is_january_to_march_of_the_next_calendar_year():
    q4 = parse_period("2024-25 Q4")
    assert (q4.start, q4.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert q4.shift(1).label == "2025-26 Q1"


@pytest.mark.parametrize(
    ("text", "kind", "label", "start"),
    [
        ("2024-25", K.FINANCIAL_YEAR, "2024-25", date(2024, 4, 1)),
        ("FY 2024/25", K.FINANCIAL_YEAR, "2024-25", date(2024, 4, 1)),
        ("2023/24", K.ACADEMIC_YEAR, "2023/24", date(2023, 9, 1)),
        ("AY 2023-24", K.ACADEMIC_YEAR, "2023/24", date(2023, 9, 1)),
        ("2024", K.CALENDAR_YEAR, "2024", date(2024, 1, 1)),
        ("Apr 2024", K.MONTH, "Apr 2024", date(2024, 4, 1)),
        ("April-24", K.MONTH, "Apr 2024", date(2024, 4, 1)),
        ("2024-04", K.MONTH, "Apr 2024", date(2024, 4, 1)),
        ("04/2024", K.MONTH, "Apr 2024", date(2024, 4, 1)),
        ("Autumn 2023", K.ACADEMIC_TERM, "2023/24 Autumn term", date(2023, 9, 1)),
        ("Spring 2024", K.ACADEMIC_TERM, "2023/24 Spring term", date(2024, 1, 1)),
        ("2023/24 Summer term", K.ACADEMIC_TERM, "2023/24 Summer term", date(2024, 5, 1)),
    ],
)
def test_other_kinds(text, kind, label, start):
    period = parse_period(text)
    assert (period.kind, period.label, period.start) == (kind, label, start)
    assert parse_period(period.label) == period  # the canonical label reads back


def test_an_ambiguous_year_pair_follows_what_the_indicator_expects():
    assert parse_period("2024/25", K.FINANCIAL_YEAR).label == "2024-25"
    assert parse_period("2024-25", K.ACADEMIC_YEAR).label == "2024/25"
    assert parse_period("2011-12", K.MONTH).label == "Dec 2011"
    assert parse_period("2011-12").kind == K.FINANCIAL_YEAR


def test_dates_mean_the_period_that_contains_them():
    assert parse_period(date(2024, 6, 30), K.FY_QUARTER).label == "2024-25 Q1"
    assert parse_period(datetime(2025, 2, 1), K.FY_QUARTER).label == "2024-25 Q4"
    assert parse_period("2024-09-01", K.ACADEMIC_YEAR).label == "2024/25"
    assert parse_period("01/04/2024", K.FY_QUARTER).label == "2024-25 Q1"  # UK day/month order
    with pytest.raises(PeriodError, match="is a date"):
        parse_period("2024-06-30")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-26", "not consecutive"),
        ("Q5 2024-25", "not a period we can read"),
        ("", "empty"),
        ("next quarter", "not a period we can read"),
    ],
)
def test_unreadable_periods(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_wrong_kind_names_both_kinds_and_an_example():
    with pytest.raises(PeriodError) as err:
        parse_period("2024", K.FY_QUARTER)
    assert "calendar year" in str(err.value) and "'2024-25 Q1'" in str(err.value)


def test_previous_and_same_period_last_year():
    q1 = parse_period("2024-25 Q1")
    assert q1.previous().label == "2023-24 Q4"
    assert q1.same_period_last_year().label == "2023-24 Q1"
    autumn = parse_period("2023/24 Autumn term")
    assert autumn.previous().label == "2022/23 Summer term"
    assert parse_period("Jan 2024").previous().label == "Dec 2023"
    assert parse_period("2023/24").previous().label == "2022/23"


def test_ordering_is_by_time():
    labels = ["2024-25 Q2", "2023-24 Q4", "2024-25 Q1", "2023-24 Q3"]
    assert [p.label for p in sorted(parse_period(t) for t in labels)] == [
        "2023-24 Q3",
        "2023-24 Q4",
        "2024-25 Q1",
        "2024-25 Q2",
    ]


def test_kind_for_frequency():
    assert kind_for("quarterly") == K.FY_QUARTER
    assert kind_for("termly") == K.ACADEMIC_TERM
    assert kind_for("annual", "academic") == K.ACADEMIC_YEAR
    assert kind_for("annual", "calendar") == K.CALENDAR_YEAR
