"""Comparators listed by their current code keep the figures published under a one-to-one
predecessor code, as the council's own series does (issue 27, item 9)."""

from __future__ import annotations

from metrics.assess.benchmark import benchmark


def with_comparators(charter, codes):
    council = charter.council.model_copy(update={"comparators": codes})
    return charter.__class__(charter.statements, charter.indicators, charter.breakdowns, council)


def test_north_yorkshire_figures_under_its_old_code_count(charter):
    ch = with_comparators(charter, ["E06000065", "E06000060", "E06000001"])
    ind = charter.indicators["ehcp-issued-20-weeks"]
    # 2021: North Yorkshire (E06000065 from 2023) and Buckinghamshire (E06000060 from 2020)
    # published under E10000023 and E10000002
    areas = {"E10000023": 40.0, "E10000002": 60.0, "E06000001": 80.0, "E92000001": 58.0}
    b = benchmark(ind, ch, 50.0, None, None, areas)
    assert (b.group_size, b.group) == (3, 60.0)


def test_the_current_code_wins_when_both_have_a_figure(charter):
    ch = with_comparators(charter, ["E06000065"])
    ind = charter.indicators["ehcp-issued-20-weeks"]
    b = benchmark(ind, ch, 50.0, None, None, {"E06000065": 70.0, "E10000023": 40.0})
    assert (b.group_size, b.group) == (1, 70.0)


def test_a_merger_is_not_followed(charter):
    # Northamptonshire (E10000021) split in two: neither successor inherits its figures
    ch = with_comparators(charter, ["E06000061"])
    ind = charter.indicators["ehcp-issued-20-weeks"]
    b = benchmark(ind, ch, 50.0, None, None, {"E10000021": 40.0})
    assert b.group is None and b.group_size == 0
