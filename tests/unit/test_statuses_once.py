"""A pack works every statement's status out once for its report, scrutiny history and
scorecard (issue 34: three times before). That is only right if a quarter's statuses do not
depend on which other quarters are worked out with it: a figure wanted for a later quarter
was taken as the "latest published year" beside an earlier quarter's figure, so EHC plans
within 20 weeks lost its benchmark in the scrutiny view and the scorecard but not in the
report."""

from __future__ import annotations

from metrics.assess.rollup import charter_statuses
from metrics.periods.text import parse_period
from metrics.scrutiny import scorecard, view as scrutiny
from metrics.store.connection import Store


def test_each_quarter_of_a_batch_is_judged_as_it_would_be_alone(demo_db, charter):
    store = Store(demo_db)
    latest = parse_period("2026-27 Q2")
    quarters = [latest.shift(-k) for k in range(scrutiny.HISTORY)]
    together = charter_statuses(store, charter, quarters)
    for quarter, found in zip(quarters, together, strict=True):
        assert found == charter_statuses(store, charter, [quarter])[0], quarter.label
    ehcp = next(i for s in together[0] for i in s.indicators if i.id == "ehcp-issued-20-weeks")
    assert ehcp.benchmark is not None and ehcp.benchmark.england is not None


def test_the_views_given_the_statuses_say_what_they_say_working_them_out(demo_db, charter):
    store = Store(demo_db)
    periods = [parse_period("2026-27 Q2").shift(-k) for k in range(scrutiny.HISTORY)]
    found = charter_statuses(store, charter, periods)
    known = dict(zip([p.label for p in periods], found, strict=True))
    for public in (True, False):
        assert scrutiny.build(store, charter, "2026-27 Q2", public, known=known) == scrutiny.build(
            store, charter, "2026-27 Q2", public
        )
        assert scorecard.build(
            store, charter, "2026-27 Q2", 6, public, known=known
        ) == scorecard.build(store, charter, "2026-27 Q2", 6, public)
