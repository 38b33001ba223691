"""A focus chart for printed packs, drawn as SVG (as metrics/packs/svg.py's line charts): one
horizontal bar a council, in the order given (best first), every council named at the left
and its value at the bar's end (direct labels, no legend). Ours in the house colour, named in
bold with "(ours)", so it stands out without colour; the others grey. Every piece of text is
escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from metrics.packs.svg import FONT, _nice_top, _number
from metrics.publish.palette import GRID, OURS, TEXT

WIDTH = 640
ROW, TOP, BOTTOM, VALUE_ROOM = 22, 30, 34, 64
GREY = "#8C8C8C"  # 3.4:1 on white: a bar still reads as a shape (WCAG 1.4.11)
CHAR = 7.4  # px a character of an 11 px bold DejaVu Sans name, with a little spare


@dataclass(frozen=True)
class Bar:
    name: str
    value: float
    label: str  # the value as written ("14.7")
    ours: bool


def focus_chart(bars: Sequence[Bar], unit: str = "", percent: bool = False) -> tuple[str, int]:
    """An SVG document (text) of the bars and its height in pixels (one row a council)."""
    names = [f"{b.name} (ours)" if b.ours else b.name for b in bars]
    left = 12 + math.ceil(CHAR * max((len(n) for n in names), default=4))
    width = max(WIDTH, left + 300 + VALUE_ROOM)
    height = TOP + ROW * max(len(bars), 1) + BOTTOM
    high = max((b.value for b in bars), default=1.0)
    top = _nice_top(high * 1.05)
    if percent and high <= 100:
        top = min(top, 100.0)
    plot_w = width - left - VALUE_ROOM

    def x(v: float) -> float:
        return left + plot_w * max(v, 0.0) / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    bottom = TOP + ROW * max(len(bars), 1)
    for k in range(5):  # gridlines and x labels
        v = top * k / 4
        parts.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{TOP}" y2="{bottom}" stroke="{GRID}" '
            f'stroke-width="1"/><text x="{x(v):.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'fill="#333333">{_number(v)}</text>'
        )
    if unit:
        parts.append(
            f'<text x="{left + plot_w}" y="{bottom + 30}" text-anchor="end" fill="#333333">'
            f"{escape(unit)}</text>"
        )
    for i, (bar, name) in enumerate(zip(bars, names, strict=True)):
        y = TOP + ROW * i
        colour = OURS if bar.ours else GREY
        weight = ' font-weight="bold"' if bar.ours else ""
        text = TEXT[OURS] if bar.ours else "#1F1F1F"
        parts.append(
            f'<text x="{left - 8}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" fill="{text}"'
            f"{weight}>{escape(name)}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{x(bar.value) - left:.1f}" height="{ROW - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{x(bar.value) + 5:.1f}" y="{y + ROW / 2 + 4:.1f}" fill="{text}"{weight}>'
            f"{escape(bar.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts), height
