"""Partners' returns and data quality on the demo database (issue 15): a provider's person
sees only what is theirs and sends a return; an analyst accepts it; the data quality page and
the indicator page's rating."""

from __future__ import annotations

import ui
from metrics.partners.submissions import return_to_provider, submissions
from tests.app.conftest import nav_labels
from tests.unit.test_providers import GOOD_EXTRACT, kpi_extract
from ui import access, returns_view

PROVIDER = {access.DEMO_ROLE: "provider"}  # the demo's provider acts for the health trust


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(parts).replace("\\", "").replace("**", "")


def table(at, column: str):
    """The first table on the page with this column (AppTest does not give tables' keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_provider_sees_only_their_own_pages_and_returns(fresh):
    at = fresh(ui.RETURNS_PAGE, **PROVIDER).run()
    assert not at.exception, at.exception
    links = set(nav_labels(at))
    assert links == {"Partners' returns", "Help and definitions", "Support and contact",
                     "Accessibility statement"}  # fmt: skip
    assert "You send figures for Wrenfield Community Health NHS Trust" in texts(at)
    due = table(at, "Where it stands")
    assert len(due) == 3 and "overdue" in set(due["Where it stands"].str.split(" ").str[0])
    sent = table(at, "Sent by")
    assert set(sent["Provider"]) == {"Wrenfield Community Health NHS Trust"}


def test_a_provider_is_refused_the_overview_and_pointed_to_their_returns(fresh):
    at = fresh(ui.OVERVIEW, **PROVIDER).run()
    assert "You do not have access to this page" in [t.value for t in at.title]
    assert any(link.label == "Go to your returns" for link in at.get("page_link"))


def test_a_provider_sends_a_return_and_an_analyst_accepts_it(fresh):
    at = fresh(ui.RETURNS_PAGE, **PROVIDER).run()
    rows = [list(r) for r in GOOD_EXTRACT]
    uploader = next(u for u in at.get("file_uploader") if u.key == returns_view.FILE)
    uploader.upload("kpi.xlsx", kpi_extract(rows), "application/octet-stream").run()
    at.button(key=returns_view.SEND).click().run()
    assert not at.exception, at.exception
    assert any("Submitted: 4 figures waiting" in s.value for s in at.success), texts(at)
    analyst = fresh(ui.RETURNS_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    assert not analyst.exception, analyst.exception
    chosen = analyst.selectbox(key=returns_view.CHOSEN)
    assert "Wrenfield Community Health NHS Trust, kpi.xlsx" in chosen.format_func(chosen.value)
    reason = [t for t in analyst.text_input if t.key == returns_view.REASON]
    if reason:  # the demo already holds these figures: the revision needs a reason
        reason[0].input("The trust re-extracted its figures")
    confirm = [c for c in analyst.checkbox if c.label.startswith("I have checked")]
    if confirm:
        confirm[0].check()
    analyst.run()  # the button is enabled once the reason and confirmation are given
    analyst.button(key=returns_view.ACCEPT).click().run()
    assert not analyst.exception, analyst.exception
    with fresh.store.connect() as con:
        state = con.execute(
            "SELECT state, decided_by FROM submissions ORDER BY upload_id DESC LIMIT 1"
        ).fetchall()
    assert state == [("accepted", "demo (analyst)")]


def test_the_data_quality_page_shows_ratings_returns_and_whom_to_chase(fresh):
    at = fresh(ui.QUALITY_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    assert not at.exception, at.exception
    ratings = table(at, "Data quality")
    speech = ratings[ratings["Indicator"].str.contains("speech and language")].iloc[0]
    assert speech["Data quality"] == "Poor" and "overdue" in speech["Why"]
    providers = table(at, "Expected")
    late = providers[providers["Provider"] == "Brightside Short Breaks (charity)"].iloc[0]
    assert (late["Received"], late["Late"]) == (1, 1)
    chase = [c.value for c in at.code]
    assert any("Dear Priya Shah" in c and "speech and language" in c for c in chase)
    assert table(at, "Stored (accepted) by")["Stored (accepted) by"].str.len().all()


def test_councillors_see_the_ratings_but_not_contacts_or_provenance(fresh):
    at = fresh(ui.QUALITY_PAGE, **{access.DEMO_ROLE: "councillor"}).run()
    assert not at.exception, at.exception
    assert len(table(at, "Data quality")) > 0
    columns = {c for d in at.dataframe for c in d.value.columns}
    assert "Stored (accepted) by" not in columns and not at.code


def test_the_indicator_page_gives_the_figures_data_quality(fresh):
    at = fresh(ui.INDICATOR_PAGE, **{access.DEMO_ROLE: "analyst"})
    at.at.query_params["indicator"] = "short-breaks-receiving"
    page = at.run()
    assert not page.exception, page.exception
    assert "Data quality: some concerns (Brightside Short Breaks (charity)'s return came" in texts(
        page
    )


def test_the_statement_page_folds_data_quality_into_each_status(fresh):
    at = fresh(ui.STATEMENT_PAGE, **{access.DEMO_ROLE: "analyst"})
    at.at.query_params["statement"] = "10"  # with speech and language therapy waits
    page = at.run()
    assert not page.exception, page.exception
    rows = table(page, "Data quality")
    speech = rows[rows["Indicator"].str.contains("speech and language")].iloc[0]
    assert speech["Data quality"] == "Poor"
    assert "But Wrenfield Community Health NHS Trust's return is overdue" in speech["Why"]


def test_why_a_return_was_sent_back_comes_first_and_it_is_no_longer_on_time(fresh, monkeypatch):
    """Issue 27 item 20: the reason in full above everything else (not in a table's cut-off
    column), and "What is due" no longer says "on time" for a return sent back."""
    monkeypatch.setenv("OUTCOMES_DEMO", "1")
    at = fresh(ui.RETURNS_PAGE, **PROVIDER).run()
    uploader = next(u for u in at.get("file_uploader") if u.key == returns_view.FILE)
    uploader.upload("kpi.xlsx", kpi_extract([list(r) for r in GOOD_EXTRACT]),
                    "application/octet-stream").run()  # fmt: skip
    at.button(key=returns_view.SEND).click().run()
    [sent] = submissions(fresh.store, provider="community-health")[:1]
    reason = "The North waiting list repeats last quarter's; check it and send again."
    return_to_provider(fresh.store, sent.upload_id, reason, by="Ana Analyst")
    again = fresh(ui.RETURNS_PAGE, **PROVIDER).run()
    assert not again.exception, again.exception
    [warning] = again.warning
    assert warning.value.replace("\\", "").startswith(f"**Sent back:** {reason[:-1]}")
    assert f"Return #{sent.upload_id}" in warning.value.replace("\\", "")
    due = table(again, "Where it stands").set_index("Indicator")["Where it stands"]
    waiting = due[due.index.str.contains("waiting")].iloc[0]
    assert waiting.startswith("sent back") and "on time" not in waiting
