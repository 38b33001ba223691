"""Inner and Outer London, the halves of London DfE publishes beside the region for a London
borough (LAIT's "London (Inner)" and "London (Outer)", EES's Regional rows E13000001 and
E13000002): which borough is in which, importing their figures, and comparing a London borough
with its half, never counting a half among the councils. Real LAIT data (the shipped extract
of bds_long_0.parquet; the whole file from ../shared where it is there).
Contains public sector information licensed under the Open Government Licence v3.0."""

from __future__ import annotations

import dataclasses

import pyarrow.parquet as pq
import pytest
import yaml

from charter.ees_models import load_mapping
from charter.lait_models import LAIT_DIR, load_lait_mapping
from metrics.assess.benchmark import area_values
from metrics.assess.trend import trend
from metrics.ingest.published.ees import import_ees
from metrics.ingest.published.lait import import_lait
from metrics.ingest.published.lait_extract import EXTRACT
from metrics.publish import compare
from metrics.reference import COUNCIL, councils_in, known_areas
from metrics.store.queries import series
from metrics.words.narrative import fmt_value
from tests.conftest import SHARED

HALVES = {"Inner London": "E13000001", "Outer London": "E13000002"}
LAIT_NAMES = {"London (Inner)": "E13000001", "London (Outer)": "E13000002"}
APPEALS = ("send-tribunal-appeal-rate", "SEN_AppealableDec")  # LAIT publishes both halves


def lait_rows(path):
    return pq.read_table(path).to_pylist()


def borough_halves(rows) -> dict[str, str]:
    """LA number -> the half of London LAIT's `Region` column puts the council in."""
    return {
        str(int(float(r["LA Number"]))): HALVES[r["Region"]]
        for r in rows
        if r["Region"] in HALVES and r["LA Number"] is not None
    }


@pytest.mark.parametrize("source", ["extract", "whole file"])
def test_each_borough_is_in_the_half_dfe_puts_it_in(source):
    """Every London borough's half is LAIT's (Haringey and Newham inner, Greenwich outer, as
    DfE classifies them), and no council outside London has one."""
    path = EXTRACT if source == "extract" else SHARED / "data" / "lait" / "bds_long_0.parquet"
    if not path.exists():
        pytest.skip("../shared is absent (CI always has it): needs LAIT's whole file")
    from metrics.reference import sub_region_of

    published = borough_halves(lait_rows(path))
    assert len(published) == 33  # the 32 boroughs and the City
    councils = [a for a in known_areas().values() if a.level == COUNCIL]
    ours = {a.old_code: a.sub_region_code for a in councils if a.sub_region_code}
    assert ours == published
    for a in councils:
        half = sub_region_of(a.code)
        assert (half.code if half else "") == a.sub_region_code
        assert half is None or half.name in HALVES


def test_lait_s_london_halves_are_imported(store, charter):
    """Both halves' figures are stored under their GSS codes, as LAIT publishes them (its
    per 100 read as ours per 1,000), not skipped."""
    mapping = load_lait_mapping(LAIT_DIR / "sen.yaml", charter)
    report = import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by="t")
    assert report.ok, [e.as_text() for e in report.errors]
    assert not any("Sub-regional" in reason for reason in report.skipped)
    indicator, measure = APPEALS
    published = {}
    for r in lait_rows(EXTRACT):
        half = LAIT_NAMES.get(r["LA and Regions"])
        if r["Short Desc"] == measure and half and r["Values"] not in ("-", "NA", None):
            published[(half, r["Years"])] = float(r["Values"])
    assert len(published) >= 10
    for (code, year), per_100 in published.items():
        stored = {r.period: r.value for r in series(store, indicator, code)}
        assert stored[year] == pytest.approx(per_100 * 10, abs=0.05), (code, year)


def a_council(charter, code: str):
    area = known_areas()[code]
    region = known_areas()[area.region_code]
    council = charter.council.model_copy(
        update={
            "code": code,
            "name": area.name,
            "comparators": [],
            "region": charter.council.region.model_copy(
                update={"code": region.code, "name": region.name}
            ),
        }
    )
    return dataclasses.replace(charter, council=council)


def test_a_london_borough_is_compared_with_its_half_which_is_no_council(store, charter):
    """Camden (Inner London) and Greenwich (Outer London): each year beside its own half's
    figure, in words and on the page's table; ranks and "of N" count councils only. A council
    outside London (Hartlepool) shows no half."""
    from metrics.packs.benchmarks import over_time
    from ui.benchmark_view import over_time_chart, over_time_table

    mapping = load_lait_mapping(LAIT_DIR / "sen.yaml", charter)
    assert import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by="t").ok
    ind = charter.indicators[APPEALS[0]]
    for code, half in (("E09000007", "E13000001"), ("E09000011", "E13000002")):
        borough = a_council(charter, code)
        found = compare.compared(store, borough, ind)
        halves = {r.period: r.value for r in series(store, ind.id, half)}
        name = known_areas()[half].name
        assert found is not None and len(halves) >= 5
        areas = area_values(store, [(ind.id, p) for p in halves])
        for y in found.years:
            assert y.sub_region_name == name and y.sub_region == halves.get(y.period)
            in_year = areas.get((ind.id, y.period), {})
            assert half in in_year and y.councils == len(councils_in(in_year, code))
        last = found.years[-1]
        assert f"{name} {fmt_value(last.sub_region, ind)}" in last.in_words(ind)
        assert all(f.code not in HALVES.values() for f in found.councils)
        assert len(found.councils) == found.years[-1].councils
        page = {r["Year"]: r for r in over_time_table(found.years, ind)}
        assert page[last.period][name] == fmt_value(last.sub_region, ind)
        fig, alt = over_time_chart(found.years, ind)
        assert f"the region, {name} and" in alt and name in [t.name for t in fig.data]
        drawn = over_time(ind, found, known_areas()[code].name)
        assert f"{name} (long dashes)" in drawn.alt and f">{name}</tspan>" in drawn.svg
        pack = drawn.table
        assert name in pack.headers
        row = next(r for r in pack.rows if r[0] == last.period)
        assert row[pack.headers.index(name)] == fmt_value(last.sub_region, ind)
    elsewhere = compare.compared(store, a_council(charter, "E06000001"), ind)
    assert elsewhere is not None
    assert all(y.sub_region_name is None and y.sub_region is None for y in elsewhere.years)
    assert not any(name in r for r in over_time_table(elsewhere.years, ind) for name in HALVES)
    fig, alt = over_time_chart(elsewhere.years, ind)
    assert not any(t.name in HALVES for t in fig.data) and "London" not in alt
    drawn = over_time(ind, elsewhere, "Hartlepool")
    assert "London" not in drawn.alt + drawn.svg and drawn.table.headers[3] == "Region"
    assert drawn.table.headers[4] == "Neighbour average"


def test_an_ees_release_s_london_halves_are_areas_we_know(store, charter, tmp_path):
    """EES releases publish the halves at the Regional level (region_code E13000001): the
    2023 EHCP release's London row, repeated as each half in the same columns, is stored
    under the half's code rather than refused as an unknown area."""
    release = SHARED / "data" / "ees" / "ehcp-2023-release" / "sen2_mi.csv"
    if not release.exists():
        pytest.skip("../shared is absent (CI always has it): needs the 2023 EHCP release")
    lines = release.read_text(encoding="utf-8-sig").splitlines()
    london = next(ln for ln in lines if ln.startswith('2022,Calendar year,Regional,E92000001,'
                                                        'England,E12000007,London'))  # fmt: skip
    halves = [london.replace("E12000007,London", f"{code},{name}") for name, code in HALVES.items()]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "title": "EHC plans", "file": "sen2_mi.csv", "source": "test",
                "measures": [{"indicator": "ehcp-issued-20-weeks", "value": "no_exc_20week_rate"}],
            }
        )
    )  # fmt: skip
    content = "\n".join([lines[0], london, *halves]).encode()
    report = import_ees(store, charter, "sen2_mi.csv", content, load_mapping(mapping, charter))
    assert report.ok, [e.as_text() for e in report.errors]
    regional = {r.period: r.value for r in series(store, "ehcp-issued-20-weeks", "E12000007")}
    for code in HALVES.values():
        assert {r.period: r.value for r in series(store, "ehcp-issued-20-weeks", code)} == regional


def test_a_london_borough_s_trend_has_its_half_beside_the_region(store, charter):
    """The indicator page's trend (chart, table twin and CSV) has Camden's half of London,
    Inner London, beside the region in every year both are published; Hartlepool's has no
    such line or column."""
    from metrics.assess.trend import trend, trends
    from ui.charts import trend_chart
    from ui.trend_tables import trend_csv, trend_table

    mapping = load_lait_mapping(LAIT_DIR / "sen.yaml", charter)
    assert import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by="t").ok
    ind = charter.indicators[APPEALS[0]]
    camden = a_council(charter, "E09000007")
    inner = {r.period: r.value for r in series(store, ind.id, "E13000001")}
    rows = trend(store, camden, ind)
    assert len(rows) >= 5 and rows == trends(store, camden, [ind])[ind.id]
    for r in rows:
        assert r.sub_region_name == "Inner London" and r.sub_region == inner.get(r.period)
    assert any(r.sub_region is not None for r in rows)
    table = trend_table(rows, ind)
    assert [t["Inner London"] for t in table] == [
        fmt_value(r.sub_region, ind) if r.sub_region is not None else "" for r in rows
    ]
    assert [c["sub_region"] for c in trend_csv(rows, ind, "E09000007", "Camden")] == [
        r.sub_region for r in rows
    ]
    fig, _ = trend_chart(rows, ind, "Camden", ind.title)
    assert "Inner London" in [t.name for t in fig.data]
    elsewhere = trend(store, a_council(charter, "E06000001"), ind)
    assert elsewhere and all(r.sub_region_name is None for r in elsewhere)
    assert not any("Inner London" in t or "Outer London" in t for t in trend_table(elsewhere, ind))
    fig, _ = trend_chart(elsewhere, ind, "Hartlepool", ind.title)
    assert not any(t.name in HALVES for t in fig.data)


def test_the_half_is_named_where_it_is_drawn_and_listed_where_a_reader_sees_it(store, charter):
    """Found by the review of the merged change. LAIT publishes neither half of London for
    the 20-week rate (every year '-'): the alt texts named an Inner London line that was not
    drawn. The trend's alt text left out the half (and the region) it draws; its CSV did not
    say which half; and `published.cells`, every cell a public reader sees, left it out."""
    from metrics.packs.benchmarks import over_time
    from metrics.publish.published import cells
    from ui.benchmark_view import over_time_chart
    from ui.charts import trend_chart
    from ui.trend_tables import trend_csv

    mapping = load_lait_mapping(LAIT_DIR / "sen.yaml", charter)
    assert import_lait(store, charter, EXTRACT.name, EXTRACT.read_bytes(), mapping, by="t").ok
    camden = a_council(charter, "E09000007")
    weeks = camden.indicators["ehcp-issued-20-weeks"]
    assert not [r for r in series(store, weeks.id, "E13000001") if r.value is not None]
    found = compare.compared(store, camden, weeks)
    assert found is not None and all(y.sub_region is None for y in found.years)
    fig, alt = over_time_chart(found.years, weeks)
    assert "Inner London" not in alt and "Inner London" not in [t.name for t in fig.data]
    assert "Inner London" not in over_time(weeks, found, "Camden").alt

    ind = camden.indicators[APPEALS[0]]
    rows = trend(store, camden, ind)
    last = next(r for r in reversed(rows) if r.sub_region is not None and r.region is not None)
    rows = rows[: rows.index(last) + 1]
    _, alt = trend_chart(rows, ind, "Camden", ind.title)
    assert f"Inner London {fmt_value(last.sub_region, ind)}." in alt
    assert f"The region {fmt_value(last.region, ind)}." in alt
    assert {c["sub_region_name"] for c in trend_csv(rows, ind, "E09000007", "Camden")} == {
        "Inner London"
    }
    quarter = f"{rows[-1].period}-{int(rows[-1].period[2:]) + 1:02d} Q4"
    seen = {(c["area"], c["period"]) for c in cells(store, camden, quarter)}
    assert ("E13000001", last.period) in seen  # beside the region's, as the trend shows it
    assert ("E12000007", last.period) in seen
