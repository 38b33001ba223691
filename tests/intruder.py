"""An intruder, independent of the protection code (metrics/publish/audit.py): given only the
rows a public reader sees (`python -m metrics published`: value, numerator, denominator as
numbers or [c], the reason printed beside each [c], the status) and the rule the Help page
prints, it works out by integer programming what each withheld count can be, over every
table of a quarter at once: the adding-up equations (where the real figures add up: the
strongest intruder), the groups at most the total where they add up to less (a breakdown
that is not exhaustive) and each group at most the total, whole numbers, nothing negative,
a percentage's numerator at most its denominator, a published percentage with a published
count giving the other, "a small number" meaning at least one count from 1 to the
threshold, "withheld so that..." meaning none, and a status beside an aim of 100%
("On track" is 100%).

It reports what it recovered: a withheld count pinned to one value, or a small number that
can no longer be every value from 1 to the threshold.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

FLOOR = 1000  # a withheld count is at most 4 x the largest number in its table, or this
COUNT_FIELDS = ("numerator", "denominator")


@dataclass(frozen=True)
class Recovered:
    table: tuple[str, str]
    cell: tuple[str, str, str]  # breakdown, group, field
    values: tuple[int, int]  # the smallest and largest it can be
    how: str  # pinned | narrowed


def _known(x: object) -> float | None:
    if x in ("", None) or (isinstance(x, str) and x.startswith("[")):
        return None
    return float(x)  # type: ignore[arg-type]


def attack(
    rows: list[dict],
    truth: dict[tuple[str, str, str, str, str], int],
    percent: dict[str, bool],
    aim_100: set[str],
    threshold: int,
    suppress_zero: bool = False,
    area: str | None = None,
) -> list[Recovered]:
    """Everything the intruder recovers from `rows` (published), knowing whether each
    breakdown really adds up (`truth`: (indicator, period, breakdown, group, field) -> the
    real count, used for that and to score, never as a constraint)."""
    tables: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if area is None or r["area"] == area:
            tables[(r["indicator"], r["period"])].append(r)
    found: list[Recovered] = []
    for key, cells in tables.items():
        found += _attack_table(key, cells, truth, percent[key[0]], key[0] in aim_100, threshold,
                               suppress_zero)  # fmt: skip
    return found


def _attack_table(key, cells, truth, is_percent, aim_100, threshold, suppress_zero):
    fields = COUNT_FIELDS if is_percent else ("value",)
    small_low = 0 if suppress_zero else 1
    names: list[tuple[str, str, str]] = []  # unknown counts
    where: dict[tuple[str, str, str], int | float] = {}  # cell -> var index or known value
    for c in cells:
        for f in fields:
            cell = (c["breakdown"], c["group"], f)
            if (*key, *cell) not in truth:
                continue
            v = _known(c[f])
            if v is None and is_percent and f == "numerator":
                pct, den = _known(c["value"]), _known(c["denominator"])
                if pct is not None and den is not None:
                    v = round(pct * den / 100)
            if v is None:
                where[cell] = len(names)
                names.append(cell)
            else:
                where[cell] = v
    if not names:
        return []
    numbers = [abs(float(w)) for cell, w in where.items() if cell not in names]
    CAP = max(FLOOR, 4 * round(max(numbers, default=0)))
    assert all(truth[(*key, *cell)] <= CAP for cell in names)
    extra = 0
    rows: list[tuple[dict[int, float], float, float]] = []
    # adding up, where the real figures do
    groups = defaultdict(list)
    for c in cells:
        if c["breakdown"]:
            groups[c["breakdown"]].append(c["group"])

    def at_most_total(b: str, gs: list[str], f: str, exactly: bool) -> None:
        coef: dict[int, float] = defaultdict(float)
        rhs = 0.0
        for cell, sign in [((b, g, f), 1.0) for g in gs] + [(("", "", f), -1.0)]:
            w = where[cell]
            if cell in names and isinstance(w, int) and names[w] == cell:
                coef[w] += sign
            else:
                rhs -= sign * w
        if coef:
            rows.append((dict(coef), rhs if exactly else -np.inf, rhs))

    for b, gs in groups.items():
        for f in fields:
            total = truth.get((*key, "", "", f))
            parts = [truth.get((*key, b, g, f)) for g in gs]
            if total is None:
                continue
            for g, part in zip(gs, parts, strict=True):  # a group is part of the whole
                if part is not None and part <= total:
                    at_most_total(b, [g], f, exactly=False)
            if None in parts or sum(parts) > total:
                continue
            at_most_total(b, gs, f, exactly=sum(parts) == total)  # or short: not exhaustive

    def var(cell):
        w = where.get(cell)
        return w if cell in names and names[w] == cell else None

    n = len(names)
    for c in cells:
        mine = [(f, var((c["breakdown"], c["group"], f))) for f in fields]
        unknown = [(f, i) for f, i in mine if i is not None]
        if is_percent:  # numerator <= denominator, known or not
            num, den = (
                (c["breakdown"], c["group"], "numerator"),
                (c["breakdown"], c["group"], "denominator"),
            )
            if num in where and den in where:
                coef: dict[int, float] = defaultdict(float)
                rhs = 0.0
                for cell, sign in ((num, 1.0), (den, -1.0)):
                    i = var(cell)
                    if i is None:
                        rhs -= sign * where[cell]
                    else:
                        coef[i] += sign
                if coef:
                    rows.append((dict(coef), -np.inf, rhs))
        if not unknown:
            continue
        reason = c.get("withheld", "")
        if reason.startswith("a small number"):
            zs = []
            for _, i in unknown:
                z = n + extra
                extra += 1
                zs.append(z)
                rows.append(({i: 1.0, z: -small_low}, 0, np.inf))
                rows.append(({i: 1.0, z: CAP - threshold}, -np.inf, CAP))
            rows.append(({z: 1.0 for z in zs}, 1, np.inf))
        elif reason.startswith("withheld so that"):
            for _, i in unknown:
                z = n + extra
                extra += 1
                rows.append(({i: 1.0, z: -(threshold + 1)}, 0, np.inf))
                rows.append(({i: 1.0, z: -CAP}, -np.inf, 0))
                if suppress_zero:
                    rows.append(({z: 1.0}, 1, 1))
        if aim_100 and is_percent and c["breakdown"] == "" and c.get("status"):
            num, den = var(("", "", "numerator")), var(("", "", "denominator"))
            if c["status"] in ("On track", "At risk", "Off track"):
                on = c["status"] == "On track"
                coef = defaultdict(float)
                rhs = 0.0
                for cell, sign in ((("", "", "numerator"), 1.0), (("", "", "denominator"), -1.0)):
                    i = var(cell)
                    if i is None:
                        rhs -= sign * where[cell]
                    else:
                        coef[i] += sign
                if coef:
                    rows.append((dict(coef), rhs, np.inf) if on else (dict(coef), -np.inf, rhs - 1))
            del num, den
    size = n + extra
    a = np.zeros((len(rows), size))
    lo = np.array([r[1] for r in rows], dtype=float)
    hi = np.array([r[2] for r in rows], dtype=float)
    for k, (coef, _, _) in enumerate(rows):
        for i, v in coef.items():
            a[k, i] = v
    constraints = LinearConstraint(a, lo, hi) if rows else None
    upper = np.array([CAP] * n + [1] * extra, dtype=float)

    def solve(objective, lower_bounds=None, upper_bounds=None):
        result = milp(objective, integrality=np.ones(size),
                      bounds=Bounds(lower_bounds if lower_bounds is not None else np.zeros(size),
                                    upper_bounds if upper_bounds is not None else upper),
                      constraints=constraints)  # fmt: skip
        return result

    out = []
    if is_percent:  # a withheld percentage of 0% or 100% that nothing else fits
        for c in cells:
            b, g = c["breakdown"], c["group"]
            num, den = var((b, g, "numerator")), var((b, g, "denominator"))
            if num is None or den is None:
                continue
            n_, d_ = truth[(*key, b, g, "numerator")], truth[(*key, b, g, "denominator")]
            if d_ == 0 or n_ not in (0, d_):
                continue
            other = np.zeros(size)
            other[num], other[den] = 1, (-1 if n_ == d_ else 0)
            test = LinearConstraint(other.reshape(1, -1), [-np.inf if n_ == d_ else 1],
                                    [-1 if n_ == d_ else np.inf])  # fmt: skip
            both = [test] if constraints is None else [constraints, test]
            result = milp(np.zeros(size), integrality=np.ones(size),
                          bounds=Bounds(np.zeros(size), upper), constraints=both)  # fmt: skip
            if result.status != 0:
                out.append(Recovered(key, (b, g, "value"), (n_, d_), "pinned"))
    for i, cell in enumerate(names):
        c = np.zeros(size)
        c[i] = 1
        low, high = solve(c), solve(-c)
        assert low.status == 0 and high.status == 0, (key, cell, low.message)
        smallest, largest = round(low.fun), round(-high.fun)
        reason = next(
            x.get("withheld", "") for x in cells if (x["breakdown"], x["group"]) == cell[:2]
        )
        real = truth[(*key, *cell)]
        if smallest == largest:
            out.append(Recovered(key, cell, (smallest, largest), "pinned"))
        elif reason.startswith("a small number") and small_low <= real <= threshold:
            holes = smallest > small_low or largest < threshold
            for v in range(max(smallest, small_low) + 1, min(largest, threshold)):
                lb, ub = np.zeros(size), upper.copy()
                lb[i] = ub[i] = v
                holes = holes or solve(np.zeros(size), lb, ub).status != 0
            if holes:
                out.append(Recovered(key, cell, (smallest, largest), "narrowed"))
    return out
