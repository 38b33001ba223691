"""A pack chart's direct labels fit inside the chart (issue 27 item 25: "Wrenfield Coun"):
each label's drawn box, measured by Chromium with the chart's own font, ends inside the SVG."""

from __future__ import annotations

import pytest

from metrics.packs import svg

PERIODS = ["2025-26 Q3", "2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]


@pytest.mark.parametrize(
    "council", ["Wrenfield Council", "Hartlepool Borough Council", "Kingston upon Thames"]
)
def test_the_councils_end_label_is_never_cut(browser, council):
    drawn = svg.line_chart(
        PERIODS, [52.7, 50.1, 48.0, 47.2], [20.1, 20.5, 21.0, 21.2], 18, council, unit="weeks"
    )
    page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><html><body style='margin:0'>{drawn}</body></html>")
        right = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('svg text')]"
            ".map(t => { const b = t.getBBox(); return b.x + b.width; }))"
        )
        words = page.evaluate(
            "() => [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
        )
    finally:
        page.close()
    assert right <= svg.WIDTH, (council, right)
    assert council in " ".join(words.split())
