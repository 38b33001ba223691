"""Disclosure control: the one place that decides which figures about disabled children may be
published. Used for every pack and export meant for publication and for everything the
councillor role sees; analysts and planning-group members see the real figures, marked "not
for publication" where they would be withheld.

The rule (also stated in the Help page and every pack, from `Rule.words`):
- **Primary**: a count from 1 to the council's threshold (`suppression_threshold`; zero too when
  `suppress_zero`) is withheld. Counts are numerators, denominators and values of count
  indicators; a numerator missing from a percentage or rate is worked out from its value and
  denominator first.
- **Whole figure**: when any count in a figure is withheld, so are its value, numerator and
  denominator, so that nothing built on the small count (a percentage and its denominator)
  gives it back.
- **Secondary**: within one period, a total and the groups of a breakdown add up. Where exactly
  one figure of a breakdown (its groups and the total) is withheld, it could be worked out by
  subtraction, so a second one is withheld too: the smallest other group that is not zero (a
  zero gives nothing away), or else the total. Breakdowns share the total, so this repeats
  until no breakdown has exactly one withheld figure. `withhold` is this first pattern;
  `metrics/publish/audit.py` then audits it by integer programming and adds secondaries until
  no withheld figure can be narrowed (`audit.protect`, what everything published uses).
- **Rounding** (`method: round to 5`, a council setting): counts are published rounded to the
  nearest 5 instead, percentages worked out from the rounded counts.

Across periods: see `metrics/publish/periods.py` (which publications could be differenced).
Not covered, and said so: figures published elsewhere by others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

SYMBOL = "c"  # the GSS shorthand, written [c]
PRIMARY = "small number"
SECONDARY = "withheld so that a small number cannot be worked out"
# Where saying which figure is the small one would itself give it away (the audit finds the
# reasons narrow it), every withheld figure of the table gets this one reason instead.
UNSAID = "withheld to protect children's privacy"
REVISED = "revised by a small number after it was published"  # metrics/publish/periods.py
NOT_FOR_PUBLICATION = "not for publication"

TOTAL = ""  # the breakdown and group of a total


SUPPRESS = "suppress"
ROUND = "round to 5"
METHODS = (SUPPRESS, ROUND)
BASE = 5  # rounding publishes counts to the nearest 5


@dataclass(frozen=True)
class Rule:
    """The council's disclosure rule: suppression (the default) or rounding to the nearest 5.
    Any other method is refused here, so a mistake in the setting never publishes a figure."""

    threshold: int
    suppress_zero: bool = False
    method: str = SUPPRESS

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(
                f"disclosure method {self.method!r} is not one of {', '.join(METHODS)}"
            )
        if self.threshold < 0:
            raise ValueError("the suppression threshold cannot be negative")

    @property
    def rounds(self) -> bool:
        return self.method == ROUND

    def disclosive(self, count: float | None) -> bool:
        if count is None:
            return False
        return (0 if self.suppress_zero else 1) <= round(count) <= self.threshold and count >= 0

    def few(self, answered: int) -> bool:
        """A survey answered by this few is withheld (a share of a handful points to a
        family), whichever method the council uses."""
        return answered <= self.threshold

    def rounded(self, count: float) -> int:
        """A count as published under rounding: to the nearest 5, halves up (7.5 is never
        met: counts are whole)."""
        return int((count + BASE / 2) // BASE * BASE)

    @property
    def words(self) -> str:
        if self.rounds:
            return (
                f"To protect children's privacy, every count we publish is rounded to the "
                f"nearest {BASE} (so 0 may stand for 1 or 2), and a percentage or rate is "
                "worked out from the rounded counts; a figure whose rounded denominator is 0, or "
                "that was withheld by whoever supplied it, is shown as [c]. A survey answered by "
                f"{self.threshold} people or fewer is shown as [c]. Statuses, changes, ranks and "
                "comparisons are worked out on the real figures."
            )
        zero = "Zero is withheld too. " if self.suppress_zero else "Zero is not withheld. "
        return (
            f"To protect children's privacy, counts from 1 to {self.threshold} are not "
            f"published and are shown as [c]. {zero}A percentage or rate built on such a count, "
            "and its numerator and denominator, are withheld with it. Where a withheld figure "
            "could be worked out or narrowed down from what is published beside it (a total "
            "and the other groups of every breakdown, whole numbers, the reason given), other "
            "figures are withheld as well, also shown as [c]: each table is checked with an "
            "integer-programming audit so that a withheld small number could still be any "
            "number the rule allows and no withheld figure can be worked out. Nothing worked "
            "out from a withheld figure (its status, change, direction, rank, quartile, "
            "comparison with England or place on a chart) is published either, and a figure "
            "revised by a small number after it was published is withheld from then on. A "
            f"survey answered by {self.threshold} people or fewer is shown as [c]."
        )


@dataclass(frozen=True)
class Figure:
    """One figure of one period: the total (breakdown and group "") or one group's."""

    breakdown: str
    group: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    symbol: str | None = None  # "c": already withheld by whoever supplied it

    @property
    def key(self) -> tuple[str, str]:
        return (self.breakdown, self.group)


def counts(f: Figure, value_is_count: bool, multiplier: float | None) -> list[float]:
    """The counts a figure publishes or gives away."""
    found = [c for c in (f.numerator, f.denominator) if c is not None]
    if value_is_count and f.value is not None:
        found.append(f.value)
    if f.numerator is None and multiplier and f.value is not None and f.denominator:
        found.append(f.value * f.denominator / multiplier)
    return found


def _size(f: Figure, value_is_count: bool) -> float:
    """What "smallest" means when choosing a secondary: the count the figure is built on."""
    if f.numerator is not None:
        return f.numerator
    if value_is_count and f.value is not None:
        return f.value
    return f.denominator if f.denominator is not None else float("inf")


def withhold(
    figures: Iterable[Figure],
    rule: Rule,
    value_is_count: bool,
    multiplier: float | None = None,
) -> dict[tuple[str, str], str]:
    """Which figures of one period to withhold, and why: (breakdown, group) -> reason.

    `figures` are one indicator's figures for one period: the total and every group of every
    breakdown. `value_is_count`: the indicator's unit is a count; `multiplier`: 100 for a
    percentage, 1000 for a rate per 1,000 (None when the value is not a ratio)."""
    figures = list(figures)
    out: dict[tuple[str, str], str] = {}
    for f in figures:
        if f.symbol == SYMBOL or any(
            rule.disclosive(c) for c in counts(f, value_is_count, multiplier)
        ):
            out[f.key] = PRIMARY
    total = next((f for f in figures if f.key == (TOTAL, TOTAL)), None)
    families: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.breakdown != TOTAL:
            families[f.breakdown].append(f)
    changed = True
    while changed:
        changed = False
        for groups in families.values():
            members = groups + ([total] if total is not None else [])
            if total is None or sum(m.key in out for m in members) != 1:
                continue  # without a total, groups do not add up to anything published
            candidates = sorted(
                (g for g in groups if g.key not in out and _size(g, value_is_count) != 0),
                key=lambda g: (_size(g, value_is_count), g.group),
            )
            chosen = candidates[0] if candidates else total
            if chosen.key in out:  # only zeros left and the total already withheld
                chosen = next(g for g in groups if g.key not in out)
            out[chosen.key] = SECONDARY
            changed = True
    return out
