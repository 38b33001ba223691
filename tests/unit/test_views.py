"""Each heavy page's data read in one go (metrics/views): what the indicator page shows as
known at the chosen quarter, for staff and for a public reader, and the review page's extras."""

from __future__ import annotations

from datetime import date

from metrics.access import MEMBER, demo
from metrics.assess.rollup import charter_status
from metrics.assess.trend import trend
from metrics.periods.text import parse_period
from metrics.publish import compare, indicator_page as indicator
from metrics.publish.withheld import withheld_figures
from metrics.review import commentary, page as review

Q2_END = date(2026, 9, 30)


def test_the_indicator_page_data_stops_at_the_chosen_quarter(demo_store, charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    hidden = withheld_figures(demo_store, charter).get(ind.id, {})
    now = indicator.build(demo_store, charter, ind, "2026-27 Q2", hidden, False)
    earlier = indicator.build(demo_store, charter, ind, "2025-26 Q2", hidden, False)
    assert now.rows[-1].period == "2026-27 Q2" and earlier.rows[-1].period == "2025-26 Q2"
    assert [r.period for r in earlier.rows] == [r.period for r in now.rows[: len(earlier.rows)]]
    assert now.spc is not None and now.spc.points[-1].period == "2026-27 Q2"
    assert earlier.spc is not None and earlier.spc.points[-1].period == "2025-26 Q2"
    # DfE publishes it yearly (the demo carries LAIT's figures to 2024): every council is
    # compared on the latest year ended by the quarter, and the alt text names the quarter
    assert now.comparison.period == "2024" and len(now.comparison.rows) > 100
    assert now.comparison.advice and "DfE publishes this indicator yearly" in now.comparison.advice
    assert now.comparison.when() == "published figures for 2024, the latest at 2026-27 Q2"
    latest = max(trend(demo_store, charter, ind), key=lambda r: r.period)
    assert now.latest is not None and now.latest.period == latest.period
    assert all(e.evidence_date <= Q2_END for e in now.evidence)


def test_the_published_years_beside_stop_at_the_chosen_quarter(demo_store, charter):
    """The views of every council's published figures show only years that had ended by the
    chosen quarter's end, as everything else on the page: at 2021-22 Q2, not 2021 to 2024."""
    ind = charter.indicators["ehcp-issued-20-weeks"]
    every = compare.compared(demo_store, charter, ind)
    then = compare.compared(demo_store, charter, ind, "2021-22 Q2")
    assert every is not None and then is not None
    assert [y.period for y in every.years][-1] == "2024" and every.latest == "2024"
    assert [y.period for y in then.years] == [
        y.period for y in every.years if int(y.period) <= 2020
    ]
    assert then.latest == "2020" and then.quarter == "2021-22 Q2"
    assert then.when("2020") == "published figures for 2020, the latest at 2021-22 Q2"
    assert every.when("2024") == "2024"


def test_the_page_data_stops_where_the_status_is_assessed(demo_store, charter):
    """The page's data is read without waiting for the status, so it works out the period
    the quarter is assessed on itself: it must be the status's, for every indicator."""
    for quarter in ("2026-27 Q2", "2025-26 Q4", "2024-25 Q1"):
        for s in charter_status(demo_store, charter, parse_period(quarter)):
            for i in s.indicators:
                ind = charter.indicators[i.id]
                found = indicator.build(demo_store, charter, ind, quarter, {}, False)
                assert found.upto == (i.period or i.due), (quarter, i.id)
                if found.rows and i.period:
                    assert found.rows[-1].period == i.period


def test_a_public_reader_gets_no_process_limits_and_withheld_figures_as_c(demo_store, charter):
    ind = charter.indicators["ehcp-personal-budget"]  # the demo withholds its 2021 figure
    hidden = withheld_figures(demo_store, charter)[ind.id]
    assert ("2021", "", "") in hidden
    staff = indicator.build(demo_store, charter, ind, None, hidden, False)
    public = indicator.build(demo_store, charter, ind, None, hidden, True)
    shown = {r.period: r for r in public.rows}
    real = {r.period: r for r in staff.rows}
    assert shown["2021"].symbol == "c" and shown["2021"].value is None
    assert real["2021"].value is not None and real["2021"].withheld
    assert public.spc is None and public.reconciliation == []


def test_counts_are_not_compared(demo_store, charter):
    ind = charter.indicators["short-breaks-receiving"]
    found = indicator.build(demo_store, charter, ind, "2026-27 Q2", {}, False)
    assert found.comparison.rows == [] and "Counts are not compared" in (
        found.comparison.message or ""
    )


def test_the_review_extras_hold_every_version_and_last_quarters_text(demo_store, charter):
    subject, member = "indicator:register-records-updated", demo(MEMBER)
    for n, what in enumerate(("First", "Second")):
        texts = (what, "Because", "Then")
        commentary.save(demo_store, charter, member, "2026-27 Q2", subject, texts, based_on=n)
    extras = review.build(demo_store, "2026-27 Q2")
    assert [c.what for c in extras.versions[subject]] == ["Second", "First"]
    for subject, versions in extras.versions.items():
        assert versions == commentary.history(demo_store, "2026-27 Q2", subject)
    assert extras.previous and extras.previous == commentary.current(demo_store, "2026-27 Q1")
    agreed_in = {a.agreed_quarter for a in extras.last_meeting}
    assert extras.last_meeting and agreed_in == {"2026-27 Q1"}
