"""A figure of ours withheld from public readers is not given back by the comparisons with
other councils (found by a disclosure review): the over-time table and chart, every council
ranked, the pack's "How we compare" and the status's "in the latest published year, we had"
compared our real figure, its rank and quartile band. A public reader now gets the year
compared as if we had no figure; staff get it as before. On the demo, both backends."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from metrics import packs as pack
from metrics.access.people import command_line
from metrics.assess.benchmark import rank_words
from metrics.ingest import load_file
from metrics.publish import compare, withheld
from metrics.publish.policy import DisclosurePolicy

IND, YEAR = "send-16-17-in-education", "2024-25"
SMALL = f"indicator,period,value,numerator,denominator\n{IND},{YEAR},80,4,5\n"


def withheld_year(store, charter):
    """Our 2024-25 figure made 4 of 5, which the council's rule withholds."""
    report = load_file(store, charter, "small.csv", SMALL.encode(), by="Ana Analyst",
                       reason="Recounted by the college")  # fmt: skip
    assert report.ok, report.errors
    hidden = DisclosurePolicy.audited(store, charter, IND).withheld_of(IND)
    assert (YEAR, "", "") in hidden
    return hidden


def test_a_withheld_year_is_compared_without_our_figure_for_public_readers(demo_store, charter):
    hidden = withheld_year(demo_store, charter)
    ind = charter.indicators[IND]
    staff = compare.compared(demo_store, charter, ind)
    public = compare.compared(demo_store, charter, ind, unseen=withheld.not_compared(hidden))
    assert staff is not None and public is not None and staff.latest == public.latest == YEAR
    seen = {y.period: y for y in staff.years}[YEAR]
    shown = {y.period: y for y in public.years}[YEAR]
    assert seen.ours == 80.0 and seen.rank is not None and seen.band is not None
    assert (shown.ours, shown.rank, shown.band, shown.change) == (None, None, None, None)
    assert any(c.ours for c in staff.councils)
    assert not any(c.ours for c in public.councils)  # counted as if we had none: no gap
    assert len(public.councils) == len(staff.councils) - 1 == seen.councils - 1
    # the other councils are ranked among themselves: 1, 2, 3 ... with no place left for ours
    ranks = sorted(c.rank for c in public.councils if c.rank is not None and not c.tied)
    assert ranks == sorted(set(ranks)) and max(ranks) <= len(public.councils)


def test_the_scrutiny_pack_compares_a_withheld_year_without_our_figure(demo_store, charter):
    withheld_year(demo_store, charter)
    staff = compare.compared(demo_store, charter, charter.indicators[IND])
    seen = {y.period: y for y in staff.years}[YEAR]
    placed = rank_words(seen.rank, seen.councils, seen.tied)  # "139th of 151"
    when = {"today": date(2026, 11, 26), "now": datetime(2026, 11, 26, 9, 30)}
    for audience, ours in (("scrutiny", "–"), ("planning group", "80.00%")):
        built, files = pack.make(demo_store, charter, "2026-27 Q2", audience, ("html",),
                                 command_line("tester"), **when)  # fmt: skip
        row = next(r for r in built.benchmarks.rows if r[0].startswith("16-17 year olds"))
        assert row[1] == YEAR and row[2] == ours, (audience, row)
        html = files["html"].decode()
        assert (placed in html) == (audience == "planning group"), (audience, placed)


def test_our_figure_under_an_older_code_of_ours_is_taken_out_too(charter):
    """A real council that changed code (North Yorkshire, E06000065, published as E10000023
    until 2023): its figure under the old code counts as its own, so a withheld year takes
    that one out too (found by a review of this session's changes)."""
    council = charter.council.model_copy(update={"code": "E06000065"})
    north_yorkshire = dataclasses.replace(charter, council=council)
    values = {(IND, "2022"): {"E10000023": 80.0, "E06000051": 40.0, "E92000001": 60.0}}
    kept = compare.without_ours(values, north_yorkshire, {IND: {"2022"}})
    assert kept[(IND, "2022")] == {"E06000051": 40.0, "E92000001": 60.0}
    assert compare.without_ours(values, north_yorkshire, {IND: {"2021"}}) == values
