"""The intruder test (issue 26): an integer-programming intruder written independently of the
protection code (tests/intruder.py) attacks hundreds of generated tables (breakdowns sharing
a total, percentages with denominators, statuses beside aims of 100%) and the demo's
published cells. It recovers cells when protection is off (small numbers alone withheld,
statuses published) and none when it is on."""

from __future__ import annotations

import random

import pytest

from metrics.publish import audit, published, withheld
from metrics.publish.disclosure import PRIMARY, Figure, Rule
from metrics.store.connection import Store
from tests.intruder import attack
from tests.unit.test_disclosure import figures, generated_table

RULE = Rule(threshold=5)
TABLES = 200
# The attacks on hundreds of tables and on the demo's quarter solve thousands of integer
# programmes (about a minute of CPU each): `make test` runs them, `make test-fast` does not.
slow = pytest.mark.slow


def _table(seed: int) -> tuple[list[dict], bool]:
    rng = random.Random(seed)
    percent = seed % 2 == 1
    rows = generated_table(rng, percent)
    if percent and rng.random() < 0.4:  # all of them met: "On track" beside an aim of 100%
        if rng.random() < 0.5:  # a handful, as in the issue (4 of 4)
            d = rng.randint(1, 5)
            f = rng.randint(0, d)
            rows = [{"breakdown": "", "group": "", "num": d, "den": d}] + [
                {"breakdown": "sex", "group": g, "num": n, "den": n}
                for g, n in (("F", f), ("M", d - f))
            ]
        for r in rows:
            r["num"] = r["den"]
    return rows, percent


def _status(rows: list[dict], percent: bool) -> str:
    if not percent:
        return ""
    total = rows[0]
    return "On track" if total["den"] and total["num"] == total["den"] else "Off track"


def _publish(seed: int, protect: bool) -> tuple[list[dict], dict, bool]:
    rows, percent = _table(seed)
    figs = figures(rows, percent)
    if protect:
        out = audit.protect(figs, RULE, not percent, 100)
    else:  # small numbers alone, as an intruder would find them without protection
        out = _primary_only(figs, RULE, not percent, 100)
    indicator, period = f"t{seed}", "2026-27 Q2"
    cells, truth = [], {}
    for r, f in zip(rows, figs, strict=True):
        why = out.get(f.key)
        gone = why is not None
        status = _status(rows, percent) if f.key == ("", "") and not (protect and gone) else ""
        if gone and f.key == ("", "") and protect:
            status = "Withheld"
        cells.append({
            "indicator": indicator, "period": period, "area": "E99000001",
            "breakdown": r["breakdown"], "group": r["group"],
            "value": "[c]" if gone else f.value,
            "numerator": "[c]" if gone else (r["num"] if percent else ""),
            "denominator": "[c]" if gone else (r["den"] if percent else ""),
            "status": status, "withheld": withheld.explain(why) if why else "",
        })  # fmt: skip
        fields = (
            {"numerator": r["num"], "denominator": r["den"]} if percent else {"value": r["num"]}
        )
        for field, v in fields.items():
            truth[(indicator, period, r["breakdown"], r["group"], field)] = v
    return cells, truth, percent


def _attack(seeds: range, protect: bool) -> list:
    found = []
    for seed in seeds:
        cells, truth, percent = _publish(seed, protect)
        found += attack(cells, truth, {f"t{seed}": percent}, {f"t{seed}"}, RULE.threshold)
    return found


@slow
@pytest.mark.parametrize("block", range(4))
def test_the_intruder_recovers_nothing_from_protected_tables(block):
    seeds = range(block * TABLES // 4, (block + 1) * TABLES // 4)
    assert _attack(seeds, protect=True) == []


@slow
def test_the_intruder_recovers_cells_when_protection_is_off():
    found = _attack(range(TABLES), protect=False)
    tables = {r.table for r in found}
    assert len(tables) >= 20, len(tables)
    assert {r.how for r in found} == {"pinned", "narrowed"}
    # a status beside an aim of 100% gives a withheld total away: On track is 100%
    on_track = {f"t{s}" for s in range(1, TABLES, 2) if _status(_table(s)[0], True) == "On track"}
    assert any(r.table[0] in on_track and r.cell[:2] == ("", "") for r in found)


def test_the_intruder_reads_a_status_beside_an_aim_of_100():
    """One whole figure, 4 of 4: withheld, but "On track" beside an aim of 100% says 100%."""
    cells = [{"indicator": "x", "period": "p", "area": "a", "breakdown": "", "group": "",
              "value": "[c]", "numerator": "[c]", "denominator": "[c]", "status": "On track",
              "withheld": withheld.explain(PRIMARY)}]  # fmt: skip
    truth = {("x", "p", "", "", "numerator"): 4, ("x", "p", "", "", "denominator"): 4}
    [found] = attack(cells, truth, {"x": True}, {"x"}, 5)  # the 100% (4 of 4)
    assert found.cell == ("", "", "value") and found.how == "pinned"
    cells[0]["status"] = "Withheld"  # as the policy publishes it
    assert attack(cells, truth, {"x": True}, {"x"}, 5) == []
    cells.append({"indicator": "x", "period": "p", "area": "a", "breakdown": "sex",
                  "group": "F", "value": 100.0, "numerator": 2, "denominator": 2,
                  "status": "", "withheld": ""})  # fmt: skip
    cells.append({"indicator": "x", "period": "p", "area": "a", "breakdown": "sex",
                  "group": "M", "value": "[c]", "numerator": "[c]", "denominator": "[c]",
                  "status": "", "withheld": withheld.explain(PRIMARY)})  # fmt: skip
    for g in ("F", "M"):
        truth |= {("x", "p", "sex", g, "numerator"): 2, ("x", "p", "sex", g, "denominator"): 2}
    assert attack(cells, truth, {"x": True}, {"x"}, 5)  # narrowed: both at least 3


@slow
def test_the_intruder_recovers_nothing_from_the_demo_quarter(demo_db, charter):
    store = Store(demo_db)
    rows = published.cells(store, charter, "2026-27 Q2")
    truth = _demo_truth(store, charter)
    percent = {i: ind.multiplier == 100 for i, ind in charter.indicators.items()}
    aim_100 = {i for i, ind in charter.indicators.items() if ind.target == 100}
    found = attack(rows, truth, percent, aim_100, 5, area=charter.council.code)
    assert found == []


def _demo_truth(store: Store, charter) -> dict:
    from metrics.store.queries import area_figures

    truth = {}
    for ind_id, period, dim, grp, value, num, den, symbol in area_figures(
        store, charter.council.code, None
    ):
        ind = charter.indicators[ind_id]
        counts = audit.count_fields(
            Figure(dim, grp, value, num, den, symbol), ind.unit == "count", ind.multiplier
        )
        if ind.multiplier != 100 and ind.unit != "count":
            continue
        for field, v in counts.items():
            truth[(ind_id, period, dim, grp, field)] = v
    return truth


def _primary_only(figs, rule, value_is_count, multiplier=None, also=None):
    def small(f):
        counts = audit.count_fields(f, value_is_count, multiplier).values()
        return f.symbol == "c" or any(rule.disclosive(c) for c in counts)

    return {f.key: PRIMARY for f in figs if small(f)}


@slow
def test_the_intruder_recovers_the_demos_awkward_cases_without_protection(
    demo_db, charter, monkeypatch
):
    """Protection off: small numbers alone withheld, statuses published as worked out."""
    monkeypatch.setattr(withheld, "protect", _primary_only)
    monkeypatch.setattr(withheld, "statuses", lambda found, hidden, charter=None: found)
    store = Store(demo_db)
    rows = published.cells(store, charter, "2026-27 Q2")
    percent = {i: ind.multiplier == 100 for i, ind in charter.indicators.items()}
    aim_100 = {i for i, ind in charter.indicators.items() if ind.target == 100}
    found = attack(rows, _demo_truth(store, charter), percent, aim_100, 5,
                   area=charter.council.code)  # fmt: skip
    latest = {(r.cell, r.how) for r in found if r.table[1] == "2026-27 Q2"}
    by_table = {r.table for r in found}
    assert ("planning-group-pcf-representation", "2026-27 Q2") in by_table  # On track: 100%
    assert (("locality", "North", "value"), "pinned") in latest  # 413 less the rest: 1
    assert (("age_band", "0 to 4", "value"), "pinned") in latest  # two cells summing to 2: 1, 1


def test_the_intruder_uses_groups_at_most_their_total_and_finds_nothing_once_protected():
    """A breakdown that is not exhaustive: total 10, A 2, B 1, C 6. With A and B alone
    withheld, A + B <= 4 makes each 1 to 3 (narrowed); the audit's pattern gives nothing."""
    from tests.unit.test_disclosure_audit import NOT_EXHAUSTIVE

    def cells(out):
        return [
            {"indicator": "x", "period": "p", "area": "a", "breakdown": f.key[0],
             "group": f.key[1], "value": "[c]" if f.key in out else f.value,
             "numerator": "", "denominator": "", "status": "",
             "withheld": withheld.explain(out[f.key]) if f.key in out else ""}
            for f in NOT_EXHAUSTIVE
        ]  # fmt: skip

    truth = {("x", "p", *f.key, "value"): round(f.value) for f in NOT_EXHAUSTIVE}
    small_alone = {("need", "A"): PRIMARY, ("need", "B"): PRIMARY}
    found = attack(cells(small_alone), truth, {"x": False}, set(), 5)
    assert {(r.cell, r.how) for r in found} == {
        (("need", "A", "value"), "narrowed"), (("need", "B", "value"), "narrowed")}  # fmt: skip
    protected = audit.protect(NOT_EXHAUSTIVE, RULE, value_is_count=True)
    assert attack(cells(protected), truth, {"x": False}, set(), 5) == []
