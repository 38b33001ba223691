"""In a real browser: no chart's title (with its subtitle) runs over its plot area, or off
the chart's top, on a 1280 px screen and on a phone. The indicator page draws every kind of
chart in the house layout: the trend, its projection, the SPC chart and the benchmarks."""

from __future__ import annotations

import pytest

from tests.browser import pages

# Each chart's title box and plot area (Plotly's drag layer covers the plot area exactly).
BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(chart => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  return {title: chart.querySelector('.gtitle').textContent,
          words: box(chart.querySelector('.gtitle')),
          chart: box(chart.querySelector('.main-svg')),
          plot: box(chart.querySelector('.nsewdrag'))};
})"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_no_chart_title_runs_over_its_plot(server, browser, width):
    v = pages.visit(browser, server.url + pages.PAGES["indicator"], width=width)
    v.page.wait_for_selector(".js-plotly-plot .nsewdrag")
    charts = v.page.evaluate(BOXES)
    assert len(charts) >= 3  # the trend, the SPC chart, the benchmark at least
    over = [c["title"] for c in charts if overlap(c["words"], c["plot"])]
    assert over == [], over
    cut = [c["title"] for c in charts if c["words"]["top"] < c["chart"]["top"]]
    assert cut == [], cut  # nor off the chart's top edge
    v.page.close()
