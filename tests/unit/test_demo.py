"""The demo council: deterministic, complete, and with every deliberate story in place."""

from __future__ import annotations

from metrics.demo.council import build_demo
from metrics.demo.figures import demo_rows
from metrics.demo.stories import (
    DEMO_LATEST,
    MISSING_LATEST,
    PROVISIONAL,
    REVISED,
    REVISION_REASON,
    STALE,
    SUPPRESSED,
)
from metrics.periods.model import PeriodKind, kind_for
from metrics.store.connection import Store
from metrics.store.queries import series, uploads


def test_the_generator_is_deterministic(charter):
    assert demo_rows(charter) == demo_rows(charter)


def test_the_demo_council_is_fictional(charter):
    assert charter.council.code.startswith("E99")  # no real GSS entity uses E99
    assert "demo" in charter.council.name.lower()


def test_history_lengths(demo_store, charter):
    council = charter.council.code
    for ind in charter.indicators.values():
        rows = series(demo_store, ind.id, council)
        kind = kind_for(ind.frequency, ind.year_basis)
        if ind.id in (MISSING_LATEST, STALE[0]):
            continue
        if kind == PeriodKind.FY_QUARTER:
            assert len(rows) >= 12, ind.id
            assert rows[-1].period == DEMO_LATEST.label
        elif kind in (
            PeriodKind.FINANCIAL_YEAR,
            PeriodKind.ACADEMIC_YEAR,
            PeriodKind.CALENDAR_YEAR,
        ):
            assert len(rows) >= 4, ind.id


def test_breakdowns_and_comparators(demo_store, charter):
    council = charter.council
    groups = {r.group for r in series(demo_store, "ehcp-issued-20-weeks", council.code, "locality")}
    assert groups == set(charter.breakdowns["locality"].groups)
    ages = {r.group for r in series(demo_store, "ehcp-issued-20-weeks", council.code, "age_band")}
    assert ages == set(charter.breakdowns["age_band"].groups)
    for ind in charter.indicators.values():
        if ind.benchmark:
            assert series(demo_store, ind.id, council.england.code), ind.id
            assert series(demo_store, ind.id, council.region.code), ind.id


def test_stories(demo_store, charter):
    code = charter.council.code
    improving = [r.value for r in series(demo_store, "ehcp-issued-20-weeks", code)]
    assert improving[-1] > improving[0] + 20 and improving[-1] >= 70
    waits = [r.value for r in series(demo_store, "autism-assessment-median-wait", code)]
    assert waits[-1] > waits[0] + 10
    breaks = [r.value for r in series(demo_store, "short-breaks-receiving", code)]
    assert min(breaks) < 420 < max(breaks)  # hovers around its target
    assert series(demo_store, MISSING_LATEST, code)[-1].period == DEMO_LATEST.previous().label
    assert series(demo_store, STALE[0], code)[-1].period == DEMO_LATEST.shift(-STALE[1]).label
    revised = [r for r in series(demo_store, REVISED, code) if r.revised]
    assert [(r.period, r.revision_reason) for r in revised] == [
        (DEMO_LATEST.previous().label, REVISION_REASON)
    ]
    latest = series(demo_store, PROVISIONAL, code)[-1]
    assert (latest.period, latest.status) == (DEMO_LATEST.label, "provisional")
    ind, dim, group = SUPPRESSED
    cell = [r for r in series(demo_store, ind, code, dim) if r.group == group][-1]
    assert (cell.value, cell.symbol) == (None, "c")


def test_demo_is_loaded_through_the_upload_path(demo_store):
    log = list(reversed(uploads(demo_store)))  # oldest first
    assert [u["kind"] for u in log[:3]] == ["demo"] * 3
    assert log[2]["reason"] == REVISION_REASON
    # then the partners' returns: each submitted, and those accepted stored as returns
    assert [(u["kind"], u["outcome"]) for u in log[3:]] == [
        ("submission", "submitted"), ("return", "loaded"),  # the health trust, on time
        ("submission", "submitted"), ("return", "loaded"),  # the short-breaks charity, late
        ("submission", "submitted"),  # the parent carer forum's first, sent back
        ("submission", "submitted"), ("return", "loaded"),  # and its corrected one
        # every council's published figures from LAIT's extract, then Wrenfield's made-up
        # yearly ones beside them (issue 32)
        ("published", "loaded"), ("published", "loaded"),
        ("return", "loaded"), ("return", "loaded"),  # the needs and finance returns (issue 33)
        ("published", "loaded"),  # the synthetic section 251 file
    ]  # fmt: skip
    assert [u["file_name"] for u in log[-5:]] == [
        "lait_sen.parquet", "wrenfield-published.csv",
        "demo-needs-return.csv", "demo-finance-return.csv", "demo-s251-synthetic.csv",
    ]  # fmt: skip


def test_the_demo_benchmarks_among_real_councils(demo_store, charter):
    """Issue 32: England's, the region's and every council's figures for what LAIT publishes
    are DfE's (not made up), so the fictional council has ranks, bands and neighbour
    averages on day one; only its own figures are made up, and say so."""
    from metrics.assess.rollup import charter_status
    from metrics.periods.text import parse_period

    england = {r.period: r for r in series(demo_store, "send-tribunal-appeal-rate", "E92000001")}
    assert england["2024"].value == 32.0 and "LAIT" in england["2024"].source
    ours = series(demo_store, "ehcp-issued-20-weeks", charter.council.code)
    yearly = [r for r in ours if r.period_kind == "calendar_year"]
    assert yearly and all("demo (fictional)" in r.source for r in yearly)
    found = {
        i.id: i.benchmark
        for s in charter_status(demo_store, charter, parse_period("2026-27 Q2"))
        for i in s.indicators
    }
    for ind in ("ehcp-issued-20-weeks", "send-16-17-in-education", "send-tribunal-appeal-rate"):
        b = found[ind]
        assert b is not None and b.rank and b.councils > 150 and b.band, ind
        assert b.england is not None and b.region is not None and b.group_size == 10, ind
        assert b.as_at_words() == "published figures as at 8 April 2026", ind


def test_two_builds_store_the_same_figures(tmp_path, charter, demo_db):
    """The session's demo (tests/conftest.py: `build_demo` on an empty store, as below, and
    never changed: tests change copies) is the first build; this test makes the second."""

    def figures(store):
        with store.connect() as con:
            return con.execute(
                "SELECT indicator_id, period, area_code, breakdown, grp, value, symbol, "
                "status FROM observations ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
            ).fetchall()

    second = Store(tmp_path / "b.duckdb")
    build_demo(second, charter)
    assert figures(Store(demo_db)) == figures(second)
