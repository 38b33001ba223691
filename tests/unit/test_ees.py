"""Importing published statistics (EES tidy CSV) through a mapping file."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from charter import CHARTER_DIR, CharterError
from charter.ees_models import load_mapping
from metrics.assess.trend import reconcile
from metrics.ingest.published.ees import EesError, ees_period, import_ees
from metrics.store.queries import current_count, series, uploads
from tests.conftest import SHARED

RELEASE = SHARED / "data" / "ees" / "ehcp-2022-release"
HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,PersonalBudgets"
)


def mapping(charter, name="sen2-mi.yaml"):
    return load_mapping(CHARTER_DIR / "ees" / name, charter)


def ees_file(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def england(period: str, ident: str, value: str) -> str:
    return f'{period},{ident},National,E92000001,England,"","","","","",{value}'


@pytest.mark.parametrize(
    ("period", "ident", "label"),
    [
        ("2021", "Calendar year", "2021"),
        ("202021", "Academic year", "2020/21"),
        ("202122", "Financial year", "2021-22"),
        ("202122", "Financial year Q3", "2021-22 Q3"),
        ("2021", "March", "Mar 2021"),
        ("202122", "Spring term", "2021/22 Spring term"),
    ],
)
def test_time_identifiers(period, ident, label):
    assert ees_period(period, ident).label == label


@pytest.mark.parametrize(
    ("period", "meaning", "label"),
    [
        ("2023", "calendar_year", "2023"),
        ("2023", "financial_year", "2022-23"),  # children in need's: the year to 31 March
        ("2023", "academic_year", "2022/23"),
        ("202223", "financial_year", "2022-23"),
        ("202223", "academic_year", "2022/23"),
    ],
)
def test_a_reporting_year_is_read_as_the_release_means_it(period, meaning, label):
    assert ees_period(period, "Reporting year", meaning).label == label


def test_a_reporting_year_is_never_taken_for_a_calendar_year_unsaid():
    with pytest.raises(EesError, match="reporting_year: calendar_year, financial_year or acad"):
        ees_period("2023", "Reporting year")
    with pytest.raises(EesError, match="not a reporting year we read as a calendar_year"):
        ees_period("202223", "Reporting year", "calendar_year")


def test_a_release_s_financial_reporting_year_is_stored_as_that_financial_year(
    store, charter, tmp_path
):
    """A release whose reporting year 2024 is the year to 31 March 2024 (its mapping says
    so) stores 2023-24 for an indicator of financial years; the same file with no meaning
    given is refused, naming the setting, instead of being read as calendar year 2024."""
    measure = {"indicator": "send-16-17-in-education", "value": "PersonalBudgets"}
    path = tmp_path / "ry.yaml"
    body = {"title": "Reporting years", "file": "t.csv", "source": "test", "measures": [measure]}
    path.write_text(yaml.safe_dump(body))
    unsaid = load_mapping(path, charter)
    content = ees_file([england("2024", "Reporting year", "87.5")])
    refused = import_ees(store, charter, "ry.csv", content, unsaid)
    assert not refused.ok
    assert any("reporting_year: calendar_year" in e.problem for e in refused.errors)
    path.write_text(yaml.safe_dump({**body, "reporting_year": "financial_year"}))
    report = import_ees(store, charter, "ry.csv", content, load_mapping(path, charter))
    assert report.ok, [e.as_text() for e in report.errors]
    [figure] = series(store, "send-16-17-in-education", "E92000001")
    assert (figure.period, figure.period_kind, figure.value) == ("2023-24", "financial_year", 87.5)


@pytest.mark.parametrize(
    ("period", "ident"),
    [("202123", "Academic year"), ("2021", "Week 3"), ("20212", "Academic year")],
)
def test_unreadable_time_periods(period, ident):
    with pytest.raises(EesError):
        ees_period(period, ident)


def test_symbols_stay_symbols(store, charter, budgets):
    symbols = ["x", "z", "c", "low", "k", "u", ":", "~"]
    rows = [england(str(2000 + i), "Calendar year", s) for i, s in enumerate(symbols)]
    report = import_ees(store, charter, "s.csv", ees_file(rows), budgets)
    assert report.added == 8
    got = [(r.value, r.symbol) for r in series(store, "personal-budgets-in-place", "E92000001")]
    assert got == [(None, s) for s in symbols]


def test_byte_order_mark_and_empty_cells(store, charter, budgets):
    content = b"\xef\xbb\xbf" + ees_file(
        [england("2021", "Calendar year", "25259"), england("2020", "Calendar year", "")]
    )
    report = import_ees(store, charter, "bom.csv", content, budgets)
    assert report.added == 1 and report.skipped["empty cells (missing)"] == 1
    assert series(store, "personal-budgets-in-place", "E92000001")[0].value == 25259


def test_a_mapping_naming_a_missing_column_is_refused(store, charter):
    content = ees_file([england("2021", "Calendar year", "1")]).replace(b"PersonalBudgets", b"PB")
    report = import_ees(store, charter, "m.csv", content, mapping(charter))
    assert report.outcome == "rejected" and current_count(store) == 0
    text = report.errors[0].problem
    assert uploads(store)[0]["outcome"] == "rejected"  # logged in the upload history
    assert "NoExc20weekRate" in text and "PersonalBudgets" in text  # what the mapping wants
    assert "The file has: time_period, time_identifier" in text and "PB" in text


def test_repeated_import_and_a_revised_release(store, charter, budgets):
    first = ees_file([england("2021", "Calendar year", "25259")])
    assert import_ees(store, charter, "a.csv", first, budgets).outcome == "imported"
    again = import_ees(store, charter, "a.csv", first, budgets)
    assert again.outcome == "no change" and again.unchanged == 1
    moment = datetime.now()
    newer = ees_file([england("2021", "Calendar year", "25300")])
    report = import_ees(store, charter, "b.csv", newer, budgets)
    assert report.revised == 1 and report.revisions[0].old_value == 25259
    now = series(store, "personal-budgets-in-place", "E92000001")
    assert now[0].value == 25300 and now[0].revision_reason.startswith("Revised in a newer release")
    then = series(store, "personal-budgets-in-place", "E92000001", as_at=moment)
    assert then[0].value == 25259


def mapping_problems(path, charter, measures) -> list[str]:
    path.write_text(
        yaml.safe_dump({"title": "Bad", "file": "x.csv", "source": "Nowhere", "measures": measures})
    )
    with pytest.raises(CharterError) as err:
        load_mapping(path, charter)
    return err.value.problems


def test_mapping_errors_name_file_key_and_reason(tmp_path, charter):
    bad = tmp_path / "bad.yaml"
    ages = {"column": "age", "dimension": "age_band", "groups": {"Under 5": "0-4"}}
    problems = mapping_problems(
        bad, charter, [{"indicator": "active-ehc-plans", "value": "B", "numerator": "C"}]
    )
    assert any("measures.0" in p and "denominator" in p for p in problems)
    problems = mapping_problems(
        bad,
        charter,
        [
            {"indicator": "nope", "value": "A"},
            {"indicator": "active-ehc-plans", "value": "B", "breakdown": ages},
        ],
    )
    assert f"{bad}: measures.0.indicator: unknown indicator 'nope'" in problems
    assert any("groups.Under 5: '0-4' is not a age_band group" in p for p in problems)


@pytest.fixture
def released():
    if not RELEASE.exists():
        pytest.skip("../shared is absent (CI always has it)")
    return RELEASE


def test_real_sen2_mi_loads_every_level_and_year(store, charter, released):
    content = (released / "sen2_mi.csv").read_bytes()
    report = import_ees(store, charter, "sen2_mi.csv", content, mapping(charter))
    levels = {level for level, _ in report.by_level_period}
    years = {period for _, period in report.by_level_period}
    assert levels == {"National", "Regional", "Local authority"}
    assert years == {str(y) for y in range(2014, 2022)}
    rows = {r.period: r for r in series(store, "ehcp-issued-20-weeks", "E92000001")}
    assert (rows["2021"].value, rows["2021"].numerator, rows["2021"].denominator) == (
        59.9,
        34249,
        57196,
    )  # as published: NoExc20weekRate, NoExc20weekEHC, TotNoExcEHC
    assert rows["2014"].value == 64.3
    with store.connect() as con:
        old = con.execute("SELECT old_code FROM areas WHERE code = 'E06000001'").fetchall()
    assert old == [("805",)]  # Hartlepool's old_la_code kept as an alias


def test_real_caseload_by_age(store, charter, released):
    content = (released / "sen2_age_caseload.csv").read_bytes()
    report = import_ees(
        store, charter, "sen2_age_caseload.csv", content, mapping(charter, "sen2-age-caseload.yaml")
    )
    assert report.skipped["characteristic_age 'Age 16 to 19' (no matching group)"] > 0
    ages = {r.group for r in series(store, "active-ehc-plans", "E92000001", "age_band")}
    assert ages == {"0 to 4", "5 to 10", "11 to 15"}
    total = {r.period: r.value for r in series(store, "active-ehc-plans", "E92000001")}
    assert total["2022"] == 473255


def test_reconciliation_of_our_quarters_with_the_published_year(store, hartlepool, released):
    from metrics.ingest import load_file

    quarters = ["2020-21 Q4", "2021-22 Q1", "2021-22 Q2", "2021-22 Q3"]
    own = "indicator,period,value,numerator,denominator,status\n" + "".join(
        f"ehcp-issued-20-weeks,{q},,{n},20,{'provisional' if q.endswith('Q3') else 'final'}\n"
        for q, n in zip(quarters, (10, 12, 14, 16), strict=True)
    )
    assert load_file(store, hartlepool, "own.csv", own.encode(), by="t").ok
    content = (released / "sen2_mi.csv").read_bytes()
    import_ees(store, hartlepool, "sen2_mi.csv", content, mapping(hartlepool))
    rows = reconcile(store, hartlepool, hartlepool.indicators["ehcp-issued-20-weeks"])
    row = next(r for r in rows if r.period == "2021")
    assert row.ours == "65.0%"  # (10 + 12 + 14 + 16) / 80
    published = next(
        r for r in series(store, "ehcp-issued-20-weeks", "E06000001") if r.period == "2021"
    ).value
    assert row.difference == pytest.approx(65.0 - published)
    assert "pooled from our 4 figures" in row.how and "2021-22 Q3 provisional" in row.markers


def test_an_import_that_revises_nothing_is_not_logged_as_revised(store, charter, budgets):
    """Issue 27 item 24: "Revised in a newer release" only when a figure was revised."""
    first = ees_file([england("2021", "Calendar year", "25259")])
    assert import_ees(store, charter, "a.csv", first, budgets).outcome == "imported"
    assert import_ees(store, charter, "a.csv", first, budgets).outcome == "no change"
    assert [u["reason"] for u in uploads(store)] == [None, None]
    newer = ees_file([england("2021", "Calendar year", "25300")])
    assert import_ees(store, charter, "b.csv", newer, budgets).revised == 1
    assert uploads(store)[0]["reason"].startswith("Revised in a newer release")


def test_a_failure_keeping_the_release_s_areas_stores_none_of_its_figures(
    store, charter, budgets, monkeypatch
):
    """The figures and the release's area names are one transaction: the names were kept in
    a second one, and a failure there left the figures stored without them."""
    from metrics.store import published

    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled as the area names were kept")

    monkeypatch.setattr(published, "keep_area", broken)
    rows = [england("2021", "Calendar year", "5")]
    with pytest.raises(RuntimeError, match="disk filled"):
        import_ees(store, charter, "s.csv", ees_file(rows), budgets)
    assert current_count(store) == 0 and not [
        u for u in uploads(store) if u["outcome"] != "rejected"
    ]
