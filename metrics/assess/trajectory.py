"""A trajectory: the chair's stepped targets to a goal, one per financial year ("70% in
2026-27, 75% in 2027-28, 80% by 2028-29"). While in force it is each year's target: the
status of every period in those years is judged against it, and the chart's target line
steps along it. Before its first year and after its goal year the charter's targets apply.

It works through the one Target concept: `applied` gives a charter whose indicators carry
the trajectory as their per-year targets (`Target.of(ind).for_period`), so nothing else
judges a figure against it. A change is a new version, audited in the same transaction
(who, when, the steps before and after, and why)."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, replace
from datetime import datetime

from charter import Charter, Indicator
from metrics.access.audit import record
from metrics.access.people import CHAIR, Actor, require
from metrics.access.writing import ReviewError, plain, writing
from metrics.assess.target import Target, fmt_target_value, with_year_targets
from metrics.periods.model import PeriodError, PeriodKind
from metrics.periods.text import parse_period
from metrics.store import outlook as stored
from metrics.store.connection import Connection, Store

MOST_STEPS = 10  # a decade of yearly steps is as far as a plan reaches
CHANGED = "trajectory set"


@dataclass(frozen=True)
class Trajectory:
    indicator: str
    version: int
    steps: tuple[tuple[str, float], ...]  # (financial year, target), oldest first
    reason: str
    set_by: str
    set_at: datetime

    @property
    def goal(self) -> tuple[str, float]:
        return self.steps[-1]

    def words(self, ind: Indicator) -> str:
        """ "70% in 2026-27, 75% in 2027-28, 80% by 2028-29 (the goal)"."""
        *before, (year, value) = self.steps
        parts = [f"{fmt_target_value(ind, v)} in {y}" for y, v in before]
        return ", ".join([*parts, f"{fmt_target_value(ind, value)} by {year} (the goal)"])


class TrajectoryError(ReviewError):
    """A trajectory that cannot be set; the message says why."""


def in_force(store: Store) -> dict[str, Trajectory]:
    """Every indicator's trajectory in force (none withdrawn)."""
    with store.connect() as con:
        return {t.indicator: t for t in _read(con)}


def _read(con: Connection) -> list[Trajectory]:
    out = []
    for ident, version, steps, reason, by, at in stored.trajectories(con):
        parsed = tuple((y, float(v)) for y, v in json.loads(steps).items())
        if parsed:  # no steps: withdrawn
            out.append(Trajectory(ident, version, parsed, reason, by, at))
    return out


def applied(charter: Charter, found: dict[str, Trajectory]) -> Charter:
    """The charter with each trajectory as its indicator's per-year targets (the charter's
    own for other years). The same charter when there is none: nothing is copied."""
    mine = {k: t for k, t in found.items() if k in charter.indicators}
    if not mine:
        return charter
    indicators = dict(charter.indicators)
    for ident, t in mine.items():
        indicators[ident] = with_year_targets(indicators[ident], t.steps)
    return replace(charter, indicators=indicators)


def check_steps(ind: Indicator, steps: dict[str, float]) -> tuple[tuple[str, float], ...]:
    """The steps in order, or TrajectoryError naming the first problem."""
    if not Target.of(ind).has_better_side:
        raise TrajectoryError(f"{ind.title} is a context measure: it has no target to step to.")
    if not 1 <= len(steps) <= MOST_STEPS:
        raise TrajectoryError(
            f"A trajectory has 1 to {MOST_STEPS} yearly steps (not {len(steps)})."
        )
    years = []
    for label, value in steps.items():
        try:
            year = parse_period(label, PeriodKind.FINANCIAL_YEAR)
        except PeriodError as err:
            raise TrajectoryError(
                f"{label!r} is not a financial year like 2026-27: {err}"
            ) from None
        if year.kind is not PeriodKind.FINANCIAL_YEAR:
            raise TrajectoryError(f"{label!r} is not a financial year like 2026-27.")
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise TrajectoryError(f"The target for {year.label} is not a number.")
        if value < 0 or (ind.unit == "percent" and value > 100):
            raise TrajectoryError(
                f"The target for {year.label} ({value}) is not a possible {ind.unit} figure."
            )
        years.append((year, float(value)))
    years.sort(key=lambda y: y[0].start)
    for (a, _), (b, _) in itertools.pairwise(years):
        if b.year != a.year + 1:
            raise TrajectoryError(
                f"A trajectory steps every year to its goal: {a.shift(1).label} is missing "
                f"between {a.label} and {b.label}."
            )
    return tuple((y.label, v) for y, v in years)


def save(
    store: Store,
    charter: Charter,
    actor: Actor,
    indicator: str,
    steps: dict[str, float],
    reason: str,
    now: datetime | None = None,
) -> Trajectory:
    """Set (or, with no steps, withdraw) an indicator's trajectory: the chair only."""
    require(actor, {CHAIR}, "set a trajectory")
    ind = charter.indicators.get(indicator)
    if ind is None:
        raise TrajectoryError(f"There is no indicator {indicator!r} in the charter.")
    why = plain(reason, "why the trajectory is set (or withdrawn)")
    ordered = check_steps(ind, steps) if steps else ()
    at = now or datetime.now()
    with writing(store, "this trajectory") as con:
        before = next((t for t in _read(con) if t.indicator == indicator), None)
        version = stored.trajectory_version(con, indicator) + 1
        text = json.dumps(dict(ordered))
        stored.add_trajectory(con, indicator, version, text, why, actor.label, at)
        after = Trajectory(indicator, version, ordered, why, actor.label, at)
        record(
            con, actor, CHANGED, f"indicator:{indicator}",
            f"{ind.title}: " + (after.words(ind) if ordered else "trajectory withdrawn")
            + f". Why: {why}",
            before=before.words(ind) if before else None,
            after=after.words(ind) if ordered else None, at=at,
        )  # fmt: skip
    return after


def with_trajectory(store: Store, charter: Charter, ind: Indicator) -> Indicator:
    """The indicator with its trajectory in force as its per-year targets."""
    found = in_force(store).get(ind.id)
    return applied(charter, {ind.id: found}).indicators[ind.id] if found else ind
