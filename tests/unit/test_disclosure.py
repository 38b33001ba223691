"""Disclosure control, tested independently: generated tables (a total and several breakdowns,
counts or percentages with denominators) are protected, then an attacker's solver tries to
work every withheld count out of what is published. It must never manage, and no published
count may be a small number. The solver is shown to catch primary-only suppression."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from metrics.publish.disclosure import PRIMARY, SECONDARY, Figure, Rule, withhold

RULE = Rule(threshold=5)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` shared between `parts` groups, often with small and zero groups."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(edges)]


def generated_table(rng: random.Random, percent: bool) -> list[dict]:
    """Rows of true counts: {breakdown, group, num, den}; `den` None for counts."""
    total_den = rng.randint(3, 80)
    total_num = rng.randint(0, total_den)
    rows = [{"breakdown": "", "group": "", "num": total_num, "den": total_den if percent else None}]
    for b in range(rng.randint(1, 3)):
        parts = rng.randint(2, 6)
        if percent:
            dens = _split(total_den, parts, rng)
            # share the numerator out without any group's numerator above its denominator
            nums, left = [], total_num
            for i, d in enumerate(dens):
                rest = sum(dens[i + 1 :])
                low, high = max(0, left - rest), min(d, left)
                n = high if i == parts - 1 else rng.randint(low, high)
                nums.append(n)
                left -= n
        else:
            nums, dens = _split(total_num, parts, rng), [None] * parts
        for g, (n, d) in enumerate(zip(nums, dens, strict=True)):
            rows.append({"breakdown": f"b{b}", "group": f"g{g}", "num": n, "den": d})
    return rows


def figures(rows: list[dict], percent: bool) -> list[Figure]:
    out = []
    for r in rows:
        if percent:
            value = round(100 * r["num"] / r["den"], 1) if r["den"] else None
            out.append(Figure(r["breakdown"], r["group"], value, r["num"], r["den"]))
        else:
            out.append(Figure(r["breakdown"], r["group"], r["num"]))
    return out


def published(rows: list[dict], withheld: set[tuple[str, str]], percent: bool) -> list[dict]:
    """What a reader sees: every cell of a withheld figure blank, as in a pack."""
    out = []
    for r, f in zip(rows, figures(rows, percent), strict=True):
        gone = (r["breakdown"], r["group"]) in withheld
        out.append(
            {
                "key": (r["breakdown"], r["group"]),
                "value": None if gone else f.value,
                "num": None if gone else r["num"],
                "den": None if gone or not percent else r["den"],
            }
        )
    return out


def solve(cells: list[dict], percent: bool) -> dict[tuple[tuple[str, str], str], float]:
    """Everything an attacker can work out exactly: totals add up over each breakdown, and
    for percentages num = value x den / 100. Linear algebra over all the adding-up equations
    at once (a variable is determined when its unit vector lies in the equations' row space),
    repeated with the percentage relation until nothing new is learnt."""
    fields = ("num", "den") if percent else ("num",)
    known = {(c["key"], f): c[f] for c in cells for f in fields if c[f] is not None}
    by_key = {c["key"]: c for c in cells}
    breakdowns = sorted({k[0] for k in by_key if k[0]})
    while True:
        learnt = False
        for c in cells:  # a percentage with one of its parts gives the other
            v, (num, den) = c["value"], ((c["key"], "num"), (c["key"], "den"))
            if percent and v is not None:
                if den in known and num not in known:
                    known[num], learnt = round(v * known[den] / 100), True
                if num in known and den not in known and v:
                    known[den], learnt = round(known[num] * 100 / v), True
        for field in fields:
            unknown = sorted({(k, field) for k in by_key if (k, field) not in known}, key=str)
            if not unknown:
                continue
            index = {u: i for i, u in enumerate(unknown)}
            equations, rhs = [], []
            for b in breakdowns:
                row, constant = np.zeros(len(unknown)), 0.0
                members = [(k, 1.0) for k in by_key if k[0] == b] + [(("", ""), -1.0)]
                if ("", "") not in by_key:
                    continue
                for k, sign in members:
                    if (k, field) in index:
                        row[index[(k, field)]] += sign
                    else:
                        constant -= sign * known[(k, field)]
                if row.any():
                    equations.append(row)
                    rhs.append(constant)
            if not equations:
                continue
            a = np.array(equations)
            rank = np.linalg.matrix_rank(a)
            for u, i in index.items():
                unit = np.zeros(len(unknown))
                unit[i] = 1
                if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
                    solution = np.linalg.lstsq(a, np.array(rhs), rcond=None)[0]
                    known[u], learnt = round(float(solution[i])), True
        if not learnt:
            return known


CASES = [(seed, percent) for seed in range(150) for percent in (False, True)]


@pytest.mark.parametrize(("seed", "percent"), CASES)
def test_no_small_count_is_published_and_none_can_be_worked_out(seed, percent):
    rng = random.Random(seed)
    rows = generated_table(rng, percent)
    out = withhold(figures(rows, percent), RULE, value_is_count=not percent, multiplier=100)
    cells = published(rows, set(out), percent)
    for c in cells:
        for count in (c["num"], c["den"]):
            assert not (count is not None and 1 <= count <= RULE.threshold), c
    known = solve(cells, percent)
    for key in out:
        assert (key, "num") not in known, (key, out, rows)
        assert (key, "den") not in known, (key, out, rows)


def test_the_solver_catches_primary_suppression_alone():
    """Without secondary suppression a withheld group comes back by subtraction."""
    rows = [
        {"breakdown": "", "group": "", "num": 20, "den": None},
        {"breakdown": "sex", "group": "F", "num": 3, "den": None},
        {"breakdown": "sex", "group": "M", "num": 17, "den": None},
    ]
    known = solve(published(rows, {("sex", "F")}, False), False)
    assert known[(("sex", "F"), "num")] == 3
    # and protected properly, it cannot
    out = withhold(figures(rows, False), RULE, value_is_count=True)
    assert out == {("sex", "F"): PRIMARY, ("sex", "M"): SECONDARY}
    assert (("sex", "F"), "num") not in solve(published(rows, set(out), False), False)


def test_the_solver_catches_a_percentage_beside_its_denominator():
    rows = [{"breakdown": "", "group": "", "num": 2, "den": 40}]
    cells = published(rows, set(), True)
    cells[0]["num"] = None  # numerator hidden, percentage and denominator shown
    assert solve(cells, True)[(("", ""), "num")] == 2


def test_a_percentage_built_on_a_small_numerator_is_withheld_whole():
    out = withhold([Figure("", "", 5.0, None, 40)], RULE, value_is_count=False, multiplier=100)
    assert out == {("", ""): PRIMARY}  # 5% of 40 is 2 children
    assert withhold([Figure("", "", 50.0, 20, 40)], RULE, False, 100) == {}


def test_zero_is_published_unless_the_council_says_otherwise():
    zero = [Figure("", "", 0.0)]
    assert withhold(zero, RULE, value_is_count=True) == {}
    assert withhold(zero, Rule(5, suppress_zero=True), value_is_count=True) == {("", ""): PRIMARY}
    assert withhold([Figure("", "", 6.0)], RULE, value_is_count=True) == {}


def test_a_shared_total_withheld_for_one_breakdown_protects_the_others():
    rows = [
        Figure("", "", 30.0),
        Figure("sex", "F", 2.0),
        Figure("sex", "M", 28.0),
        Figure("age", "young", 30.0),
        Figure("age", "old", 0.0),
    ]
    out = withhold(rows, RULE, value_is_count=True)
    assert ("sex", "F") in out
    assert sum(k[0] == "sex" for k in out) >= 2 or ("", "") in out
    cells = [
        {"key": f.key, "value": None, "num": None if f.key in out else f.value, "den": None}
        for f in rows
    ]
    known = solve(cells, False)
    assert not any((k, "num") in known for k in out)


def test_the_rule_is_stated_with_the_councils_threshold():
    assert "from 1 to 7" in Rule(7).words and "[c]" in Rule(7).words
