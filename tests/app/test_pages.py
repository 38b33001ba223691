"""Every page under AppTest: no exception, the right content, the upload round trip."""

from __future__ import annotations

import pytest

import ui
from metrics.store.queries import current_count, uploads
from tests.app.conftest import nav_labels, open_expanders
from ui import keys
from ui.charts import NUMBERS

PAGES = {
    "pages/1_Statement.py": "Statement",
    "pages/2_Indicator.py": "Indicator",
    "pages/3_Upload.py": "Upload a return",
    "pages/4_Upload_history.py": "Upload history",
    "pages/5_Help.py": "Help and definitions",
    "pages/6_Support.py": "Support and contact",
    "pages/7_Accessibility.py": "Accessibility statement",
}


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_every_page_renders(app, path, title):
    at = app()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    links = nav_labels(at)
    assert links[:3] == ["Charter overview", "Statements", "Indicators"]


def test_overview_lists_the_12_statements_with_status_words(app, charter):
    at = app()
    # each card one element (ui/cards.py): a level-3 heading, then the badge (icon + word)
    cards = [m.value for m in at.markdown if m.value.startswith("### ")]
    headings = [c.split("\n\n")[0].removeprefix("### ").replace("\\", "") for c in cards]
    assert headings == [f"{s.number}. {s.short_title}" for s in charter.statements]
    badges = [c.split("\n\n")[1] for c in cards]
    assert all(b.startswith('<span class="status-badge') for b in badges)
    assert all(
        any(w in b for w in ("On track", "At risk", "Off track", "Not evidenced")) for b in badges
    )
    links = [link.value for link in at.get("page_link") if link.value.startswith("Open statement")]
    assert len(links) == 12


def test_statement_page_follows_the_query_string(app):
    at = app()
    at.query_params["statement"] = "5"
    at.switch_page("pages/1_Statement.py").run()
    assert at.selectbox(key=keys.STATEMENT).value == "5"
    assert at.header[0].value == "5. Timely assessment"
    table = at.dataframe[0].value
    assert "EHC plans issued within 20 weeks (excluding exceptions)" in list(table["Indicator"])
    indicator_links = [
        link.value for link in at.get("page_link") if "EHC plans issued" in link.value
    ]
    assert indicator_links


def test_indicator_page_has_chart_table_and_breakdown(app):
    at = app()
    at.query_params["indicator"] = "ehcp-issued-20-weeks"
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception
    assert at.header[0].value == "EHC plans issued within 20 weeks (excluding exceptions)"
    charts = at.get("plotly_chart")
    assert [c.key for c in charts] == [
        "trend_chart",
        "outlook_chart",  # where it is heading: a projection (issue 31)
        "spc_chart",
        "councils_chart",
        "over_time_chart",  # against England, the region and neighbours (issue 32)
        "focus_region_chart",
        "breakdown_chart",
    ]
    numbers = [e.label for e in at.expander if e.label.startswith(NUMBERS)]
    assert len(set(numbers)) == 7  # one label each: a screen reader lists them apart
    assert numbers[0] == f"{NUMBERS}: trend"
    shut = len(at.dataframe)  # the table twins run only when a reader opens them
    tables = open_expanders(at).dataframe
    assert len(tables) == shut + 7
    trend = tables[0].value
    assert list(trend["Period"])[-1] == "2026-27 Q2" and len(trend) == 16
    assert any("Line chart of EHC plans issued" in c.value for c in at.caption)
    at.selectbox(key=keys.DIMENSION).set_value("age_band").run()  # its numbers stay open
    breakdown = next(t.value for t in at.dataframe if "Age band" in t.value.columns)
    assert "5 to 10" in list(breakdown["Age band"])
    assert set(at.dataframe[1].value["Kind"]) == {"Projection"}
    spc = at.dataframe[2].value
    assert list(spc.columns)[:6] == [
        "Period", "Phase", "Value", "Mean", "Lower limit", "Upper limit"
    ]  # fmt: skip
    assert list(spc["Phase"])[-1] == "2 of 2, from 2025-26 Q1"
    assert any("trial limits" in w.value for w in at.warning)  # rebased at 2025-26 Q1
    said = [c.value.replace("\\", "") for c in at.caption]  # as read: escapes dropped
    assert any("limits restarted, 2 phases" in c for c in said)  # the alt text too


def test_indicator_page_shows_suppressed_and_missing_honestly(app):
    at = app()
    at.query_params["indicator"] = "speech-therapy-median-wait"
    at.switch_page("pages/2_Indicator.py").run()
    assert any("No recent data" in m.value for m in at.markdown)


def upload(at, name: str, content: bytes):
    at.switch_page("pages/3_Upload.py").run()
    at.file_uploader(key=keys.UPLOAD).upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def test_a_bad_file_shows_its_errors_and_changes_nothing(app):
    at = app()
    before = current_count(app.store)
    bad = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,lots\n"
    upload(at, "bad.csv", bad)
    assert "Rejected" in at.error[0].value
    errors = at.dataframe[0].value
    assert list(errors["Row"]) == [2] and list(errors["Column"]) == ["value"]
    assert current_count(app.store) == before
    assert uploads(app.store)[0]["outcome"] == "rejected"  # the attempt is logged


def test_a_good_file_previews_commits_and_the_overview_follows(app):
    at = app()
    good = (
        b"indicator,period,value\n"
        b"ehcp-issued-20-weeks,2026-27 Q2,40.0\n"  # revises the demo's latest figure
        b"short-breaks-receiving,2021-22 Q3,430\n"
    )
    upload(at, "good.csv", good)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Figures to add": "1", "Figures to revise": "1", "Unchanged": "0"}
    assert at.button(key=keys.COMMIT).disabled  # a revision needs a reason
    at.text_input(key=keys.REASON).input("Late data from the SEND team").run()
    assert at.button(key=keys.COMMIT).disabled  # 40.0% after 75.0% must be confirmed
    assert any("Row 2:" in m.value and "far outside" in m.value for m in at.markdown)
    at.checkbox(key=keys.CONFIRM).check().run()
    at.button(key=keys.COMMIT).click().run()
    assert any("Loaded: 1 added, 1 revised" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == keys.COMMIT]  # no second Store button
    assert not any("Preview" in m.value for m in at.markdown)  # the stored outcome only
    at.switch_page(ui.OVERVIEW).run()
    at.selectbox(key=keys.PERIOD).set_value("2026-27 Q2").run()
    card = [
        m.value for m in at.markdown if m.value.startswith("Off track") or "assessed" in m.value
    ]
    assert card
    at.switch_page("pages/2_Indicator.py").run()
    at.selectbox(key=keys.INDICATOR).set_value("ehcp-issued-20-weeks").run()
    assert any(
        m.value.startswith("Off track") and "40.0% in 2026-27 Q2 against a target of 70%" in m.value
        for m in at.markdown
    )


def test_help_defines_every_indicator_from_the_charter(app, charter):
    at = app()
    at.switch_page("pages/5_Help.py").run()
    labels = [e.label for e in at.expander if e.label != "How the statuses are worked out"]
    assert sorted(labels) == sorted(
        i.title for s in charter.statements for i in charter.indicators_for(s.number)
    )
    text = " ".join(m.value for m in at.markdown)
    ind = charter.indicators["ehcp-issued-20-weeks"]
    assert ind.definition in text and ind.numerator in text


def test_government_pages_are_linked_from_every_page(app):
    at = app()
    for path in [ui.OVERVIEW, *PAGES]:
        at.switch_page(path).run()
        links = nav_labels(at)
        assert {"Help and definitions", "Support and contact", "Accessibility statement"} <= set(
            links
        )


def test_support_and_accessibility_use_the_council_config(app, charter):
    at = app()
    at.switch_page("pages/6_Support.py").run()
    assert any(charter.council.contact in m.value for m in at.markdown)
    at.switch_page("pages/7_Accessibility.py").run()
    statement = " ".join(m.value for m in at.markdown)
    assert charter.council.name in statement and "axe-core" in statement
    assert "{council}" not in statement and "Known issues" in statement


def test_overview_shows_variation_and_assurance_for_every_indicator(app, charter):
    at = app()
    table = at.dataframe[-1].value
    assert len(table) == sum(len(charter.indicators_for(s.number)) for s in charter.statements)
    words = set(table["Variation"]) | set(table["Assurance"])
    assert any(w.startswith("⬆ Improvement") for w in words)
    assert "– No target" in words


def test_indicator_page_ranks_all_councils_in_a_national_database(tmp_path, monkeypatch, charter):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from metrics.demo.national import build_national
    from metrics.store.connection import Store
    from tests.conftest import ROOT

    db = tmp_path / "national.duckdb"
    build_national(Store(db), charter, tmp_path, councils=12)
    monkeypatch.setenv("OUTCOMES_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.query_params["indicator"] = "ehcp-issued-20-weeks"
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception
    assert "councils_chart" in [c.key for c in at.get("plotly_chart")]
    ranks = next(t.value for t in open_expanders(at).dataframe if "Rank" in t.value.columns)
    assert len(ranks) == 12 and list(ranks["Ours"]).count("Yes") == 1
    assert any("of 12 councils" in m.value for m in at.markdown)


def test_indicator_page_compares_with_england_without_other_councils(app):
    at = app()  # DfE publishes no council's personal budgets in the demo: England and region
    at.query_params["indicator"] = "ehcp-personal-budget"
    at.switch_page("pages/2_Indicator.py").run()
    table = next(t.value for t in open_expanders(at).dataframe if "Rank" in t.value.columns)
    assert "England" in list(table["Area"]) and list(table["Ours"]).count("Yes") == 1


def test_import_a_release_and_rank_our_council_against_all_councils(
    tmp_path, monkeypatch, hartlepool
):
    """Import sen2_mi.csv on the upload page; the indicator page then ranks us."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT, SHARED

    release = SHARED / "data" / "ees" / "ehcp-2022-release" / "sen2_mi.csv"
    if not release.exists():
        pytest.skip("../shared is absent (CI always has it)")
    monkeypatch.setenv("OUTCOMES_DB", str(tmp_path / "ees.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/3_Upload.py").run()
    at.selectbox(key="ees_mapping").set_value("sen2-mi.yaml").run()
    at.file_uploader(key="ees_file").upload("sen2_mi.csv", release.read_bytes(), "text/csv").run()
    assert any("2588 figures" in m.value for m in at.markdown), [m.value for m in at.markdown]
    at.button(key="ees_import").click().run()
    assert any("Imported 2588 figures" in s.value for s in at.success)
    at.query_params["indicator"] = "personal-budgets-in-place"  # a count: never ranked
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception
    assert not [t for t in at.dataframe if "Rank" in t.value.columns]
    assert any("Counts are not compared" in i.value for i in at.info)
    at.selectbox(key=keys.INDICATOR).set_value("ehcp-issued-20-weeks").run()  # a percentage
    assert not at.exception
    ranks = next(t.value for t in open_expanders(at).dataframe if "Rank" in t.value.columns)
    assert len(ranks) >= 150 and list(ranks["Ours"]).count("Yes") == 1
    assert "Darlington" in list(ranks["Area"])  # names from the release, not only codes
