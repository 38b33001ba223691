"""Axes for the line charts: periods placed by position, ticks that fit, a y range that fits
the data (and says so), and direct labels that never print over each other.

Periods are placed at positions 0..n-1 with the labels as tick text: Plotly reads
category labels such as "2021" as numbers and drew a five-year series as one clump at the
left edge. At most MAX_TICKS labels are written (the latest always), so a phone's narrow
chart stays legible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ui.figspec import Spec

MAX_TICKS = 4  # few enough to sit flat, side by side, on a 390 px phone
LABEL_GAP = 0.07  # of the y range: the least distance between two end labels


def period_axis(fig: Spec, periods: Sequence[str]) -> list[int]:
    """Put the x axis in period order; returns the x positions to plot at."""
    n = len(periods)
    step = max(1, math.ceil(n / MAX_TICKS))
    ticks = sorted(range(n - 1, -1, -step))
    fig.xaxis(
        type="linear",
        tickmode="array",
        tickvals=ticks,
        ticktext=[periods[i].replace(" ", "<br>", 1) for i in ticks],  # narrow: two lines
        range=[-0.5, n - 0.5],
        zeroline=False,
        tickangle=0,
    )
    return list(range(n))


def fitted_range(
    values: Iterable[float | None], percent: bool = False, count: bool = False
) -> tuple[float, float]:
    """A y range around the data (and target, limits: whatever is passed) with a margin;
    counts start at zero, percentages stay within 0-100."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return (0.0, 1.0)
    low, high = min(known), max(known)
    pad = max((high - low) * 0.12, abs(high) * 0.02, 0.5)
    low, high = low - pad, high + pad
    if count or low < 0 <= min(known):
        low = 0.0
    if percent:
        low, high = max(low, 0.0), min(high, 100.0)
    return (low, high)


def range_words(low: float, high: float, unit: str) -> str:
    suffix = "%" if unit == "%" else f" {unit}" if unit else ""
    return f"axis {low:,.0f}{suffix} to {high:,.0f}{suffix}"


def short_name(name: str, limit: int = 14) -> str:
    """A direct label short enough for a phone's margin: 'Wrenfield Council (demo)' ->
    'Wrenfield'."""
    name = name.replace(" (demo)", "")
    return name if len(name) <= limit else name.split()[0][:limit]


def wrap(text: str, width: int = 42) -> str:
    """Plotly does not wrap titles: break long ones into lines for narrow screens."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) or text


def dodge(ys: Sequence[float], span: float) -> list[float]:
    """End-label positions at least LABEL_GAP x span apart, as near their points as can be."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [0.0] * len(ys)
    gap = LABEL_GAP * span
    previous = -math.inf
    for i in order:
        placed[i] = max(ys[i], previous + gap)
        previous = placed[i]
    return placed
