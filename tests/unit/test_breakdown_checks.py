"""The unusual-figure check covers breakdown rows, and an exhaustive breakdown that does not
add up to its total is flagged; the demo's own breakdowns add up (issue 27, item 10)."""

from __future__ import annotations

import duckdb

from metrics.ingest import check_file, load_file
from metrics.ingest.adding_up import not_adding_up
from metrics.store.queries import series

HEAD = "indicator,period,value,breakdown,group,numerator,denominator\n"
IND = "ehcp-issued-20-weeks"


def body(lines):
    return (HEAD + "\n".join(lines) + "\n").encode()


def history(store, charter):
    """Eight quarters of a steady total and a steady North group."""
    lines = []
    for i, q in enumerate(["2022-23 Q1", "2022-23 Q2", "2022-23 Q3", "2022-23 Q4",
                           "2023-24 Q1", "2023-24 Q2", "2023-24 Q3", "2023-24 Q4"]):  # fmt: skip
        lines.append(f"short-breaks-receiving,{q},{400 + i % 3},,,,")
        lines.append(f"short-breaks-receiving,{q},{11 + i % 2},locality,North,,")
    report = load_file(store, charter, "h.csv", body(lines), by="tester", confirmed=True)
    assert report.outcome == "loaded", report.errors


def test_a_breakdown_figure_typed_ten_times_too_big_is_flagged(store, charter):
    history(store, charter)
    report = check_file(
        store, charter, "r.csv",
        body(["short-breaks-receiving,2024-25 Q1,402,,,,",
              "short-breaks-receiving,2024-25 Q1,111,locality,North,,"]),
    )  # fmt: skip
    flagged = [w for w in report.warnings if w.row == 3]
    assert flagged and flagged[0].message.startswith("North (locality): 111 is far outside")
    stored = load_file(
        store, charter, "r.csv",
        body(["short-breaks-receiving,2024-25 Q1,402,,,,",
              "short-breaks-receiving,2024-25 Q1,111,locality,North,,"]), by="tester",
    )  # fmt: skip
    assert stored.outcome == "rejected" and "North (locality)" in stored.errors[0].problem


def test_groups_adding_to_more_than_the_total_are_flagged(store, charter):
    lines = ["active-ehc-plans,2024,413,,,,"]
    lines += [f"active-ehc-plans,2024,140,age_band,{g},," for g in ("0 to 4", "5 to 10")]
    lines += ["active-ehc-plans,2024,420,age_band,11 to 15,,"]  # 700 in three of five groups
    report = check_file(store, charter, "r.csv", body(lines))
    assert [w.message for w in report.warnings] == [
        "The age band groups add up to 700 but the total is 413."
    ]


def test_an_exhaustive_breakdown_given_in_full_must_add_up(store, charter):
    groups = ["0 to 4", "5 to 10", "11 to 15", "16 to 17", "18 to 25"]
    lines = ["active-ehc-plans,2024,413,,,,"]
    lines += [f"active-ehc-plans,2024,80,age_band,{g},," for g in groups]  # 400, not 413
    report = check_file(store, charter, "r.csv", body(lines))
    assert [w.message for w in report.warnings] == [
        "The age band groups add up to 400 but the total is 413."
    ]
    lines[1] = "active-ehc-plans,2024,93,age_band,0 to 4,,"  # 413: adds up
    assert check_file(store, charter, "r.csv", body(lines)).warnings == []


def test_percentages_add_up_by_numerator_and_denominator(store, charter):
    lines = [f"{IND},2024-25 Q1,,,,26,50", f"{IND},2024-25 Q1,,sex,Female,10,20"]
    lines.append(f"{IND},2024-25 Q1,,sex,Male,15,29")  # 25 of 49, not 26 of 50
    messages = [w.message for w in check_file(store, charter, "r.csv", body(lines)).warnings]
    assert messages == [  # one warning per figure (the total's row), every reason in it
        "The sex groups' numerators add up to 25 but the total's numerator is 26. Also, the "
        "sex groups' denominators add up to 49 but the total's denominator is 50."
    ]


def test_the_demos_breakdowns_add_up(demo_store, charter):
    code = charter.council.code
    total = series(demo_store, "active-ehc-plans", code)[-1]
    for dim in ("age_band", "primary_need"):
        groups = [r for r in series(demo_store, "active-ehc-plans", code, dim)]
        latest = [r.value for r in groups if r.period == total.period]
        assert sum(latest) == total.value, dim
    with demo_store.connect() as con:
        every = con.arrow(
            "SELECT row_number() OVER () AS row_no, indicator_id, period, area_code, breakdown, "
            "grp, value, numerator, denominator, symbol FROM observations "
            "WHERE superseded_by IS NULL AND origin = 'local'"
        )
    con = duckdb.connect()
    con.register("staged", every)
    con.execute("CREATE TABLE observations AS SELECT *, NULL AS superseded_by, 'x' AS origin "
                "FROM staged LIMIT 0")  # fmt: skip
    assert not_adding_up(con, charter) == []
