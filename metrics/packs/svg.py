"""Line charts for printed packs, drawn as SVG: vector in the PDF, no browser needed to draw
them, the same Okabe-Ito colours as the app. Our figures in a solid line with round markers,
England dashed, the aim as a dash-dot line, the region dotted with square markers and the
neighbour average dash-dot with triangles, a London borough's half of London (Inner or Outer
London) in long dashes (told apart without colour); direct labels at the right instead of a
legend.
A gap where a figure is missing or withheld. The chart's words and numbers also go into the
alt text and the table that follow it (the pack does that)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from metrics.publish.palette import (
    ENGLAND,
    GRID,
    NEIGHBOURS,
    OURS,
    REGION,
    SUB_REGION,
    TARGET,
    TEXT,
)

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 110, 28, 44
FONT = "DejaVu Sans, Arial, sans-serif"
# Room for the direct labels at the right, so that none is cut ("Wrenfield Coun"): a long
# label is wrapped at spaces into lines of at most LABEL_CHARS characters, and the margin
# widened for the longest line at BOLD_CHAR pixels a character (a bold 12 px DejaVu Sans
# letter is 7 to 8.6 px wide on average for words; capitals run wider, so a little spare).
LABEL_CHARS = 15
BOLD_CHAR = 8.6
LINE = 14  # px between a label's lines, and between labels


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
    unit: str = "",
    percent: bool = False,
    region: Sequence[float | None] | None = None,
    neighbours: Sequence[float | None] | None = None,
    sub_region: tuple[str, Sequence[float | None]] | None = None,
) -> str:
    """An SVG document (text) of the series; periods oldest first. `target`: one for the
    whole chart, or each period's (targets may change by year), drawn as steps. `unit` titles
    the y axis (e.g. "%", "weeks"); a `percent` axis never runs past 100. `region` and
    `neighbours`: the region's figures and the neighbour average (benchmarks); `sub_region`:
    a London borough's half of London, its name and figures."""
    targets = [target] * len(periods) if not isinstance(target, Sequence) else list(target)
    half_name, half = sub_region or ("", [])
    more = [*(region or []), *(neighbours or []), *half]
    values = [v for v in [*ours, *(england or []), *targets, *more] if v is not None]
    high = max(values, default=1.0)
    top = _nice_top(high * 1.05)
    if percent and high <= 100:
        top = min(top, 100.0)
    longest = max(len(line) for line in _wrapped(our_label))
    right = max(RIGHT, 8 + math.ceil(BOLD_CHAR * longest) + 4)
    plot_w, plot_h = WIDTH - LEFT - right, HEIGHT - TOP - BOTTOM
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
    if unit:  # the axis's unit, above its numbers
        parts.append(f'<text x="4" y="{TOP - 12}" fill="#333333">{escape(unit)}</text>')
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
            start = x(i) - (x(1) - x(0)) / 2 if i and n > 1 else x(i)
            end = x(i) + (x(1) - x(0)) / 2 if i < n - 1 else x(i)
            steps.append(f"{start:.1f},{y(t):.1f} {end:.1f},{y(t):.1f}")
        parts.append(
            f'<polyline points="{" ".join(steps)}" fill="none" stroke="{TARGET}" '
            'stroke-width="2" stroke-dasharray="8 3 2 3"/>'
        )
        last = next(t for t in reversed(targets) if t is not None)
        labels.append((y(last), "Aim", TEXT[TARGET]))
    for name, series, colour, dash, marker in (
        ("England", england, ENGLAND, "6 4", None),
        ("Region", region, REGION, "2 3", "square"),
        (half_name, half, SUB_REGION, "12 4", None),
        ("Neighbours", neighbours, NEIGHBOURS, "10 3 2 3", "triangle"),
    ):
        if series and any(v is not None for v in series):
            parts += _polyline(series, x, y, colour, dash, marker)
            last = next(v for v in reversed(series) if v is not None)
            labels.append((y(last), name, TEXT[colour]))
    parts += _polyline(ours, x, y, OURS, None, "circle")
    if any(v is not None for v in ours):
        last = next(v for v in reversed(ours) if v is not None)
        labels.append((y(last), our_label, TEXT[OURS]))
    for ypos, text, colour in _apart(labels):
        wrapped = _wrapped(text)
        lines = "".join(  # a space ends each line but the last: the label reads as one
            f'<tspan x="{LEFT + plot_w + 8}" dy="{LINE if k else 0}">{escape(line)}'
            f"{' ' if k < len(wrapped) - 1 else ''}</tspan>"
            for k, line in enumerate(wrapped)
        )
        parts.append(
            f'<text x="{LEFT + plot_w + 8}" y="{ypos + 4:.1f}" fill="{colour}" '
            f'font-weight="bold">{lines}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _polyline(values, x, y, colour: str, dash: str | None, marker: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per unbroken run of figures (a missing or withheld one leaves a gap), with a
    marker ("circle", "square", "triangle") at each figure."""
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
    for i, v in enumerate(values):
        if v is None or marker is None:
            continue
        cx, cy = x(i), y(v)
        if marker == "circle":
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
        elif marker == "square":
            out.append(
                f'<rect x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7" '
                f'fill="{colour}"/>'
            )
        else:
            out.append(
                f'<polygon points="{cx:.1f},{cy - 4.5:.1f} {cx + 4:.1f},{cy + 3:.1f} '
                f'{cx - 4:.1f},{cy + 3:.1f}" fill="{colour}"/>'
            )
    return out


def _wrapped(text: str) -> list[str]:
    """A label as lines of at most LABEL_CHARS characters, broken at spaces (a single longer
    word stays whole: the margin is widened for it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _apart(labels: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Direct labels moved apart so that none prints over another (a wrapped label takes
    a line's height for each line)."""
    placed: list[tuple[float, str, str]] = []
    for ypos, text, colour in sorted(labels):
        if placed:
            below = placed[-1][0] + LINE * len(_wrapped(placed[-1][1]))
            ypos = max(ypos, below)
        placed.append((ypos, text, colour))
    return placed
