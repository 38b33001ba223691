"""The intruder's integer programme for one published table (metrics/publish/audit.py says
what the intruder knows and what "protected" means): each withheld count a variable, each
thing a reader knows an equation or a bound, solved by SciPy's `milp` (HiGHS). `Model`
answers whether a withheld count can still take each value the printed rule allows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from metrics.publish.disclosure import PRIMARY, REVISED, TOTAL, UNSAID, Figure, Rule

# The largest a withheld count may be, per table: four times its largest real count (at least
# 1,000). An intruder bounds cells by a published total anyway; a tight bound keeps HiGHS's
# branching short, and a bound the intruder may not know only makes the audit stricter.
SPAN, FLOOR = 4, 1000
Key = tuple[str, str]


@dataclass(frozen=True)
class Finding:
    key: Key
    field: str  # value, numerator or denominator
    problem: str  # "narrowed": a small count lost part of its range; "pinned": one value left

    def sentence(self) -> str:
        where = f"{self.key[0]} {self.key[1]}".strip() or "the whole figure"
        return f"{where}: the {self.field} could be {self.problem} down by an intruder"


def count_fields(f: Figure, value_is_count: bool, multiplier: float | None) -> dict[str, int]:
    """The figure's counts by field, as whole numbers (a derived numerator included)."""
    out: dict[str, int] = {}
    if value_is_count:
        if f.value is not None:
            out["value"] = round(f.value)
        return out
    if multiplier is None:
        return out  # a median wait, say: no counts
    if f.denominator is not None:
        out["denominator"] = round(f.denominator)
    if f.numerator is not None:
        out["numerator"] = round(f.numerator)
    elif f.value is not None and f.denominator:
        out["numerator"] = round(f.value * f.denominator / multiplier)
    return out


class Model:
    """The intruder's integer program for one table and one pattern of withheld figures."""

    def __init__(
        self,
        figures: list[Figure],
        out: dict[Key, str],
        rule: Rule,
        value_is_count: bool,
        multiplier: float | None,
    ) -> None:
        self.rule = rule
        self.percent = multiplier == 100
        self.low = 0 if rule.suppress_zero else 1
        self.counts = {f.key: count_fields(f, value_is_count, multiplier) for f in figures}
        largest = max((v for c in self.counts.values() for v in c.values()), default=0)
        self.big = big = max(FLOOR, SPAN * largest)
        self.out = out
        self.vars: list[tuple[Key, str]] = [
            (k, field) for k in out for field in sorted(self.counts.get(k, {}))
        ]
        index = {v: i for i, v in enumerate(self.vars)}
        # figures with a count in an adding-up equation: only these can be narrowed, as on
        # its own a withheld figure can take every value the rule allows
        self.linked: set[Key] = set()
        n = len(self.vars)
        rows: list[dict[int, float]] = []
        lows: list[float] = []
        highs: list[float] = []

        def constraint(coefs: dict[int, float], lo: float, hi: float) -> None:
            rows.append(coefs)
            lows.append(lo)
            highs.append(hi)

        families: dict[str, list[Key]] = defaultdict(list)
        for k in self.counts:
            if k[0] != TOTAL:
                families[k[0]].append(k)
        total = self.counts.get((TOTAL, TOTAL))

        def part_of_total(members: list[Key], field: str, exactly: bool) -> None:
            """sum(members) == total (`exactly`) or <= total, for one field."""
            coefs: dict[int, float] = {}
            constant = 0.0
            for k, sign in [(k, 1.0) for k in members] + [((TOTAL, TOTAL), -1.0)]:
                if (k, field) in index:
                    coefs[index[(k, field)]] = coefs.get(index[(k, field)], 0) + sign
                else:
                    constant += sign * self.counts[k][field]
            if coefs:
                constraint(coefs, -np.inf if not exactly else -constant, -constant)
                self.linked.update(self.vars[i][0] for i in coefs)

        for members in families.values():
            for field in ("value", "numerator", "denominator"):
                if total is None or field not in total:
                    continue
                for k in members:  # a group is part of the whole, however grouped
                    if field in self.counts[k] and self.counts[k][field] <= total[field]:
                        part_of_total([k], field, exactly=False)
                if any(field not in self.counts[k] for k in members):
                    continue
                parts = sum(self.counts[k][field] for k in members)
                if parts <= total[field]:  # adds up, or (not exhaustive) falls short of it
                    part_of_total(members, field, exactly=parts == total[field])
        binaries = 0
        extra: list[tuple[dict[int, float], float, float]] = []
        unsaid: list[int] = []  # with one reason for all, at least one of them is small
        for k, why in out.items():
            fields = self.counts.get(k, {})
            mine = [index[(k, f)] for f in sorted(fields)]
            if multiplier == 100 and "numerator" in fields and "denominator" in fields:
                constraint({index[(k, "numerator")]: 1, index[(k, "denominator")]: -1}, -big, 0)
            if not mine:
                continue
            if why == REVISED:
                continue  # its earlier version is known, and it may be anything near it
            if why == UNSAID:
                unsaid += mine
            elif why == PRIMARY:  # at least one count from `low` to the threshold
                picks = []
                for i in mine:
                    z = n + binaries
                    binaries += 1
                    picks.append(z)
                    extra.append(({i: 1, z: -self.low}, 0, big))  # x >= low z
                    extra.append(({i: 1, z: big}, -big, rule.threshold + big))  # x <= T if z
                extra.append(({z: 1 for z in picks}, 1, len(picks)))
            else:  # no count from `low` to the threshold: 0 (if zeros are published) or more
                for i in mine:
                    b = n + binaries
                    binaries += 1
                    extra.append(({i: 1, b: -(rule.threshold + 1)}, 0, big))  # x >= (T+1) b
                    if self.low == 1:
                        extra.append(({i: 1, b: -big}, -big, 0))  # x == 0 unless b
                    else:
                        extra.append(({b: 1}, 1, 1))
        truly_small = any(
            self.rule.disclosive(self.counts[k][f]) for k, f in self.vars if out[k] == UNSAID
        )
        if unsaid and truly_small:
            picks = []
            for i in unsaid:
                z = n + binaries
                binaries += 1
                picks.append(z)
                extra.append(({i: 1, z: -self.low}, 0, big))
                extra.append(({i: 1, z: big}, -big, rule.threshold + big))
            extra.append(({z: 1 for z in picks}, 1, len(picks)))
        for coefs, lo, hi in extra:
            constraint(coefs, lo, hi)
        self.size = n + binaries
        self.n = n
        a = np.zeros((len(rows), self.size))
        for r, coefs in enumerate(rows):
            for i, c in coefs.items():
                a[r, i] = c
        # SciPy is imported where it is used: it costs a quarter of a second, and every
        # `python -m metrics` command imports this module whether it audits or not.
        from scipy.optimize import LinearConstraint

        self.constraints = LinearConstraint(a, lows, highs) if rows else None
        self.lower = np.zeros(self.size)
        self.upper = np.array([big] * n + [1] * binaries, dtype=float)
        # values each count is known to be able to take: the real ones, then every solution
        # found (one solve answers many questions; the audit asks only what is still open)
        self.seen: list[set[int]] = [{self.counts[k][f]} for k, f in self.vars]

    def feasible(self, var: int, lo: int, hi: int) -> bool:
        """Whether variable `var` can lie in lo..hi given everything published."""
        if lo > hi:
            return False
        if any(lo <= v <= hi for v in self.seen[var]):
            return True
        lower, upper = self.lower.copy(), self.upper.copy()
        lower[var], upper[var] = max(lo, 0), min(hi, self.big)
        if lower[var] > upper[var]:
            return False
        from scipy.optimize import Bounds, milp

        result = milp(
            np.zeros(self.size),
            integrality=np.ones(self.size),
            bounds=Bounds(lower, upper),
            constraints=self.constraints,
        )
        if result.status not in (0, 2):
            raise RuntimeError(f"the disclosure audit's solver did not finish: {result.message}")
        if result.status == 2:
            return False
        for i, x in enumerate(result.x[: self.n]):
            self.seen[i].add(round(x))
        return True

    def feasible_rows(self, coefs: dict[int, float], lo: float, hi: float) -> bool:
        """Whether one more linear condition can hold given everything published."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        row = np.zeros((1, self.size))
        for i, c in coefs.items():
            row[0, i] = c
        extra = LinearConstraint(row, [lo], [hi])
        together = [extra] if self.constraints is None else [self.constraints, extra]
        result = milp(
            np.zeros(self.size),
            integrality=np.ones(self.size),
            bounds=Bounds(self.lower, self.upper),
            constraints=together,
        )
        if result.status not in (0, 2):
            raise RuntimeError(f"the disclosure audit's solver did not finish: {result.message}")
        return bool(result.status == 0)

    def ratio_pinned(self, key: Key) -> bool:
        """A withheld percentage of 0% or 100% that no other value fits ("all of them")."""
        index = {v: i for i, v in enumerate(self.vars)}
        num, den = index.get((key, "numerator")), index.get((key, "denominator"))
        if num is None or den is None or key not in self.linked:
            return False
        n, d = self.counts[key]["numerator"], self.counts[key]["denominator"]
        if d > 0 and n == d:
            return not self.feasible_rows({num: 1, den: -1}, -self.big, -1)
        if d > 0 and n == 0:
            return not self.feasible_rows({num: 1}, 1, self.big)
        return False

    def findings(self, first: bool = False) -> list[Finding]:
        """Everything the intruder learns (`first`: stop at the first thing)."""
        found: list[Finding] = []
        for i, (key, field) in enumerate(self.vars):
            if first and found:
                return found
            if key not in self.linked:
                continue
            true = self.counts[key][field]
            if self.out[key] in (PRIMARY, UNSAID) and self.rule.disclosive(true):
                allowed = range(self.low, self.rule.threshold + 1)
                if any(v != true and not self.feasible(i, v, v) for v in allowed):
                    found.append(Finding(key, field, "narrowed"))
            elif not self.feasible(i, 0, true - 1) and not self.feasible(i, true + 1, self.big):
                found.append(Finding(key, field, "pinned"))
        if self.percent and not (first and found):
            found += [Finding(k, "value", "pinned") for k in self.out if self.ratio_pinned(k)]
        return found
