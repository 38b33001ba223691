"""The Scorecard page (issue 31): for every reader; a councillor's small numbers withheld,
staff see the real figures; filters narrow the table; a phone's layout (one measure at a
time, the latest quarters) is drawn beside the wide table."""

from __future__ import annotations

import pytest

import ui
from ui import access
from ui.scorecard_view import OWNER, PHONE_QUARTERS, STATEMENT, STATUS

QUARTER = "2026-27 Q2"


def opened(fresh, role: str):
    page = fresh(ui.SCORECARD_PAGE, **{access.DEMO_ROLE: role})
    page.at.query_params["quarter"] = QUARTER
    at = page.run()
    assert not at.exception, at.exception
    assert page.routed
    return at


def cells(at) -> list[str]:
    table = at.dataframe[0].value
    return [str(v) for q in table.columns if " Q" in q for v in table[q]]


@pytest.mark.parametrize("role", ["councillor", "analyst", "member", "chair"])
def test_every_reader_sees_the_scorecard(fresh, role, charter):
    at = opened(fresh, role)
    assert at.title[0].value == "Scorecard"
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Measure", "Statements", "Lead", "Organisation"]
    assert len(table) == len(charter.indicators)
    assert list(table.columns)[-1] == QUARTER and len(table.columns) == 4 + 8
    shown = cells(at)
    assert any(c.startswith("✖ Off track: ") for c in shown)  # symbol, word and figure
    withheld = [c for c in shown if c == "[c] Withheld"]
    assert bool(withheld) == (role == "councillor")  # staff see the real figures


def test_filters_narrow_the_table(fresh, charter):
    at = opened(fresh, "councillor")
    at.selectbox(key=STATEMENT).set_value(5).run()
    assert not at.exception, at.exception
    titles = set(at.dataframe[0].value["Measure"])
    assert titles == {i.title for i in charter.indicators_for(5)}
    at.multiselect(key=STATUS).set_value(["off_track"]).run()
    assert all(v.startswith("✖") for v in at.dataframe[0].value[QUARTER])
    at.selectbox(key=OWNER).set_value("designated-clinical-officer").run()
    assert set(at.dataframe[0].value["Lead"]) <= {
        "Designated Clinical Officer (Wrenfield and District Integrated Care Board)"
    }


def test_a_phone_gets_one_measure_at_a_time_with_the_latest_quarters(fresh, charter):
    at = opened(fresh, "councillor")
    # every measure a card, all of them one element (ui/scorecard_view.py): a card's list
    lists = [
        part
        for m in at.markdown
        for part in m.value.split("\n\n")
        if part.startswith(f"- {QUARTER}: ")
    ]
    assert len(lists) == len(charter.indicators)
    assert all(len(x.splitlines()) == PHONE_QUARTERS for x in lists)
    assert any("\\[c\\] Withheld" in x or "[c] Withheld" in x for x in lists)


def test_the_downloads_are_offered(fresh):
    at = opened(fresh, "councillor")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the scorecard (CSV)", "Download the scorecard (XLSX)"]
