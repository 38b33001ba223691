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
