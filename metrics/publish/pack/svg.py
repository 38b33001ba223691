"""Line charts for printed packs, drawn as SVG: vector in the PDF, no browser needed to draw
them, the same Okabe-Ito colours as the app. Our figures in a solid line with markers,
England dashed, the aim as a dash-dot line; direct labels at the right instead of a legend.
A gap where a figure is missing or withheld. The chart's words and numbers also go into the
alt text and the table that follow it (the pack does that)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from metrics.publish.palette import ENGLAND, GRID, OURS, TARGET, TEXT

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 110, 16, 44
FONT = "DejaVu Sans, Arial, sans-serif"


def _nice_top(high: float) -> float:
    """A round number at or above `high` for the top of the y axis."""
    if high <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(high))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= high:
            return float(step * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def line_chart(
    periods: Sequence[str],
    ours: Sequence[float | None],
    england: Sequence[float | None] | None = None,
    target: float | Sequence[float | None] | None = None,
    our_label: str = "Us",
) -> str:
    """An SVG document (text) of the series; periods oldest first. `target`: one for the
    whole chart, or each period's (targets may change by year), drawn as steps."""
    targets = [target] * len(periods) if not isinstance(target, Sequence) else list(target)
    values = [v for v in [*ours, *(england or []), *targets] if v is not None]
    top = _nice_top(max(values, default=1.0) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(periods)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    for k in range(5):  # gridlines and y labels
        v = top * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#333333">'
            f"{_number(v)}</text>"
        )
    step = max(1, math.ceil(n / 6))
    for i in sorted(range(n - 1, -1, -step)):  # x labels, the latest always
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="#333333">{escape(periods[i])}</text>'
        )
    labels: list[tuple[float, str, str]] = []
    in_force = {t for t in targets if t is not None}
    if len(in_force) == 1:
        (aim,) = in_force
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(aim):.1f}" y2="{y(aim):.1f}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 3 2 3"/>'
        )
        labels.append((y(aim), "Aim", TEXT[TARGET]))
    elif in_force:  # each period's aim, stepping half way between periods where it changes
        steps = []
        for i, t in enumerate(targets):
            if t is None:
                continue
            left = x(i) - (x(1) - x(0)) / 2 if i and n > 1 else x(i)
            right = x(i) + (x(1) - x(0)) / 2 if i < n - 1 else x(i)
            steps.append(f"{left:.1f},{y(t):.1f} {right:.1f},{y(t):.1f}")
        parts.append(
            f'<polyline points="{" ".join(steps)}" fill="none" stroke="{TARGET}" '
            'stroke-width="2" stroke-dasharray="8 3 2 3"/>'
        )
        last = next(t for t in reversed(targets) if t is not None)
        labels.append((y(last), "Aim", TEXT[TARGET]))
    if england and any(v is not None for v in england):
        parts += _polyline(england, x, y, ENGLAND, "6 4", markers=False)
        last = next(v for v in reversed(england) if v is not None)
        labels.append((y(last), "England", TEXT[ENGLAND]))
    parts += _polyline(ours, x, y, OURS, None, markers=True)
    if any(v is not None for v in ours):
        last = next(v for v in reversed(ours) if v is not None)
        labels.append((y(last), our_label, TEXT[OURS]))
    for ypos, text, colour in _apart(labels):
        parts.append(
            f'<text x="{LEFT + plot_w + 8}" y="{ypos + 4:.1f}" fill="{colour}" '
            f'font-weight="bold">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _polyline(values, x, y, colour: str, dash: str | None, markers: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per unbroken run of figures (a missing or withheld one leaves a gap)."""
    out, run = [], []
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    for i, v in enumerate([*values, None]):
        if v is not None:
            run.append(f"{x(i):.1f},{y(v):.1f}")
            continue
        if len(run) > 1:
            out.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dashes}/>'
            )
        run = []
    if markers:
        out += [
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>'
            for i, v in enumerate(values)
            if v is not None
        ]
    return out


def _apart(labels: list[tuple[float, str, str]], gap: float = 14) -> list[tuple[float, str, str]]:
    """Direct labels moved apart so that none prints over another."""
    placed: list[tuple[float, str, str]] = []
    for ypos, text, colour in sorted(labels):
        if placed and ypos - placed[-1][0] < gap:
            ypos = placed[-1][0] + gap
        placed.append((ypos, text, colour))
    return placed
