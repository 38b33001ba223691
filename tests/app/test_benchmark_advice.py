"""Advice that fits: an indicator with quarterly figures of ours and yearly published ones is
not told to import published statistics to rank councils, which no import could do."""

from __future__ import annotations

import ui
from metrics.publish.indicator_page import no_ranking_advice
from metrics.store.queries import published_periods
from tests.published import import_england_year
from ui import access


def test_quarterly_figures_beside_published_years_get_advice_that_fits(fresh, charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    text = no_ranking_advice(ind, "2026-27 Q2", ["2014", "2022"])
    assert "for 2014 to 2022" in text and "no import would rank councils" in text
    assert "importing a DfE release" in no_ranking_advice(ind, "2026-27 Q2", [])


def test_the_indicator_page_gives_that_advice(fresh, charter, tmp_path):
    """A quarterly indicator LAIT does not publish (docs/lait.md), so the demo has no other
    council's figure for it; only England's published year is imported here."""
    store, ind = fresh.store, "ehcna-decisions-6-weeks"
    assert published_periods(store, ind) == []
    import_england_year(store, charter, tmp_path, ind)  # England's published year
    assert published_periods(store, ind) == ["2021"]
    opened = fresh(ui.INDICATOR_PAGE, **{access.DEMO_ROLE: "analyst"})
    opened.at.query_params["indicator"] = ind
    at = opened.run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "import published statistics to rank every council" not in text
    assert "Published statistics for this indicator are for 2021" in text
