"""Deep links opened first after the server starts render the right view with navigation."""

from __future__ import annotations


def test_indicator_deep_link_first(server, browser):
    page = browser.new_page()
    page.goto(f"{server.url}/Indicator?indicator=ehcp-issued-20-weeks")
    from tests.browser.conftest import wait_for_app

    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Indicator"
    assert (
        page.get_by_role(
            "heading", name="EHC plans issued within 20 weeks (excluding exceptions)"
        ).count()
        == 1
    )
    nav = page.locator('[data-testid="stSidebar"] a').all_inner_texts()
    assert [n.strip() for n in nav][:3] == ["Charter overview", "Statements", "Indicators"]
    page.close()


def test_statement_deep_link_first(server, browser):
    page = browser.new_page()
    page.goto(f"{server.url}/Statement?statement=7")
    from tests.browser.conftest import wait_for_app

    wait_for_app(page)
    assert page.get_by_role("heading", name="7. Short breaks").count() == 1
    assert page.get_by_text("Children and young people receiving short breaks").count() >= 1
    page.close()


def test_every_address_used_today_still_opens_its_page(server, browser):
    """The pages are routed by st.navigation from one registry (issue 28), under the
    addresses Streamlit used to make from the file names: shared links keep working, with
    their query strings, and none gets "Page not found"."""
    from tests.browser.conftest import wait_for_app

    page = browser.new_page()
    for address, heading in [
        ("/Review?quarter=2025-26+Q3", "Quarterly review"),
        ("/Statement?statement=5", "Statement"),
        ("/Upload_history", "Upload history"),
        ("/Data_quality", "Data quality"),
        ("/Self_review", "Leadership self-review"),
        ("/", "Charter overview"),
    ]:
        page.goto(f"{server.url}{address}")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == heading, address
        assert page.get_by_role("dialog").count() == 0, address  # no "Page not found"
        if "quarter=" in address:
            assert "quarter=2025-26+Q3" in page.url and page.get_by_text("2025-26 Q3").count()
    page.close()


def test_the_sidebar_navigation_keeps_the_quarter_and_the_session(server, browser):
    """The sidebar is Streamlit's own navigation (app.py): its links open a page's bare
    address in the same session, and the quarter chosen goes with the reader: the next page
    shows it and puts it back in its address."""
    from tests.browser.conftest import wait_for_app

    page = browser.new_page()
    page.goto(f"{server.url}/?quarter=2025-26+Q2")
    wait_for_app(page)
    nav = page.locator('[data-testid="stSidebarNavLink"]')
    assert [n.strip() for n in nav.all_inner_texts()][:3] == [
        "Charter overview",
        "Statements",
        "Indicators",
    ]
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Scrutiny").click()
    page.wait_for_url("**/Scrutiny?quarter=2025-26+Q2*", timeout=30_000)
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Scrutiny"
    assert page.get_by_text("2025-26 Q2").count()
    page.close()


# Every change of the app's script state, with what the page held then, from the first moment
# of the document (the app's root is made later: the whole document is watched).
_SCRIPT_STATES = """
window.__states = [];
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  const state = app.getAttribute('data-test-script-state');
  const last = window.__states[window.__states.length - 1];
  if (last && last.state === state) return;
  const h1 = document.querySelector('h1');
  window.__states.push({state, heading: h1 ? h1.innerText.trim() : null,
                        quarter: document.body.innerText.includes('2025-26 Q3')});
}).observe(document, {attributes: true, subtree: true, childList: true});
"""


def test_a_fresh_servers_first_deep_link_is_drawn_in_one_run(server, browser):
    """The first visitor of a fresh `streamlit run app.py` server arrives in Streamlit's older
    pages-folder mode, which ui.page routes as app.py does. That is one run, not a run cut
    short and another: the browser never sees a finished run with nothing drawn, so whoever
    acts when the page says it is done finds it whole (CI once read a deep link's page
    before its quarter was drawn)."""
    from tests.browser.conftest import wait_for_app

    page = browser.new_page()
    page.add_init_script(_SCRIPT_STATES)
    page.goto(f"{server.url}/Review?quarter=2025-26+Q3")
    wait_for_app(page)
    page.wait_for_timeout(1_500)  # a rerun, if one were coming, would have started by now
    states = page.evaluate("window.__states")
    finished = [s for s in states if s["state"] == "notRunning"]
    assert finished, states
    assert finished[0]["heading"] == "Quarterly review" and finished[0]["quarter"], states
    assert len(finished) == 1, states
    page.close()
