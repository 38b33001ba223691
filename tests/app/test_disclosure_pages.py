"""Disclosure control in the app: a councillor sees [c] where a figure would be withheld from
publication, with why; analysts and planning-group members see the real figure, marked "not for
publication"."""

from __future__ import annotations

import pytest

import ui
from tests.app.conftest import open_expanders
from ui import access, keys


def indicator_page(fresh, role: str, indicator: str):
    opened = fresh(ui.INDICATOR_PAGE, **{access.DEMO_ROLE: role})
    opened.at.query_params["indicator"] = indicator
    opened.at.query_params["quarter"] = "2026-27 Q2"
    at = opened.run()
    assert not at.exception, at.exception
    return at


def table_with(at, column: str):
    return next(d.value for d in open_expanders(at).dataframe if column in d.value.columns)


def test_a_councillor_sees_small_numbers_withheld_and_why(fresh):
    at = indicator_page(fresh, "councillor", "consultation-participation")
    at.selectbox(key=keys.DIMENSION).set_value("age_band").run()
    groups = table_with(at, "Age band").set_index("Age band")
    assert groups.loc["0 to 4", "Value"] == "[c]"  # supplied suppressed
    # 18 to 25 would give 0 to 4 back from the total, so it is withheld as well
    assert groups.loc["18 to 25", "Value"] == "[c]"
    assert "worked out" in groups.loc["18 to 25", "Publication"]
    assert groups.loc["5 to 10", "Value"] != "[c]"


def test_a_member_sees_the_real_figure_marked_not_for_publication(fresh):
    at = indicator_page(fresh, "member", "consultation-participation")
    at.selectbox(key=keys.DIMENSION).set_value("age_band").run()
    groups = table_with(at, "Age band").set_index("Age band")
    assert groups.loc["18 to 25", "Value"] != "[c]"
    assert groups.loc["18 to 25", "Publication"].startswith("not for publication")


@pytest.mark.parametrize(("role", "shown"), [("councillor", "[c]"), ("analyst", "9.4%")])
def test_a_percentage_on_a_small_numerator_is_withheld_from_councillors_only(fresh, role, shown):
    at = indicator_page(fresh, role, "ehcp-personal-budget")
    trend = table_with(at, "Why revised").set_index("Period")
    assert trend.loc["2021", "Value"] == shown  # 5 of 53 plans
    if role == "councillor":
        assert trend.loc["2021", "Numerator"] == "" and trend.loc["2021", "Denominator"] == ""
        assert "privacy" in trend.loc["2021", "Publication"]
    else:
        assert "not for publication" in trend.loc["2021", "Publication"]


def test_the_help_page_states_the_rule_with_the_councils_threshold(fresh):
    at = fresh(ui.HELP_PAGE).run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "counts from 1 to 5 are not published and are shown as [c]" in text
    assert "not for publication" in text


def test_a_councillor_reads_plain_english_where_staff_read_the_statistics(fresh):
    from metrics.publish.plain import is_plain

    councillor = indicator_page(fresh, "councillor", "autism-assessment-median-wait")
    text = " ".join(m.value for m in councillor.markdown).replace("\\", "")
    headers = [h.value for h in councillor.subheader]
    assert is_plain(text) == [], is_plain(text)
    assert "a real change for the worse, not chance" in text
    assert not any("statistical process control" in h for h in headers)

    analyst = indicator_page(fresh, "analyst", "autism-assessment-median-wait")
    assert any("statistical process control" in h.value for h in analyst.subheader)


def page_words(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")


@pytest.mark.parametrize("path", [ui.INDICATOR_PAGE, ui.OVERVIEW, ui.REVIEW_PAGE])
def test_a_councillor_gets_why_not_an_agreed_status_beside_a_withheld_figure(fresh, path):
    """The planning group's agreed status, reason and commentary beside a withheld figure
    (the indicator's own, or one of its statement's) are held back from a councillor, with
    why; a member reads them."""
    from tests.unit.test_disclosure_agreed import NOTE, OPEN, PCF, REASON, agree_beside_withheld

    agree_beside_withheld(fresh.store, ui.charter())
    said = {}
    for role in ("councillor", "member"):
        opened = fresh(path, **{access.DEMO_ROLE: role})
        opened.at.query_params["indicator"] = PCF
        opened.at.query_params["quarter"] = "2026-27 Q2"
        at = opened.run()
        assert not at.exception, at.exception
        if path == ui.REVIEW_PAGE and role == "councillor":  # a reader opens each story
            at = open_expanders(at, "")
        said[role] = page_words(at)
    assert REASON in said["member"]
    assert REASON not in said["councillor"] and NOTE not in said["councillor"]
    assert "agreed status and commentary for this" in said["councillor"]
    if path == ui.OVERVIEW:
        assert OPEN in said["councillor"]  # statement 5 touches no withheld figure
    if path == ui.INDICATOR_PAGE:
        assert NOTE in said["member"]
