"""A council whose published series spans a boundary change says so plainly (found after
eeaba9a stopped taking Dorset County for today's Dorset: Dorset's comparison over time then
just began in 2019, with nothing said). On DfE's real 2023 release (an extract: England, the
South West, Dorset County 835, Dorset 838, BCP 839), both backends: Dorset's own figures
begin in 2019; Dorset County's before are shown apart, named, in the chart's alt text, its
table twin, the page's words and the pack's, never as ours or ranked as ours.
Contains public sector information licensed under the Open Government Licence v3.0."""

from __future__ import annotations

import dataclasses

from charter import CHARTER_DIR
from charter.ees_models import load_mapping
from metrics.ingest.published.ees import import_ees
from metrics.packs import benchmarks as pack_views
from metrics.publish import compare
from tests.conftest import EXTRACTS
from ui import benchmark_view

EXTRACT = EXTRACTS / "ees" / "ehcp-2023-release-dorset" / "sen2_mi.csv"
IND = "ehcp-issued-20-weeks"
SAID = "Our area changed: up to 2018 the published figures are Dorset County (LA 835)'s"


def as_council(charter, code: str, name: str):
    region = charter.council.region.model_copy(update={"code": "E12000009", "name": "South West"})
    council = charter.council.model_copy(
        update={"code": code, "name": name, "region": region, "comparators": []}
    )
    return dataclasses.replace(charter, council=council)


def imported(store, charter):
    m = load_mapping(CHARTER_DIR / "ees" / "sen2-mi-2023.yaml", charter)
    report = import_ees(store, charter, "sen2_mi.csv", EXTRACT.read_bytes(), m, by="tester")
    assert report.outcome == "imported", [e.as_text() for e in report.errors]
    return store


def compared_as(store, charter, code="E06000059", name="Dorset (test)"):
    council = as_council(charter, code, name)
    return council.indicators[IND], compare.compared(store, council, council.indicators[IND])


def test_dorset_s_comparison_says_the_figures_before_2019_are_dorset_county_s(store, charter):
    ind, found = compared_as(imported(store, charter), charter)
    assert found is not None and found.boundary is not None
    ours = {y.period: y.ours for y in found.years}
    assert ours["2018"] is None and ours["2019"] == 91.0  # not joined: 835's 40.9 is not ours
    assert found.boundary.last == "2018"  # from the figures (the change was in 2019)
    assert SAID in found.boundary.words()
    fig, alt = benchmark_view.over_time_chart(found.years, ind, None, found.boundary)
    assert SAID in alt
    assert "Dorset County (LA 835)" in [t["name"] for t in fig.to_dict()["data"]]
    table = {r["Year"]: r for r in benchmark_view.over_time_table(found.years, ind, found.boundary)}
    assert table["2018"]["Ours"] == "–"
    assert table["2018"][benchmark_view.BEFORE] == "Dorset County (LA 835) 40.9%"
    assert table["2019"][benchmark_view.BEFORE] == "–" and table["2019"]["Ours"] == "91.0%"
    assert "shown apart from ours" in alt  # the page's chart and table show them
    chart = pack_views.over_time(ind, found, "Dorset")
    assert SAID in chart.alt and SAID in chart.table.caption
    # The pack's chart and table do not show Dorset County: its words do not say they do,
    # and one year's councils (all today's areas) are not said to be before a change.
    assert "in the table's last column, apart from ours (not in the chart)" in chart.alt
    assert chart.table.headers[-1] == benchmark_view.BEFORE  # as on the page
    pack_rows = {r[0]: r for r in chart.table.rows}
    assert pack_rows["2018"][-1] == "Dorset County (LA 835) 40.9%"
    assert pack_rows["2019"][-1] == "–" and pack_rows["2019"][1] == "91.0%"
    assert "Our area changed" not in pack_views.focus_view(ind, found).table.caption
    assert "Our area changed" not in pack_views.councils(ind, found).caption


def test_a_merger_names_every_council_before_it_and_others_say_nothing(store, charter):
    _, bcp = compared_as(imported(store, charter), charter, "E06000058", "BCP (test)")
    assert bcp is not None and bcp.boundary is not None  # Bournemouth, Poole are not in it
    assert [f.name for f in bcp.boundary.formers] == ["Dorset County (LA 835)"]
    assert "up to 2018 the published figures are Dorset County (LA 835)'s" in bcp.boundary.words()
    _, found = compared_as(store, charter, "E06000001", "Hartlepool (test)")
    assert found is not None and found.boundary is None
