"""Every page scanned with axe-core (WCAG 2.2 A and AA), plus the checks axe cannot make:
headings in order, the page language, status words, chart text alternatives and tables,
no console errors. A screenshot of each page is saved for reviewers."""

from __future__ import annotations

import itertools

import pytest

from tests.browser import pages
from tests.conftest import ROOT

STATEMENT = (ROOT / "docs" / "accessibility-statement.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory, browser):
    """One server for the read-only page checks."""
    import shutil

    from bench.server import Server

    db = tmp_path_factory.mktemp("a11y") / "a11y.duckdb"
    shutil.copy(demo_db, db)
    server = Server(db)
    yield server
    server.stop()


@pytest.mark.parametrize("name", list(pages.PAGES))
def test_page_passes_axe_and_our_checks(site, browser, name):
    v = pages.visit(browser, site.url + pages.PAGES[name], height=3000)
    page = v.page
    violations = pages.axe(page)
    serious = [x for x in violations if x["impact"] in ("serious", "critical")]
    assert serious == [], pages.describe(serious)
    for minor in violations:  # anything left must be declared, with a plan, in the statement
        assert minor["id"] in STATEMENT, f"undeclared axe finding: {pages.describe([minor])}"

    assert page.evaluate("document.documentElement.lang") == "en"
    titles = {"statement": "Statement 5: Timely assessment", "indicator": "EHC plans issued"}
    if name in titles:  # each statement's and indicator's tab says which (WCAG 2.4.2)
        assert page.title().startswith(titles[name]), page.title()
    levels = page.evaluate(
        '() => [...document.querySelectorAll(\'[data-testid="stMain"] h1, '
        '[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] h4\')]'
        ".filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))"
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"heading levels skip: {levels}"

    badges = page.locator(".status-badge").all_inner_texts()
    words = ("On track", "At risk", "Off track", "No target", "No recent data", "Not evidenced")
    words += ("Withheld",)  # a small number, for public readers (issue 26)
    assert all(any(w in b for w in words) for b in badges), badges

    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        assert (
            charts.nth(i).locator("[aria-label], [alt], [role='img']").count()
            + (1 if charts.nth(i).get_attribute("aria-label") else 0)
            >= 1
        ), "chart without alt text"
    summaries = page.locator('[data-testid="stExpander"] summary')
    twins = summaries.filter(has_text="The numbers behind this chart").count()
    assert twins == charts.count(), "every chart needs its table"
    faint = [t for t in chart_texts(page) if contrast_on_white(t["fill"]) < 4.5]
    assert faint == [], f"chart text under 4.5:1 on white (WCAG 1.4.3): {faint[:5]}"

    assert v.page_errors == []
    assert pages.unexpected_console_errors(v) == []
    pages.screenshot(page, name)
    page.close()


def chart_texts(page) -> list[dict[str, str]]:
    """Every piece of text drawn in a chart (axis labels, titles, notes) and its fill, as the
    browser computes it: axe cannot see text inside a chart's SVG."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
            .filter(t => t.textContent.trim() && t.getBBox().width > 0)
            .map(t => ({text: t.textContent.trim(), fill: getComputedStyle(t).fill}))"""
    )


def contrast_on_white(fill: str) -> float:
    """WCAG's contrast ratio of an 'rgb(r, g, b)' (or 'rgba(...)') fill against white."""
    parts = [float(x) for x in fill[fill.index("(") + 1 : fill.index(")")].split(",")]
    r, g, b = parts[:3]
    alpha = parts[3] if len(parts) > 3 else 1.0
    r, g, b = (alpha * c + (1 - alpha) * 255 for c in (r, g, b))  # over the white ground

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (lum + 0.05)


def test_the_contrast_check_finds_streamlits_grey_labels():
    assert contrast_on_white("rgb(128, 132, 149)") < 4.5  # Streamlit's tick grey: 3.7:1
    assert contrast_on_white("rgb(31, 31, 31)") > 15
    assert contrast_on_white("rgba(0, 0, 0, 0.4)") < 4.5
