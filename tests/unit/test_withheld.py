"""Disclosure control applied to statuses: a public reader's status never gives a withheld
figure back, not even as the latest figure less its change."""

from __future__ import annotations

from metrics.assess.rollup import charter_status
from metrics.periods.text import parse_period
from metrics.publish import plain, withheld
from metrics.publish.disclosure import PRIMARY
from metrics.store.connection import Store


def test_a_change_from_a_withheld_previous_figure_is_not_given(demo_db, charter):
    statuses = charter_status(Store(demo_db), charter, parse_period("2026-27 Q2"))
    i = next(i for s in statuses for i in s.indicators if i.id == "short-breaks-receiving")
    assert i.period == "2026-27 Q2" and i.change is not None  # 413, down from 444
    previous = {("2026-27 Q1", "", ""): PRIMARY}
    shown = withheld.indicator_status(i, previous)
    assert shown.value == i.value and shown.change is None
    sentence = plain.reason(charter.indicators[i.id], shown)
    assert "444" not in sentence and "413" in sentence
    unrelated = {("2020-21 Q1", "", ""): PRIMARY}
    assert withheld.indicator_status(i, unrelated).change == i.change


def test_one_indicators_withheld_figures_are_those_of_the_whole_set(demo_db, charter):
    """The indicator page reads one indicator's withheld figures; they must be exactly its
    share of the whole council's (disclosure control works within an indicator)."""
    store = Store(demo_db)
    every = withheld.withheld_figures(store, charter)
    assert any(every.values())
    for ind in charter.indicators:
        assert withheld.withheld_figures(store, charter, ind).get(ind, {}) == every.get(ind, {})
