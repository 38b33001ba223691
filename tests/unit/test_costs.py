"""Costs beside outcomes (issue 33): the finance return, section 251 through the published-
statistics path (a synthetic file in DfE's layout, tests/data/s251_synthetic.csv), spend per
child against hand-worked values, and the demo's year of spend beside its statements."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from charter.s251_models import S251_DIR, load_s251_mapping
from metrics.access.audit import entries
from metrics.access.people import command_line
from metrics.ingest.needs import load_finance_return
from metrics.ingest.published.s251 import import_s251
from metrics.leadership.costs import CAVEATS, NoCosts, costs, rows
from metrics.publish.policy import PUBLIC, STAFF
from metrics.store import needs as stored

S251_FILE = Path(__file__).resolve().parent.parent / "data" / "s251_synthetic.csv"
FINANCE = b"year,service,spend,children\n2024-25,short-breaks,\"\xc2\xa31,100,000\",500\n" \
    b"2024-25,personal-budgets,2750000.50,\n"  # fmt: skip


@pytest.fixture
def mapping(charter):
    return load_s251_mapping(S251_DIR / "s251-outturn.yaml", charter)


def test_s251_import_maps_lines_keeps_symbols_unknown_and_skips_others(store, charter, mapping):
    report = import_s251(store, charter, S251_FILE.name, S251_FILE.read_bytes(), mapping)
    assert report.ok and report.rows == 8  # 9 lines: fostering is not ours
    with store.connect() as con:
        found = {(r[1], r[4]): r for r in stored.outturn(con)}
    assert found[("E92000001", "short-breaks")][6] == 100.0
    assert found[("E99000001", "short-breaks")][5:] == (2_400_000.0, 43.4)
    assert found[("E99000001", "assessment-capacity")][5:] == (None, None)  # [c] in the file
    assert found[("E12000002", "personal-budgets")][3] == "Regional"
    assert all(r[0] == "2024-25" for r in found.values())


def test_s251_file_without_the_mapped_column_is_rejected(store, charter, mapping):
    bad = S251_FILE.read_bytes().replace(b"net_expenditure", b"spend_total")
    report = import_s251(store, charter, "bad.csv", bad, mapping)
    assert not report.ok
    assert "no column net_expenditure" in report.errors[0].as_text()


def test_spend_per_child_hand_worked(store, charter, mapping):
    assert load_finance_return(store, charter, "finance.csv", FINANCE).ok
    import_s251(store, charter, S251_FILE.name, S251_FILE.read_bytes(), mapping)
    found = {c.service: c for c in costs(store, charter, PUBLIC, "2024-25")}
    short = found["short-breaks"]
    assert short.spend == 1_100_000 and short.children == 500
    assert short.per_child_reached == 2200.0  # 1,100,000 / 500
    assert math.isclose(short.per_child_in_area, 1_100_000 / 55_000)  # 20.00 a child
    assert short.comparison.england == 100.0 and short.comparison.region == 90.0
    assert short.comparison.ours == 43.4 and short.comparison.year == "2024-25"
    budgets = found["personal-budgets"]
    assert budgets.per_child_reached is None and budgets.spend == 2_750_000.5
    row = next(r for r in rows(list(found.values())) if r["service"] == "Short breaks")
    assert row["per_child_reached"] == 2200.0 and row["per_child_in_area"] == 20.0
    assert row["in_words"].startswith(
        "In 2024-25 we spent £1,100,000 on short breaks, £2,200 for each of the 500 children"
    )
    assert "England £100.00 per child in 2024-25" in row["in_words"]


def test_replacing_stored_spend_or_outturn_needs_a_reason_and_is_audited(store, charter, mapping):
    """A later finance return or section 251 file replaced the stored spend with no reason
    and no values before in the audit trail. Now refused without a reason (nothing stored);
    with one, each figure replaced is audited before and after. The same file again replaces
    nothing."""
    tester = command_line("tester")
    assert load_finance_return(store, charter, "finance.csv", FINANCE, tester).ok
    revised = FINANCE.replace(b"2750000.50", b"2800000")
    refused = load_finance_return(store, charter, "finance2.csv", revised, tester)
    assert not refused.ok and "1 stored figure would be replaced" in refused.errors[0].as_text()
    with store.connect() as con:
        assert ("2024-25", "personal-budgets", 2_750_000.5, None) in stored.spend(con)
    assert load_finance_return(store, charter, "finance2.csv", revised, tester,
                               reason="Year-end accruals").ok  # fmt: skip
    s251 = S251_FILE.read_bytes()
    assert import_s251(store, charter, S251_FILE.name, s251, mapping, tester).ok
    assert import_s251(store, charter, S251_FILE.name, s251, mapping, tester).ok  # the same
    corrected = s251.replace(b"2400000", b"2500000")
    assert corrected != s251
    refused = import_s251(store, charter, "s251-revised.csv", corrected, mapping, tester)
    assert not refused.ok and "would be replaced" in refused.errors[0].as_text()
    assert import_s251(store, charter, "s251-revised.csv", corrected, mapping, tester,
                       reason="DfE revised the outturn").ok  # fmt: skip
    found = [(r.object, r.before, r.after, r.summary)
             for r in entries(store, command_line(), kind="figure replaced")]  # fmt: skip
    assert len(found) == 2
    spend = next(f for f in found if f[0].startswith("finance return"))
    assert spend[:3] == (
        "finance return: 2024-25, personal-budgets",
        "£2,750,000.50 on unknown children",
        "£2,800,000.00 on unknown children",
    )
    assert "Year-end accruals" in spend[3]
    outturn = next(f for f in found if f[0].startswith("section 251 outturn"))
    assert "E99000001" in outturn[0] and outturn[0].endswith("short-breaks")
    assert (outturn[1], outturn[2]) == ("spend 2,400,000, per child 43.40",
                                        "spend 2,500,000, per child 43.40")  # fmt: skip
    # a change beyond 2 decimal places is a replacement too (found by the words, it was not)
    finer = corrected.replace(b"2500000,43.4", b"2500000,43.4049")
    refused = import_s251(store, charter, "s251-finer.csv", finer, mapping, tester)
    assert not refused.ok and "would be replaced" in refused.errors[0].as_text()


def test_bad_finance_rows_are_refused(store, charter):
    report = load_finance_return(
        store, charter, "f.csv", b"year,service,spend,children\n2024,short-breaks,lots,2.5\n"
    )
    assert not report.ok
    said = " | ".join(e.as_text() for e in report.errors)
    assert "column year" in said and "column spend" in said and "column children" in said
    with pytest.raises(NoCosts, match="No finance return"):
        costs(store, charter, PUBLIC)


def test_demo_year_of_spend_beside_outcomes(demo_store, charter):
    found = costs(demo_store, charter, STAFF)
    assert [c.year for c in found] == ["2025-26"] * 3
    by = {c.service: c for c in found}
    assert by["short-breaks"].spend == 2_450_000
    assert [s.number for s in by["short-breaks"].outcomes] == [7]
    table = {r["service"]: r for r in rows(found)}
    assert "Children and young people receiving short breaks" in table["Short breaks"]["outcomes"]
    assert by["short-breaks"].comparison.england == 41.2  # the demo's synthetic s251
    assert "neither says the one caused the other" in CAVEATS


def test_a_small_number_of_children_reached_is_withheld_from_public_readers(store, charter):
    """3 children reached was published as it stood ("£18,000 for each of the 3 children"),
    and the spend for each would give it back; staff see it, a public reader [c]."""
    few = b"year,service,spend,children\n2024-25,short-breaks,54000,3\n"
    assert load_finance_return(store, charter, "finance.csv", few).ok
    [staff] = costs(store, charter, STAFF, "2024-25")
    assert staff.children == 3 and staff.per_child_reached == 18_000
    [public] = costs(store, charter, PUBLIC, "2024-25")
    assert public.children is None and public.per_child_reached is None
    assert public.children_withheld and "3 children" not in public.words()
    [row] = rows([public])
    assert row["children_reached"] == "[c]" and row["per_child_reached"] is None
    assert "18,000" not in str(row)


def test_a_reporting_year_s251_file_is_refused_with_advice_that_can_be_followed(
    store, charter, mapping
):
    """The outturn is published by financial year: a file saying 'Reporting year' was
    refused with advice to set `reporting_year` in a mapping that has no such setting."""
    s251 = S251_FILE.read_bytes().replace(b"Financial year", b"Reporting year")
    report = import_s251(store, charter, "s251-reporting.csv", s251, mapping)
    said = " | ".join(e.as_text() for e in report.errors)
    assert not report.ok and "published by financial year" in said
    assert "reporting_year" not in said
