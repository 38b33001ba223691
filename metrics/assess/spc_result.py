"""What an SPC chart comes to: its points, the phases its limits were worked out over (a
`rebase` starts a new one), and the verdict. The calculation is metrics/assess/spc.py."""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_VERDICT = 6  # fewer figures than this (since a restart): no variation or assurance verdict


@dataclass
class SpcPoint:
    period: str
    value: float
    mean: float
    lower_limit: float
    upper_limit: float
    special_cause: str = "none"  # none | improvement | concern | neutral
    rule: str | None = None  # astronomical | trend | two_of_three | shift


@dataclass(frozen=True)
class SpcPhase:
    """One segment of an XmR chart: the periods it covers, its centre line and limits."""

    first: str
    last: str
    mean: float
    lower_limit: float
    upper_limit: float
    trial_limits: bool  # worked out from fewer than 12 figures (spc.MIN_POINTS)


@dataclass
class SpcResult:
    mean: float
    lower_limit: float
    upper_limit: float
    trial_limits: bool
    variation: str  # common_cause | improvement | concern | neutral
    assurance: str | None  # pass | fail | hit_or_miss | None (no target)
    points: list[SpcPoint] = field(default_factory=list)
    chart: str = "xmr"  # xmr | p
    since_restart: int | None = None  # figures since the latest `rebase`; None: no restart
    # Each segment's own centre line and limits, in order (more than one after a `rebase`);
    # empty for a p-chart, whose limits differ at every point.
    phases: list[SpcPhase] = field(default_factory=list)

    @property
    def too_few_since_restart(self) -> bool:
        """The limits were restarted and the new segment has fewer figures than the rules
        need: its limits (zero-wide from one figure) support no verdict."""
        return self.since_restart is not None and self.since_restart < MIN_VERDICT

    def no_verdict(self) -> str | None:
        """Why there is no SPC verdict, in words, or None when there is one."""
        if not self.too_few_since_restart:
            return None
        return f"too few figures since the restart ({self.since_restart} of {MIN_VERDICT})"

    def as_json(self) -> dict[str, object]:
        withheld = self.too_few_since_restart
        return {
            "chart": self.chart,
            "mean": self.mean,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "trial_limits": self.trial_limits,
            "variation": None if withheld else self.variation,
            "assurance": None if withheld else self.assurance,
            "points": [
                {
                    "period": p.period,
                    "value": p.value,
                    "mean": p.mean,
                    "lower_limit": p.lower_limit,
                    "upper_limit": p.upper_limit,
                    "special_cause": p.special_cause,
                    "rule": p.rule,
                }
                for p in self.points
            ],
        } | (  # only for a restarted chart: how many figures since, and why no verdict
            {"since_restart": self.since_restart, "no_verdict": self.no_verdict()}
            if self.since_restart is not None
            else {}
        )
