"""The disclosure audit: what an intruder could work out about each withheld figure from
everything published beside it, found by integer programming (SciPy's `milp`, i.e. HiGHS), as
tau-ARGUS audits a suppression pattern. Written on SciPy because HiGHS solves these small
integer programs exactly and is well kept; only the model (which equations and bounds a
reader knows) is ours.

One table is one indicator's figures for one period: the whole figure and every breakdown,
published together. What the intruder knows, and the model says:
- every published count exactly (numerators, denominators, counts; a numerator missing from
  a published percentage is worked out from it and its denominator);
- the groups of a breakdown add up to the total (only where the real figures do, else the
  intruder's equation would be wrong and pin nothing true); where they add up to less (a
  breakdown that is not exhaustive, `Breakdown.exhaustive` false: a group such as "not
  known" is not published), they are at most the total, and each group is at most the total
  whatever the breakdown (groups that overlap included). Each relation is used where the
  real figures satisfy it, whatever the charter says of the breakdown: an intruder who
  assumes one only learns the truth from it, and a stricter audit is the safe side;
- counts are whole numbers, none is negative, a percentage's numerator is at most its
  denominator;
- the printed rule and reason: a figure withheld as a small number has at least one count
  from 1 (0 when zeros are withheld) to the threshold; a figure withheld to protect another
  has no count in that range (else it would be a small number itself).

Protected means: every small count of a primary figure can still be every value the rule
allows, and no other withheld count is pinned to one value (`findings` is empty). `protect`
adds secondary suppressions, smallest first, until it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from metrics.publish import audit_cache
from metrics.publish.disclosure import (
    PRIMARY,
    REVISED,
    SECONDARY,
    TOTAL,
    UNSAID,
    Figure,
    Rule,
    withhold,
)

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


def findings(
    figures: Iterable[Figure],
    out: dict[Key, str],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None = None,
    first: bool = False,
) -> list[Finding]:
    """What an intruder learns beyond the printed rule about the figures withheld in `out`
    (`first`: whether it learns anything, and one thing it learns)."""
    if not out:
        return []
    return Model(list(figures), out, rule, value_is_count, multiplier).findings(first)


def _size(counts: dict[str, int]) -> int:
    return counts.get("numerator", counts.get("value", counts.get("denominator", 0)))


def protect(
    figures: Iterable[Figure],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None = None,
    also: dict[Key, str] | None = None,
) -> dict[Key, str]:
    """`audited`, remembered per table: a table audited once (same figures, same rule) is
    not audited again, so pages and packs read after an upload audit only what it changed;
    in this process (a memo) and in any other (`audit_cache`, on disk)."""
    key = (tuple(figures), rule, value_is_count, multiplier, tuple(sorted((also or {}).items())))
    return dict(_remembered(*key))


@lru_cache(maxsize=8192)
def _remembered(
    figures: tuple[Figure, ...],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None,
    also: tuple[tuple[Key, str], ...],
) -> dict[Key, str]:
    name = audit_cache.key_of((figures, rule, value_is_count, multiplier, also))
    if (kept := audit_cache.read(name)) is not None:
        return kept
    answer = audited(figures, rule, value_is_count, multiplier, dict(also))
    audit_cache.write(name, answer)
    return answer


def audited(
    figures: Iterable[Figure],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None = None,
    also: dict[Key, str] | None = None,
) -> dict[Key, str]:
    """The figures of one table to withhold, and why, audited: small numbers, the figures
    `withhold` chooses to protect them, and further secondaries (the smallest figure of a
    breakdown an intruder narrows a withheld one through, then of any) until the audit finds
    nothing. Where the reasons themselves narrow a figure down (a small total whose every
    group is withheld: "withheld so that..." beside it says those groups are 0 or more than
    the threshold), every withheld figure of the table gets one reason, `UNSAID`, instead;
    that is tried before withholding more. Should everything be withheld and the audit still
    find something, everything is withheld with one reason (fails closed). `also`: figures
    withheld for another reason (revised by a small number), protected in the same way."""
    figures = list(figures)
    out = withhold(figures, rule, value_is_count, multiplier)
    for k, why in (also or {}).items():
        out.setdefault(k, why)
    while out:
        found = findings(figures, out, rule, value_is_count, multiplier, first=True)
        if not found:
            break
        unsaid = dict.fromkeys(out, UNSAID)
        if not findings(figures, unsaid, rule, value_is_count, multiplier, first=True):
            return unsaid
        counts = {f.key: count_fields(f, value_is_count, multiplier) for f in figures}
        near = {f.key[0] for f in found}
        open_ = [f.key for f in figures if f.key not in out]
        if not open_:
            return unsaid
        ranked = sorted(
            open_,
            key=lambda k: (
                k == (TOTAL, TOTAL),
                not (k[0] in near or TOTAL in near),
                _size(counts[k]) == 0,
                _size(counts[k]),
                k,
            ),
        )
        out[ranked[0]] = SECONDARY
    return out
