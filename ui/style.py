"""The house style: one colour-blind-safe palette (Okabe-Ito) and status badges that carry an
icon and a word as well as a colour, so status never depends on colour alone."""

from __future__ import annotations

import html

from metrics.narrative import DIRECTION_ICONS, DIRECTION_WORDS, STATUS_ICONS, STATUS_WORDS

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
OURS = OKABE_ITO["blue"]
ENGLAND = OKABE_ITO["black"]
REGION = OKABE_ITO["orange"]
TARGET = OKABE_ITO["green"]
# Darker shades of the same hues for text on white (4.5:1), e.g. direct labels.
TEXT = {OURS: "#005A8C", ENGLAND: "#000000", REGION: "#8A5A00", TARGET: "#00684A"}
GRID = "#D9D9D9"

# (background, text): every pair has at least 4.5:1 contrast (WCAG 2.2 AA).
BADGES = {
    "on_track": ("#D5F0E6", "#004D38"),
    "at_risk": ("#FCEFC7", "#5C4200"),
    "off_track": ("#F9D9C8", "#8A2E00"),
    "no_target": ("#E3EEF8", "#0B3B66"),
    "no_recent_data": ("#EAEAEA", "#333333"),
    "not_evidenced": ("#EAEAEA", "#333333"),
}

CSS = """
<style>
.status-badge {display:inline-block; padding:0.1rem 0.55rem; border-radius:0.8rem;
  font-weight:600; border:1px solid currentColor; white-space:nowrap;}
.status-card h3 {margin-top:0;}
/* Streamlit greys captions with opacity (about 3:1 on white); make them 4.5:1 or more. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color:#4A4C57 !important;
  opacity:1 !important;}
a:focus-visible, button:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #0B3B66 !important; outline-offset: 2px;}
</style>
"""


def badge(status: str) -> str:
    """HTML for a status: icon + word, coloured."""
    background, text = BADGES[status]
    word = html.escape(STATUS_WORDS[status])
    return (
        f'<span class="status-badge" style="background:{background};color:{text}">'
        f'<span aria-hidden="true">{STATUS_ICONS[status]}</span> {word}</span>'
    )


def direction(direction: str | None) -> str:
    if direction is None:
        return "–"
    return f"{DIRECTION_ICONS[direction]} {DIRECTION_WORDS[direction]}"
