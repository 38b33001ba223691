"""An indicator's target and polarity as one concept: what it aims at, which way is better.

Everything that asks "what is the target for this period?", "does this figure meet it?",
"is this change an improvement?", "which council is best?" or "how do we say the aim?"
asks a `Target`, made once from the charter's indicator by `Target.of(ind)`. The charter
model (charter/models.py) holds the raw fields (`target`, `targets`, `tolerance`,
`polarity`); nothing outside this module and the charter reads them (a test greps for it:
tests/unit/test_target.py), so a new kind of target (a band, say) changes here.

Polarity is one enum-like value: `Polarity.HIGHER`, `Polarity.LOWER`, `Polarity.NEUTRAL`
(a context indicator: no better side, never a target). It is a `str` enum equal to the
charter's words ("higher_is_better"), and also accepts the short words SPC and the command
line use ("higher", "lower", "neutral").
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from metrics.periods.model import Period, PeriodKind
from metrics.rounding import round_half_up
from metrics.words.narrative import fmt_value, trivial

if TYPE_CHECKING:
    from charter import Indicator

T = TypeVar("T")


class Polarity(StrEnum):
    """Which way is better."""

    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"
    NEUTRAL = "neutral"  # context only: no better side

    @classmethod
    def _missing_(cls, value: object) -> Polarity | None:
        """The short words (SPC's, the command line's): "higher", "lower"."""
        return next((p for p in cls if p.short == value), None)

    @property
    def short(self) -> str:
        """The short word: higher | lower | neutral (SPC's and the `spc` command's)."""
        return {"higher_is_better": "higher", "lower_is_better": "lower"}.get(self, "neutral")

    @property
    def words(self) -> str:
        """Which way is better, as the indicator page says it."""
        return {
            "higher_is_better": "higher is better",
            "lower_is_better": "lower is better",
        }.get(self, "neither: context only")

    @property
    def has_better_side(self) -> bool:
        return self is not Polarity.NEUTRAL

    def is_better(self, a: float, b: float) -> bool:
        """Is `a` strictly better than `b`? Never, for a context indicator."""
        if self is Polarity.HIGHER:
            return a > b
        if self is Polarity.LOWER:
            return a < b
        return False

    def improvement(self, change: float) -> bool | None:
        """Is a signed change (now - then) an improvement? None when there is no better
        side or no change."""
        if self is Polarity.NEUTRAL or change == 0:
            return None
        return (change > 0) == (self is Polarity.HIGHER)

    def best_first(self, items: Iterable[T], key: Callable[[T], float]) -> list[T]:
        """Items sorted best first (highest first unless lower is better; a context
        indicator's highest first too, as every ranking table has shown it)."""
        return sorted(items, key=key, reverse=self is not Polarity.LOWER)

    def ranks(self, values: Sequence[float]) -> list[int]:
        """Each value's rank, 1 the best; ties take the lowest rank (R's ties.method "min",
        as LAIT ranks). A context indicator ranks highest first."""
        ordered = sorted(values)
        if self is Polarity.LOWER:  # 1 + how many are strictly better (lower)
            return [bisect.bisect_left(ordered, v) + 1 for v in values]
        return [len(ordered) - bisect.bisect_right(ordered, v) + 1 for v in values]


@dataclass(frozen=True)
class Target:
    """An indicator's aim: a value (standing, and per financial year where the planning
    group changed it), how far short still counts as "at risk", and which way is better.

    A value is a level to reach (at least it, or at most it, by polarity). A band (on track
    between two values) would be a second kind here: see docs/target-band-change.md."""

    polarity: Polarity
    value: float | None = None  # the standing target; applies to years not in `by_year`
    by_year: tuple[tuple[str, float], ...] = ()  # ("2026-27", 85.0): a year's own target
    tolerance: float | None = None  # how far short of the target is "at risk", not "off"

    @classmethod
    def of(cls, ind: Indicator) -> Target:
        """The single way in: the target of a charter indicator."""
        return cls(
            Polarity(ind.polarity),
            ind.target,
            tuple(sorted(ind.targets.items())),
            ind.tolerance,
        )

    # -- which way is better ---------------------------------------------------------------

    @property
    def has_better_side(self) -> bool:
        """False for a context indicator (neutral): no target, no ranking, no verdict."""
        return self.polarity.has_better_side

    def is_better(self, a: float, b: float) -> bool:
        return self.polarity.is_better(a, b)

    def improvement(self, change: float) -> bool | None:
        return self.polarity.improvement(change)

    def best_first(self, items: Iterable[T], key: Callable[[T], float]) -> list[T]:
        return self.polarity.best_first(items, key)

    def direction(self, now: float | None, then: float | None, decimals: int) -> str | None:
        """The direction of travel from `then` to `now`, both rounded as published:
        improving | worsening | no_change, or increased | decreased with no better side."""
        if now is None or then is None:
            return None
        delta = round_half_up(now, decimals) - round_half_up(then, decimals)
        if abs(delta) < 10 ** -(decimals + 3):
            return "no_change"
        better = self.improvement(delta)
        if better is None:
            return "increased" if delta > 0 else "decreased"
        return "improving" if better else "worsening"

    # -- the target for a period -----------------------------------------------------------

    @property
    def is_set(self) -> bool:
        """A target is set, standing or for some year."""
        return self.value is not None or bool(self.by_year)

    def for_period(self, period: Period) -> float | None:
        """The target in force for a period: its financial year's own, else the standing one."""
        year = Period.containing(period.start, PeriodKind.FINANCIAL_YEAR).label
        return dict(self.by_year).get(year, self.value)

    def in_force(self, period: Period) -> float | None:
        """The target a figure for `period` is judged against: none for a context indicator."""
        return self.for_period(period) if self.has_better_side else None

    def line(self, periods: Sequence[Period]) -> list[float | None]:
        """The target to draw for each period of a chart (it steps where a year's own
        starts); empty for a context indicator, which has none to draw."""
        return [self.for_period(p) for p in periods] if self.has_better_side else []

    # -- does a figure meet it -------------------------------------------------------------

    def gap(self, value: float, target: float) -> float:
        """How far past the target a figure is, in the better direction (negative: short)."""
        return value - target if self.polarity is Polarity.HIGHER else target - value

    def meets(self, value: float, target: float) -> bool:
        return self.gap(value, target) >= 0

    def within_tolerance(self, value: float, target: float) -> bool:
        """Short of the target by no more than the tolerance (or meets it)."""
        return -self.gap(value, target) <= (self.tolerance or 0.0)

    def status(self, value: float, target: float) -> str:
        """on_track when the figure meets the target in force, at_risk when it is short by
        no more than the tolerance, else off_track."""
        if self.meets(value, target):
            return "on_track"
        return "at_risk" if self.within_tolerance(value, target) else "off_track"

    def assess(self, value: float, period: Period) -> str:
        """The status of a figure for `period`: no_target without a target in force."""
        target = self.in_force(period)
        return "no_target" if target is None else self.status(value, target)

    # -- words -----------------------------------------------------------------------------

    def shown(self, target: float, number: Callable[[float], str]) -> str:
        """The target in force as words, from how the indicator shows a number: "75%".
        (Every page, pack and CSV says a target through this, `fmt_target_value` below.)"""
        return number(target)

    @property
    def aim_side(self) -> str:
        """ "or more" / "or less": the side of the target that meets it ("85% or more")."""
        return "or more" if self.polarity is Polarity.HIGHER else "or less"

    def aim_words(self, shown: str) -> str:
        """The aim as a resident reads it, from the target as shown: "85% or more"."""
        return f"{shown} {self.aim_side}"

    def words(self, shown: str) -> str:
        """The aim in words from the target as shown: "at least 75%", "at most 12 days"."""
        return f"{'at least' if self.polarity is Polarity.HIGHER else 'at most'} {shown}"

    @property
    def out_of_reach(self) -> str:
        """Where a target the process cannot deliver lies: "above" it when higher is better."""
        return "above" if self.polarity is Polarity.HIGHER else "below"


def with_year_targets(ind: Indicator, years: Sequence[tuple[str, float]]) -> Indicator:
    """The indicator with `years`' own targets ((financial year, target) pairs: a chair's
    trajectory, metrics/assess/trajectory.py) in force over those the charter gives it."""
    return ind.model_copy(update={"targets": {**ind.targets, **dict(years)}})


# -- the target in words (every page, pack and CSV says a target through these) ----------


def fmt_target(ind: Indicator) -> str:
    """The standing target as words ("70%")."""
    return fmt_target_value(ind, Target.of(ind).value)


def fmt_target_value(ind: Indicator, target: float | None) -> str:
    """A target as words ("75%"): the one in force for a period (targets may change by
    year, `Target.for_period`), "–" when none."""
    if target is None:
        return "–"

    def number(value: float) -> str:  # a whole target without decimals: "75%", not "75.0%"
        decimals = 0 if float(value).is_integer() else ind.decimals
        return fmt_value(value, ind.model_copy(update={"decimals": decimals}))

    return Target.of(ind).shown(target, number)


def target_runs(ind: Indicator, targets: Sequence[tuple[str, float | None]]) -> str:
    """The target in force over (period, target) pairs, oldest first, in words: "70%" when
    one throughout, else each year's: "70% (2024-25 Q1 to 2025-26 Q4), 75% (2026-27 Q1 to
    2026-27 Q2)". Empty when there is none."""
    runs: list[tuple[float, str, str]] = []
    for period, target in targets:
        if target is None:
            continue
        if runs and runs[-1][0] == target:
            runs[-1] = (target, runs[-1][1], period)
        else:
            runs.append((target, period, period))
    if len({t for t, _, _ in runs}) <= 1:
        return fmt_target_value(ind, runs[0][0]) if runs else ""
    return ", ".join(
        f"{fmt_target_value(ind, t)} ({first}" + (f" to {last})" if last != first else ")")
        for t, first, last in runs
    )


def targets_words(ind: Indicator) -> str:
    """The standing target and any year's own: "80% (2026-27: 85%)"."""
    years = "; ".join(f"{year}: {fmt_target_value(ind, t)}" for year, t in Target.of(ind).by_year)
    return fmt_target(ind) + (f" ({years})" if years else "")


def compared_with(ind: Indicator, ours: float, theirs: float, name: str) -> str:
    """Our figure beside another with no statistical test, read the right way round:
    "higher than England (31.5 per 1,000), which is worse (lower is better)", or "about the
    same as England (31.5 per 1,000)" when the gap is trivial."""
    shown = fmt_value(theirs, ind)
    if trivial(ind, ours, theirs):
        return f"about the same as {name} ({shown})"
    side = "higher" if ours > theirs else "lower"
    polarity = Target.of(ind).polarity  # read the right way round
    if not polarity.has_better_side:
        return f"{side} than {name} ({shown})"
    best = polarity.short  # "higher" or "lower"
    verdict = "better" if side == best else "worse"
    return f"{side} than {name} ({shown}), which is {verdict} ({best} is better)"
