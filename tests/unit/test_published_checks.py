"""Published imports are checked like returns (issue #9, item 4): value rules, known areas,
logged rejections, and a release never revising a figure we supplied ourselves."""

from __future__ import annotations

import pytest

from metrics.assess.trend import reconcile
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.store.queries import current_count, series, uploads
from tests.unit.test_ees import ees_file, england, mapping

HARTLEPOOL = (
    "2021,Calendar year,Local authority,E92000001,England,E12000001,North East,805,"
    "{code},{name},{value}"
)


def council(value: str, code: str = "E06000001", name: str = "Hartlepool") -> str:
    return HARTLEPOOL.format(code=code, name=name, value=value)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("-4", "cannot be below zero"),
        ("12.5", "a count must be a whole number"),
        ("1_000", "neither a number nor an EES symbol"),
    ],
)
def test_bad_published_values_reject_the_file_and_are_logged(
    store,
    charter,
    budgets,
    cell,
    fragment,
):
    content = ees_file([england("2021", "Calendar year", "25259"), council(cell)])
    report = import_ees(store, charter, "bad.csv", content, budgets)
    assert report.outcome == "rejected" and current_count(store) == 0
    assert [e.row for e in report.errors] == [3]
    assert fragment in report.errors[0].problem
    logged = uploads(store)[0]
    assert logged["outcome"] == "rejected" and logged["kind"] == "published"


def test_a_percentage_over_100_is_refused(store, charter):
    rows = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,NoExc20weekRate,NoExc20weekEHC,TotNoExcEHC,"
        "PersonalBudgets\n"
        '2021,Calendar year,National,E92000001,England,"","","","","",500,10,20,25259\n'
    )
    report = import_ees(store, charter, "pct.csv", rows.encode(), mapping(charter))
    assert report.outcome == "rejected"
    assert "a percentage must lie between 0 and 100; this is 500" in report.errors[0].problem


def test_unknown_area_codes_are_refused_and_named(store, charter, budgets):
    content = ees_file([council("5", "E06999999", "<a href='https://evil.example'>Nowhere</a>")])
    report = import_ees(store, charter, "fake.csv", content, budgets)
    assert report.outcome == "rejected" and current_count(store) == 0
    assert "E06999999" in report.errors[0].problem
    assert any("E06999999" in what for what in report.skipped)


def test_a_release_never_revises_our_own_figure(store, charter, budgets, hartlepool):
    """Our council supplied its own 2021 figure; the release's figure for us is kept beside it
    as a separate source, and ours stays the one the status uses."""
    own = "indicator,period,value\npersonal-budgets-in-place,2021,120\n"
    assert load_file(store, hartlepool, "own.csv", own.encode(), by="t").outcome == "loaded"
    content = ees_file([england("2021", "Calendar year", "25259"), council("131")])
    report = import_ees(store, hartlepool, "release.csv", content, budgets)
    assert report.outcome == "imported" and report.added == 2 and report.revised == 0
    [ours] = series(store, "personal-budgets-in-place", "E06000001")
    assert ours.value == 120 and not ours.revised
    [side_by_side] = reconcile(
        store, hartlepool, hartlepool.indicators["personal-budgets-in-place"]
    )
    assert side_by_side.published == "131" and side_by_side.ours == "120"
    # a newer release still revises the older release's figure
    newer = ees_file([england("2021", "Calendar year", "25300"), council("131")])
    again = import_ees(store, hartlepool, "newer.csv", newer, budgets)
    assert again.revised == 1 and again.revisions[0].area_code == "E92000001"
    assert series(store, "personal-budgets-in-place", "E06000001")[0].value == 120
