"""The Needs and resources page (issue 33): for every reader; the map comes with its table
twin (one row per locality, the same ratios the map shades) and words; a councillor gets the
small counts by locality withheld, staff the real figures marked; provision, gaps and costs
beside outcomes."""

from __future__ import annotations

import pytest

import ui
from tests.app.conftest import open_expanders
from ui import access


def opened(fresh, role: str):
    page = fresh(ui.NEEDS_PAGE, **{access.DEMO_ROLE: role})
    at = page.run()
    assert not at.exception, at.exception
    assert page.routed
    return at


@pytest.mark.parametrize("role", ["councillor", "analyst", "chair"])
def test_every_reader_sees_known_against_expected_with_the_maps_table_twin(fresh, role):
    at = opened(fresh, role)
    assert at.title[0].value == "Needs and resources"
    said = [m.value.replace("\\", "") for m in at.markdown]  # as read, not escaped
    assert any(
        "About 4 in 10 of the disabled children we would expect in North are known to any service"
        in s
        and "Under-identified" in s
        for s in said
    )
    twin = open_expanders(at).dataframe[0].value  # the map's table twin, first on the page
    assert list(twin["Locality"]) == ["North", "South", "East", "West", "Central"]
    assert twin["Ratio"][0] == 0.4 and twin["Under-identified"][0] == "yes"
    assert list(twin["Under-identified"][1:]) == ["no"] * 4
    captions = [c.value.replace("\\", "") for c in at.caption]
    alt = [c for c in captions if c.startswith("Map of the localities")]
    assert alt and "lowest first: North 0.40" in alt[0]
    assert any("Multi-sensory impairment in any locality" in s for s in said)  # the gap
    assert any(s.startswith("- In 2025-26 we spent £2,450,000 on short breaks") for s in said)


def test_small_counts_by_locality_are_withheld_for_councillors_only(fresh):
    def west_msi(at) -> tuple[object, str]:
        at.selectbox(key="needs_locality").set_value("West").run()
        rows = next(d.value for d in at.dataframe if "need" in d.value.columns)
        row = rows[rows["need"] == "Multi-sensory impairment"].iloc[0]
        return row["known"], row["withheld"]

    known, why = west_msi(opened(fresh, "councillor"))
    assert known == "[c]" and "small number" in why
    known, why = west_msi(opened(fresh, "analyst"))
    assert str(known) == "3" and why.startswith("not for publication")
