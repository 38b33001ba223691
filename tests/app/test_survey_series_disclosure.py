"""A survey asked more than once, each time of a handful of people: the Evidence page's table
of the series gives a councillor [c] for how many answered and the share who agreed, as the
one disclosure policy says (it gave the real numbers beside the item's [c] before)."""

from __future__ import annotations

from datetime import date

import ui
from metrics import evidence
from metrics.access.people import demo
from tests.app.test_evidence_pages import as_role


def add_polls(store, charter) -> None:
    for on, agreed in ((date(2026, 6, 2), 75), (date(2026, 9, 2), 50)):
        evidence.add(
            store, charter, demo("analyst"), kind="survey", source="Young carers group",
            summary="A short poll at the group.", on=on, statements=[2],
            survey=evidence.Survey("Did the group help?", 4, agreed), no_personal_data=True,
            today=date(2026, 11, 26),
        )  # fmt: skip


def polls(opened):
    at = opened.run()
    assert not at.exception, at.exception
    return next(
        d.value for d in at.dataframe
        if "Agreed (%)" in d.value.columns and "Young carers group" in set(d.value["Source"])
    )  # fmt: skip


def test_a_repeated_survey_of_a_handful_is_withheld_from_councillors(fresh, charter):
    add_polls(fresh.store, charter)
    councillor = polls(fresh(ui.EVIDENCE_PAGE, **as_role("councillor")))
    assert len(councillor) == 2
    assert set(councillor["Answered"].astype(str)) == {"[c]"}
    assert set(councillor["Agreed (%)"].astype(str)) == {"[c]"}
    member = polls(fresh(ui.EVIDENCE_PAGE, **as_role("member")))
    assert sorted(float(x) for x in member["Agreed (%)"]) == [50.0, 75.0]
    assert {int(x) for x in member["Answered"]} == {4}
