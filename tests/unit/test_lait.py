"""Importing DfE's LAIT long-format data through a LAIT mapping (charter/lait/*.yaml): the
shipped extract, symbols, provisional figures, year types, areas, and mapping errors.
Contains public sector information licensed under the Open Government Licence v3.0."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from charter import CharterError
from charter.lait_models import LAIT_DIR, load_lait_mapping
from metrics.ingest.published.lait import as_at_of, import_lait
from metrics.ingest.published.lait_extract import EXTRACT, extract_as_at
from metrics.store import published
from metrics.store.queries import series, uploads

HEAD = '"Short Desc","Data item","Years","LA and Regions","Values","LA Number","Region"\n'


def sen(charter):
    return load_lait_mapping(LAIT_DIR / "sen.yaml", charter)


def test_the_shipped_extract_imports_every_area_and_year(store, charter):
    report = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter), by="t")
    assert report.ok and report.added == report.rows > 5000 and report.error_total == 0
    england = {r.period: r for r in series(store, "ehcp-issued-20-weeks", "E92000001")}
    assert (england["2016"].value, england["2024"].value) == (58.6, 46.4)
    assert england["2024"].period_kind == "calendar_year"
    assert "published figures as at 8 April 2026" in england["2024"].source
    appeals = {r.period: r.value for r in series(store, "send-tribunal-appeal-rate", "E92000001")}
    assert appeals["2024"] == 32.0  # 3.2 per 100 is 32 per 1,000
    nw = {r.period: r.value for r in series(store, "send-16-17-in-education", "E12000001")}
    assert nw["2024-25"] == 83.7  # LAIT's 2025 is the financial year 2024-25
    plans = {r.period: r.value for r in series(store, "active-ehc-plans", "E09000003")}
    assert plans["2025"] == 4320  # Barnet, the January 2025 census
    with store.connect() as con:
        assert published.as_at_by_indicator(con)["ehcp-issued-20-weeks"][0] == date(2026, 4, 8)
    again = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter), by="t")
    assert again.outcome == "no change" and again.added == 0
    assert uploads(store)[0]["kind"] == "published"


def test_figures_are_stored_and_shown_at_the_decimals_lait_publishes(store, charter):
    """LAIT publishes 16-17YroldSEN_ET at 2 decimal places (its dictionary's dps): Camden's
    2024-25 is 88.31, stored and shown so, not rounded to 88.3; the tribunal rate (LAIT's
    3.25 per 100, dps 2) keeps its places as ours per 1,000 (32.5)."""
    from metrics.publish.compare import compared
    from metrics.words.narrative import fmt_value

    import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter), by="t")
    ind = charter.indicators["send-16-17-in-education"]
    camden = {r.period: r.value for r in series(store, ind.id, "E09000007")}
    assert (camden["2023-24"], camden["2024-25"]) == (83.84, 88.31)
    councils = {c.name: c for c in compared(store, charter, ind).councils}
    assert fmt_value(councils["Camden"].value, ind) == "88.31%"


def test_each_shipped_measure_keeps_the_decimals_of_lait_s_dictionary(charter):
    """Every shipped measure says LAIT's dps as LAIT's own data dictionary gives it, and its
    indicator keeps at least those places (the mapping refuses fewer)."""
    import csv

    from tests.conftest import SHARED

    dictionary = SHARED / "data" / "lait" / "lait_data_dictionary.csv"
    if not dictionary.exists():
        pytest.skip("../shared is absent (CI always has it): needs LAIT's data dictionary")
    with dictionary.open(encoding="utf-8-sig", newline="") as f:
        dps = {r["Measure_short"]: r["dps"] for r in csv.DictReader(f)}
    for m in sen(charter).measures:
        assert ("NA" if m.dps is None else str(m.dps)) == dps[m.measure], m.measure
        needed = m.decimals_needed()
        assert needed is None or charter.indicators[m.indicator].decimals >= needed


def test_the_extract_says_when_its_figures_are_from():
    assert extract_as_at() == date(2026, 4, 8)
    assert EXTRACT.stat().st_size < 300_000


def mapping_file(tmp_path, measures):
    path = tmp_path / "lait" / "m.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump({"title": "Test", "source": "test", "measures": measures}))
    return path


def test_symbols_provisional_figures_and_year_types(store, charter, tmp_path):
    path = mapping_file(
        tmp_path,
        [
            {"indicator": "ehcp-mainstream", "measure": "M1", "year_type": "Academic Year",
             "polarity": "High"},
            {"indicator": "ehcp-issued-20-weeks", "measure": "M2", "year_type": "Calendar Year",
             "polarity": "High"},
        ],
    )  # fmt: skip
    rows = [
        "M1,,2023,England,50.5,970,NA",
        "M1,,2023-24,England,51.5,970,NA",  # 2023-24 and 2024 (prov) are the same year
        "M1,,2025 (prov),England,52.25,970,NA",
        "M1,,2023,Barnet,-,302,Outer London",
        "M1,,2023,Hartlepool,NA,805,North East",
        "M1,,2023,Darlington,c,841,North East",
        "M1,,2023,London (Inner),40,987,NA",
        "M2,,2022,North East,60,980,NA",
        "M2,,2022,Yorkshire and the Humber,61,982,NA",
        "M2,,2022,Cumbria,,909,North West",  # blank: does not exist
    ]
    content = (HEAD + "\n".join(rows) + "\n").encode()
    report = import_lait(store, charter, "l.csv", content, load_lait_mapping(path, charter))
    assert report.ok, [e.as_text() for e in report.errors]
    england = {r.period: r for r in series(store, "ehcp-mainstream", "E92000001")}
    assert (england["2022/23"].value, england["2023/24"].value) == (50.5, 51.5)
    assert (england["2024/25"].value, england["2024/25"].status) == (52.3, "provisional")
    assert england["2022/23"].status == "final"
    symbols = {
        area: series(store, "ehcp-mainstream", area)[0].symbol
        for area in ("E09000003", "E06000001", "E06000005")
    }
    assert symbols == {"E09000003": "z", "E06000001": "x", "E06000005": "c"}
    assert series(store, "ehcp-mainstream", "E13000001")[0].value == 40  # Inner London
    assert report.skipped["empty cells (missing)"] == 1
    assert series(store, "ehcp-issued-20-weeks", "E12000003")[0].value == 61


def test_parquet_and_csv_give_the_same_figures(store, charter, tmp_path):
    table = pq.read_table(EXTRACT)
    csv_text = HEAD + "".join(
        ",".join(f'"{v}"' if v is not None else "NA" for v in row.values()) + "\n"
        for row in table.to_pylist()
    )
    dry = import_lait(store, charter, "x.csv", csv_text.encode(), sen(charter), dry_run=True)
    whole = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter))
    assert dry.ok and whole.ok and dry.rows == whole.rows and dry.added == whole.added
    assert dry.by_level_period == whole.by_level_period


def test_an_unknown_council_is_an_error_naming_it(store, charter, tmp_path):
    path = mapping_file(tmp_path, [{"indicator": "ehcp-issued-20-weeks", "measure": "M2",
                                    "year_type": "Calendar Year", "polarity": "High"}])  # fmt: skip
    content = (HEAD + "M2,,2022,Atlantis,60,999,North East\n").encode()
    report = import_lait(store, charter, "l.csv", content, load_lait_mapping(path, charter))
    assert not report.ok and "Atlantis" in report.errors[0].problem


def test_a_file_without_lait_columns_is_refused(store, charter):
    report = import_lait(store, charter, "l.csv", b"a,b\n1,2\n", sen(charter))
    assert not report.ok and "lacks the columns Short Desc" in report.errors[0].problem


def test_an_extract_without_a_date_says_none(tmp_path):
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"a": ["1"]}), path)
    assert as_at_of(path.read_bytes()) is None


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ({"indicator": "nope", "measure": "M", "year_type": "Calendar Year", "polarity": "High"},
         "lait/m.yaml: measures.0.indicator: unknown indicator 'nope'"),
        ({"indicator": "send-tribunal-appeal-rate", "measure": "M", "year_type": "Calendar Year",
          "polarity": "High"}, "lait/m.yaml: measures.0.polarity: LAIT ranks M High is better"),
        ({"indicator": "ehcp-issued-20-weeks", "measure": "M", "year_type": "Tax Year",
          "polarity": "High"}, "lait/m.yaml: measures.0.year_type: Input should be"),
        ({"indicator": "ehcp-issued-20-weeks", "measure": "M", "year_type": "Calendar Year",
          "polarity": "High", "colour": "red"}, "lait/m.yaml: measures.0.colour: Extra inputs"),
        ({"indicator": "ehcp-issued-20-weeks", "measure": "M", "year_type": "Calendar Year",
          "polarity": "High", "dps": 2}, "lait/m.yaml: measures.0.dps: LAIT publishes M at 2 "
         "decimal places, but ehcp-issued-20-weeks keeps 1"),
        ({"indicator": "send-tribunal-appeal-rate", "measure": "M", "year_type": "Calendar Year",
          "polarity": "Low", "scale": 10, "dps": 3}, "lait/m.yaml: measures.0.dps: LAIT "
         "publishes M at 3 decimal places, but send-tribunal-appeal-rate keeps 1"),
    ],
)  # fmt: skip
def test_mapping_errors_name_file_key_and_reason(charter, tmp_path, measure, expected):
    with pytest.raises(CharterError) as err:
        load_lait_mapping(mapping_file(tmp_path, [measure]), charter)
    assert any(p.startswith(expected) for p in err.value.problems), err.value.problems


def test_a_measure_mapped_twice_is_refused(charter, tmp_path):
    m = {"indicator": "ehcp-issued-20-weeks", "measure": "M", "year_type": "Calendar Year",
         "polarity": "High"}  # fmt: skip
    with pytest.raises(CharterError, match="mapped twice"):
        load_lait_mapping(mapping_file(tmp_path, [m, dict(m)]), charter)


def test_the_full_lait_file_gives_the_extracts_figures(store, charter):
    """LAIT's whole file (641,070 rows, 448 measures) through the shipped mapping: the same
    figures as the extract, every other measure left aside."""
    from tests.conftest import SHARED

    full = SHARED / "data" / "lait" / "bds_long_0.parquet"
    if not full.exists():
        pytest.skip("../shared is absent (CI always has it): needs LAIT's whole file")
    whole = import_lait(store, charter, full.name, full.read_bytes(), sen(charter), dry_run=True,
                        as_at=date(2026, 4, 8))  # fmt: skip
    extract = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter),
                          dry_run=True)  # fmt: skip
    assert whole.ok and whole.rows == extract.rows == 5610  # 66 of them London's halves
    assert whole.by_level_period == extract.by_level_period


def test_an_ees_release_after_the_extract_is_not_refused_as_older(store, charter):
    """LAIT gathers many releases' figures, rounded: it is not a release. An EES release an
    analyst imports after it (to 2022, where the extract runs to 2024) is imported, not
    refused as an older release: it adds the years LAIT lacks."""
    from charter.ees_models import load_mapping
    from metrics.ingest.published.ees import import_ees
    from tests.conftest import ROOT, SHARED

    import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), sen(charter), by="t")
    release = SHARED / "data" / "ees" / "ehcp-2023-release" / "sen2_mi.csv"
    mapping = load_mapping(ROOT / "charter" / "ees" / "sen2-mi-2023.yaml", charter)
    report = import_ees(store, charter, release.name, release.read_bytes(), mapping, by="t")
    assert report.ok and report.older == 0, [e.as_text() for e in report.errors]
    england = {r.period: r.value for r in series(store, "ehcp-issued-20-weeks", "E92000001")}
    assert england["2014"] == 64.3  # LAIT's series starts in 2016: the release adds 2014
    assert (england["2022"], england["2024"]) == (49.2, 46.4)  # the same at one decimal
