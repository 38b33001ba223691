"""Published statistics as they really come (issue 14): the 2023 release's snake_case layout,
period bases that must not mix, and filters that match nothing."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from charter import CHARTER_DIR
from charter.ees_models import load_mapping
from metrics.ingest.published.ees import EesError, ees_period, import_ees
from metrics.store.queries import series, uploads
from tests.conftest import EXTRACTS

RELEASE_2023 = EXTRACTS / "ees" / "ehcp-2023-release" / "sen2_mi.csv"
AREA = "geographic_level,country_code,country_name,region_code,region_name,new_la_code,la_name"


def mapping_file(tmp_path, charter, measures: list[dict], name="m.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(
        {"title": "Test layout", "file": "t.csv", "source": "test", "measures": measures}
    ))  # fmt: skip
    return load_mapping(path, charter)


def england_rows(header: str, rows: list[str]) -> bytes:
    lines = [f"time_period,time_identifier,{AREA},{header}"]
    for r in rows:  # "period|identifier|values"
        period, ident, values = r.split("|")
        lines.append(f"{period},{ident},National,E92000001,England,,,,,{values}")
    return ("\n".join(lines) + "\n").encode()


def refused(report) -> str:
    """Why an import was refused (nothing stored)."""
    assert report.outcome == "rejected", report.summary()
    return " ".join(e.problem for e in report.errors)


def test_the_2023_release_imports_and_englands_figures_match_the_file(store, charter):
    content = RELEASE_2023.read_bytes()
    m = load_mapping(CHARTER_DIR / "ees" / "sen2-mi-2023.yaml", charter)
    report = import_ees(store, charter, "sen2_mi.csv", content, m, by="tester")
    assert report.outcome == "imported", [e.as_text() for e in report.errors]
    expected = {}
    for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig"))):
        if row["geographic_level"] == "National":
            expected[row["time_period"]] = row
    assert sorted(expected) == [str(y) for y in range(2014, 2023)]
    stored = {r.period: r for r in series(store, "ehcp-issued-20-weeks", "E92000001")}
    for year, row in expected.items():
        r = stored[year]
        assert r.value == round(float(row["no_exc_20week_rate"].strip()), 1)  # its decimals
        assert r.numerator == float(row["no_exc_20week_ehc"])
        assert r.denominator == float(row["tot_no_exc_ehc"])
    budgets = {r.period: r.value for r in series(store, "personal-budgets-in-place", "E92000001")}
    assert budgets == {y: float(row["personal_budgets"]) for y, row in expected.items()}


def test_an_academic_year_file_is_refused_for_calendar_year_figures(store, charter, tmp_path):
    """ehcp-personal-budget is an annual indicator of calendar years (January census)."""
    m = mapping_file(tmp_path, charter, [{"indicator": "ehcp-personal-budget", "value": "pc"}])
    content = england_rows("pc", ["201920|Academic year|9.5", "202021|Academic year|9.9"])
    why = refused(import_ees(store, charter, "t.csv", content, m, by="tester"))
    assert "'2019/20' is an academic year, but a calendar year is needed" in why
    assert series(store, "ehcp-personal-budget", "E92000001") == []


def test_a_quarterly_indicators_published_years_keep_the_basis_they_have(store, charter, tmp_path):
    calendar_years = mapping_file(
        tmp_path, charter, [{"indicator": "ehcp-issued-20-weeks", "value": "rate"}], "a.yaml"
    )
    first = england_rows("rate", ["2020|Calendar year|58.0", "2021|Calendar year|59.9"])
    assert import_ees(store, charter, "a.csv", first, calendar_years, by="t").outcome == "imported"
    academic = england_rows("rate", ["202021|Academic year|59.0"])
    why = refused(import_ees(store, charter, "b.csv", academic, calendar_years, by="t"))
    assert "is an academic year, but a calendar year is needed" in why


def test_the_mapping_can_say_how_to_relabel_census_years(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [
        {"indicator": "ehcp-personal-budget", "value": "pc", "period_as": "calendar_year_of_census"}
    ])  # fmt: skip
    content = england_rows("pc", ["201920|Academic year|9.5"])
    preview = import_ees(store, charter, "t.csv", content, m, dry_run=True, by="tester")
    assert list(preview.by_level_period) == [("National", "2020")]  # shown in the preview
    import_ees(store, charter, "t.csv", content, m, by="tester")
    assert [r.period for r in series(store, "ehcp-personal-budget", "E92000001")] == ["2020"]


def test_a_filter_that_matches_nothing_is_an_error_naming_what_the_column_holds(
    store, charter, tmp_path
):
    m = mapping_file(tmp_path, charter, [{
        "indicator": "personal-budgets-in-place", "value": "n",
        "filters": {"breakdown": "All EHC plan issued"},
    }])  # fmt: skip
    header = "breakdown,n"
    content = england_rows(header, ["2021|Calendar year|All plans,10", "2021|Calendar year|New,3"])
    why = refused(import_ees(store, charter, "t.csv", content, m, by="tester"))
    assert (
        "No rows where breakdown = 'All EHC plan issued'; the column holds: 'All plans', 'New'"
        in why
    )
    assert uploads(store)[0]["outcome"] == "rejected"  # logged as a rejection, not "no change"


def test_the_report_says_how_many_rows_each_filter_dropped(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [{
        "indicator": "personal-budgets-in-place", "value": "n", "filters": {"breakdown": "All"},
    }])  # fmt: skip
    rows = ["2021|Calendar year|All,10", "2021|Calendar year|New,3", "2020|Calendar year|New,2"]
    report = import_ees(store, charter, "t.csv", england_rows("breakdown,n", rows), m, by="t")
    assert report.added == 1
    assert report.skipped["rows where breakdown is not 'All' (personal-budgets-in-place)"] == 2


def test_a_release_that_only_rounds_differently_revises_nothing(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [
        {"indicator": "ehcp-issued-20-weeks", "value": "rate", "numerator": "n",
         "denominator": "d"}
    ])  # fmt: skip
    older = england_rows("rate,n,d", ["2021|Calendar year|41.1,411,1000"])
    newer = england_rows("rate,n,d", ["2021|Calendar year| 41.128,411,1000"])
    import_ees(store, charter, "a.csv", older, m, by="t")
    again = import_ees(store, charter, "b.csv", newer, m, by="t")
    assert (again.outcome, again.revised) == ("no change", 0)
    changed = england_rows("rate,n,d", ["2021|Calendar year|41.2,412,1000"])
    assert import_ees(store, charter, "c.csv", changed, m, by="t").revised == 1


def test_a_value_that_disagrees_with_its_numerator_and_denominator_is_named(
    store, charter, tmp_path
):
    m = mapping_file(tmp_path, charter, [
        {"indicator": "ehcp-issued-20-weeks", "value": "rate", "numerator": "n",
         "denominator": "d"}
    ])  # fmt: skip
    rows = ["2020|Calendar year|43.3,248016,576474", "2021|Calendar year|43.0,248016,576474"]
    report = import_ees(store, charter, "t.csv", england_rows("rate,n,d", rows), m, by="t")
    assert report.outcome == "imported"  # stored as published, with a warning
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("Row 2 (ehcp-issued-20-weeks, 2020, E92000001)")
    assert "43.3 is not n / d = 43.02" in report.warnings[0]


def test_a_provisional_version_is_stored_as_provisional(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [{"indicator": "personal-budgets-in-place", "value": "n"}])
    rows = ["2021|Calendar year|Final,10", "2022|Calendar year|Provisional,12"]
    import_ees(store, charter, "t.csv", england_rows("version,n", rows), m, by="t")
    stored = {r.period: r.status for r in series(store, "personal-budgets-in-place", "E92000001")}
    assert stored == {"2021": "final", "2022": "provisional"}


@pytest.mark.parametrize("ident", ["Autumn and spring term", "Tax year", "Week 12"])
def test_a_time_identifier_we_cannot_store_is_refused_with_the_list_we_read(ident):
    with pytest.raises(EesError) as err:
        ees_period("202324", ident)
    assert f"time_identifier {ident!r} is not one we read" in str(err.value)
    assert "Calendar year, Reporting year, Academic year" in str(err.value)
    assert "Autumn term, Spring term, Summer term" in str(err.value)


def test_a_windows_1252_file_is_told_to_save_as_csv_utf8(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [{"indicator": "personal-budgets-in-place", "value": "n"}])
    content = england_rows("la,n", ["2021|Calendar year|Bromley caf\u00e9,10"])
    content = content.decode().encode("cp1252")
    why = refused(import_ees(store, charter, "t.csv", content, m, by="t"))
    assert 'Save it as "CSV UTF-8"' in why
    assert "column 10, counting from 1" in why


def test_a_file_that_is_not_tidy_data_says_so(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [{"indicator": "personal-budgets-in-place", "value": "n"}])
    why = refused(import_ees(store, charter, "t.csv", b"Area,Budgets\nLeeds,4\n", m, by="t"))
    assert "not an explore-education-statistics tidy data file" in why
    assert "The file has: Area, Budgets" in why


def test_an_unquoted_year_in_a_mapping_filter_is_read_as_the_files_text(store, charter, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "title: Test layout\nfile: t.csv\nsource: test\nmeasures:\n"
        "  - indicator: personal-budgets-in-place\n    value: n\n"
        "    filters: {time_period: 2021}\n"
    )
    m = load_mapping(path, charter)
    assert m.measures[0].filters == {"time_period": "2021"}
    rows = ["2021|Calendar year|10", "2020|Calendar year|9"]
    report = import_ees(store, charter, "t.csv", england_rows("n", rows), m, by="t")
    assert report.added == 1


def test_a_text_value_in_a_measure_column_names_the_column(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, [{"indicator": "personal-budgets-in-place", "value": "n"}])
    report = import_ees(store, charter, "t.csv", england_rows("n", ["2021|Calendar year|lots"]), m)
    assert refused(report)
    assert report.errors[0].as_text().startswith("Row 2, column n (value: 'lots')")


def test_single_years_of_age_are_summed_into_our_age_bands(store, charter, tmp_path):
    ages = {f"age_{a}": "0 to 4" for a in range(5)} | {f"age_{a}": "5 to 10" for a in range(5, 11)}
    measure = {
        "indicator": "active-ehc-plans", "value": "n",
        "breakdown": {"column": "age", "dimension": "age_band", "total": "Total",
                      "groups": ages, "sum": True},
    }  # fmt: skip
    m = mapping_file(tmp_path, charter, [measure])
    rows = ["2021|Calendar year|Total,100"]
    rows += [f"2021|Calendar year|age_{a},{a + 1}" for a in range(11)]  # 1..11 plans
    rows += [f"2022|Calendar year|age_{a},{'c' if a == 3 else 2}" for a in range(5)]
    report = import_ees(store, charter, "t.csv", england_rows("age,n", rows), m, by="t")
    assert report.outcome == "imported", [e.as_text() for e in report.errors]
    bands = {
        (r.period, r.group): (r.value, r.symbol)
        for r in series(store, "active-ehc-plans", "E92000001", "age_band")
    }
    assert bands[("2021", "0 to 4")] == (15.0, None)  # 1+2+3+4+5
    assert bands[("2021", "5 to 10")] == (51.0, None)  # 6+...+11
    assert bands[("2022", "0 to 4")] == (None, "c")  # a sum with a suppressed part is [c]


def test_many_to_one_groups_without_sum_are_refused_by_name(charter, tmp_path):
    from charter import CharterError

    measure = {
        "indicator": "active-ehc-plans", "value": "n",
        "breakdown": {"column": "age", "dimension": "age_band",
                      "groups": {"age_0": "0 to 4", "age_1": "0 to 4"}},
    }  # fmt: skip
    with pytest.raises(CharterError) as err:
        mapping_file(tmp_path, charter, [measure])
    assert "several EES values map to '0 to 4'; set 'sum: true' to add them up" in str(err.value)
