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

from collections.abc import Iterable
from functools import lru_cache

from metrics.publish import audit_cache
from metrics.publish.disclosure import SECONDARY, TOTAL, UNSAID, Figure, Rule, withhold
from metrics.publish.intruder import Finding, Key, Model, count_fields

__all__ = ["Finding", "audited", "count_fields", "findings", "protect"]


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
    kept = audit_cache.read(name)
    if kept is not None and _withholds_at_least(
        kept, figures, rule, value_is_count, multiplier, also
    ):
        return kept
    answer = audited(figures, rule, value_is_count, multiplier, dict(also))
    audit_cache.write(name, answer)
    return answer


def _withholds_at_least(
    kept: dict[Key, str],
    figures: tuple[Figure, ...],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None,
    also: tuple[tuple[Key, str], ...],
) -> bool:
    """Whether an answer kept on disk withholds every figure the rule itself withholds first
    (its small numbers and their first protection) and every one withheld for another
    reason: a kept answer that withholds less is not believed (cheap, no solving; the audit's
    further secondaries cannot be checked without solving again)."""
    first = withhold(list(figures), rule, value_is_count, multiplier)
    return all(k in kept for k in first) and all(k in kept for k, _ in also)


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
    # In one order whatever the store's: which further figure is withheld is the first the
    # intruder model finds, so figures read in another order (PostgreSQL's against DuckDB's)
    # withheld other cells, and the two publications together gave a small number away.
    figures = sorted(figures, key=lambda f: f.key)
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
