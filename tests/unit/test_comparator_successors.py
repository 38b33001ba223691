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


def test_dorset_county_is_not_taken_for_today_s_dorset(charter):
    """Dorset County (LA 835, E10000009) became Dorset (838, E06000059) in 2019, less
    Christchurch, which went to Bournemouth, Christchurch and Poole (839): not the same
    area, so 835's figures are not today's Dorset's (DfE's LAIT shows "Dorset (Pre LG)"
    apart); nor BCP's."""
    from metrics.reference import known_areas, one_council

    assert set(known_areas()["E10000009"].successors) == {"E06000059", "E06000058"}
    assert one_council("E06000059") == ["E06000059"] and one_council("838") == ["E06000059"]
    assert one_council("835") == ["E10000009"]
    ch = with_comparators(charter, ["E06000059"])
    ind = charter.indicators["ehcp-issued-20-weeks"]
    b = benchmark(ind, ch, 50.0, None, None, {"E10000009": 40.0})  # 2018: Dorset County's
    assert b.group is None and b.group_size == 0
