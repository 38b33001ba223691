"""The pages the browser tests visit, and helpers to open one and scan it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser.conftest import wait_for_app
from tests.conftest import ROOT

AXE = ROOT / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

PAGES = {
    "overview": "/",
    "statement": "/Statement?statement=5",
    "indicator": "/Indicator?indicator=ehcp-issued-20-weeks",
    "upload": "/Upload",
    "history": "/Upload_history",
    "help": "/Help",
    "support": "/Support",
    "accessibility": "/Accessibility",
    "returns": "/Returns",
    "quality": "/Data_quality",
    "evidence": "/Evidence?statement=5",
    "self_review": "/Self_review",
}

# Streamlit's own probe for a base path on a deep link asks /<Page>/_stcore/health and
# /<Page>/_stcore/host-config first and gets 404 before finding the right one
# (streamlit/streamlit#7074); Chromium logs those as console errors. Nothing else is allowed.
KNOWN_PROBE = re.compile(r"/[A-Za-z_]+/_stcore/(health|host-config)$")


@dataclass
class Visit:
    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    probe_404s: int = 0


def visit(browser: Any, url: str, height: int = 900, width: int = 1280) -> Visit:
    page = browser.new_page(viewport={"width": width, "height": height})
    v = Visit(page)
    page.on("pageerror", lambda e: v.page_errors.append(str(e)))

    def on_response(response: Any) -> None:
        if response.status == 404 and KNOWN_PROBE.search(response.url.split("?")[0]):
            v.probe_404s += 1

    page.on("response", on_response)
    page.on("console", lambda m: m.type == "error" and v.console_errors.append(m.text))
    page.goto(url)
    wait_for_app(page)
    return v


def unexpected_console_errors(v: Visit) -> list[str]:
    """Console errors other than one "Failed to load resource: 404" per known probe."""
    errors = list(v.console_errors)
    for _ in range(v.probe_404s):
        for e in errors:
            if "404" in e and "Failed to load resource" in e:
                errors.remove(e)
                break
    return errors


def axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return list(result["violations"])


def screenshot(page: Any, name: str) -> Path:
    """A picture of the page for reviewers (git-ignored folder). Open the page with a tall
    window for a whole page: resizing afterwards makes Streamlit redraw it faded."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {k: v[k] for k in ("id", "impact", "help")}
            | {"nodes": [[n["target"], [c.get("data") for c in n["any"]]] for n in v["nodes"][:3]]}
            for v in violations
        ],
        indent=1,
    )


# Everything in the page's main area whose right edge is past the window's (tables scroll
# inside themselves and are left out): each as its tag, its class and, inside a chart, the
# chart's title, which is what one needs to find it.
STICKING_OUT = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && getComputedStyle(e).position !== 'fixed'
    && !e.closest('[data-testid="stDataFrame"]'))
  .map(e => {
    const chart = e.closest('.js-plotly-plot');
    const title = chart && chart.querySelector('.gtitle');
    const where = title ? ' in the chart "' + title.textContent.slice(0, 80) + '"' : '';
    return e.tagName + '.' + (e.className.baseVal ?? e.className) + where;
  })
  .slice(0, 5)"""


def sticking_out(page: Any) -> list[str]:
    """What runs off the side of a narrow screen (nothing should: see STICKING_OUT)."""
    found: list[str] = page.evaluate(STICKING_OUT)
    return found
