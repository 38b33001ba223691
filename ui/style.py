"""The house style: one colour-blind-safe palette (Okabe-Ito) and status badges that carry an
icon and a word as well as a colour, so status never depends on colour alone."""

from __future__ import annotations

import html

from metrics.publish.palette import (  # the app's charts read them from here, as style.OURS
    BADGES,
    ENGLAND as ENGLAND,
    GRID as GRID,
    OKABE_ITO as OKABE_ITO,
    OURS as OURS,
    REGION as REGION,
    SUB_REGION as SUB_REGION,
    SUB_REGION_DASH as SUB_REGION_DASH,
    TARGET as TARGET,
    TEXT as TEXT,
)
from metrics.words.narrative import DIRECTION_ICONS, DIRECTION_WORDS, STATUS_ICONS, STATUS_WORDS

CARD_GRID = "statement_cards"  # the key of the overview's grid of cards (the CSS below)

CSS = """
<style>
.status-badge {display:inline-block; padding:0.1rem 0.55rem; border-radius:0.8rem;
  font-weight:600; border:1px solid currentColor; white-space:nowrap;}
.status-card h3 {margin-top:0;}
/* A note inside a statement card (ui/cards.py), as a caption would be: smaller, 4.5:1. */
.card-note {font-size:0.875rem; color:#4A4C57;}
/* Streamlit greys captions with opacity (about 3:1 on white); make them 4.5:1 or more. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color:#4A4C57 !important;
  opacity:1 !important;}
a:focus-visible, button:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #0B3B66 !important; outline-offset: 2px;}
/* What Streamlit draws at opacity 0 until the mouse is over it (a table's toolbar: columns,
   search, full screen; a heading's link) is shown while it holds the keyboard's focus: a
   keyboard user's focus there was invisible (WCAG 2.4.7). */
[data-testid="stElementToolbar"]:focus-within,
[data-testid="stHeaderActionElements"] :focus-visible {opacity:1 !important;
  transition:none !important;}
/* What takes focus scrolls clear of Streamlit's sticky header (60 px), not under it, when
   tabbing back up a page (WCAG 2.4.11). */
html, [data-testid="stMain"], [data-testid="stAppViewContainer"] {scroll-padding-top:5rem;}
/* A link's label wraps (Streamlit keeps it on one line and cuts it: "Open indicator: Young
   people 14+ with an EHC pl" on a phone). */
[data-testid="stPageLink"] a {height:auto !important; align-items:flex-start;}
[data-testid="stPageLink"] a *, [data-testid="stPageLink"] p {white-space:normal !important;
  overflow:visible !important; text-overflow:clip !important; overflow-wrap:anywhere;}
/* A choice in a drop-down list wraps onto a second line of its fixed-height row (the list
   is virtualised) instead of being cut: long indicator names on a phone. */
[data-testid="stSelectboxVirtualDropdown"] [role="option"] {padding-top:0 !important;
  padding-bottom:0 !important;}
[data-testid="stSelectboxVirtualDropdown"] [role="option"] > div {white-space:normal !important;
  overflow-wrap:anywhere; text-overflow:clip !important; line-height:1.15; font-size:0.875rem;}
/* The scorecard (ui/scorecard_view.py): every quarter as a table on a wide screen, one
   measure at a time with the latest quarters on a phone. */
/* A card drawn as one Markdown element (style.card): bordered as Streamlit's own bordered
   container is. */
.text-card {border:1px solid rgba(49,51,63,0.2); border-radius:0.5rem; padding:0.75rem 1rem;
  margin-bottom:0.75rem;}
.text-card ul, .text-card p:last-child {margin-bottom:0;}
/* The overview's statement cards (ui/cards.py statement_grid): a card is two elements, its
   text and its link, bordered together as Streamlit's own bordered container is. On a wide
   screen a grid sets them three cards to a row (each text above its link; the page's order,
   text then link, card by card, is the order read aloud and tabbed through); on a phone
   they follow one another. No columns: they were 16 elements more in every run. */
.st-key-statement_cards {row-gap:0 !important;}
.st-key-statement_cards > [data-testid="stElementContainer"] {width:auto !important;
  align-self:stretch !important; height:auto !important;
  border:1px solid rgba(49,51,63,0.2); padding:0 calc(1rem - 1px);}
.st-key-statement_cards > :nth-child(odd) {border-bottom:none; border-radius:0.5rem 0.5rem 0 0;
  padding-top:calc(1rem - 1px); padding-bottom:1rem;}
.st-key-statement_cards > :nth-child(even) {border-top:none; border-radius:0 0 0.5rem 0.5rem;
  padding-bottom:calc(1rem - 1px); margin-top:0 !important; margin-bottom:1rem;}
@media (min-width: 641px) {
  .st-key-statement_cards {display:grid !important; grid-auto-flow:row dense;
    grid-template-columns:repeat(3, minmax(0, 1fr)); column-gap:1rem !important;}
  .st-key-statement_cards > :nth-child(6n+1), .st-key-statement_cards > :nth-child(6n+2)
    {grid-column:1;}
  .st-key-statement_cards > :nth-child(6n+3), .st-key-statement_cards > :nth-child(6n+4)
    {grid-column:2;}
  .st-key-statement_cards > :nth-child(6n+5), .st-key-statement_cards > :nth-child(6n+6)
    {grid-column:3;}
}
/* A date box's parts (day, month, year: Streamlit's date field) and its calendar button are
   tap targets of at least 24 x 24 CSS px (WCAG 2.5.8); they were 18 x 20 and 24 x 16, and the
   parts sit closer together than 24 px. */
[data-testid="stDateInput"] [role="spinbutton"] {display:inline-flex !important;
  align-items:center; justify-content:center; min-width:24px !important;
  min-height:24px !important; box-sizing:border-box;}
[data-testid="stDateInput"] button, [data-testid="stDateInput"] [role="button"] {
  min-width:24px !important; min-height:24px !important; box-sizing:border-box;}
/* The live regions that say a status box's words to a screen reader (ui/working.py): out of
   sight, since the status box shows the same words, but still read. */
[class*="st-key-live_status_"] {position:absolute !important; width:1px !important;
  min-width:0 !important; max-width:1px !important; height:1px !important;
  overflow:hidden !important; clip-path:inset(50%) !important; white-space:nowrap !important;
  margin:-1px !important; padding:0 !important; border:0 !important;}
@media (max-width: 640px) {.st-key-scorecard_wide {display:none !important;}}
@media (min-width: 641px) {.st-key-scorecard_narrow {display:none !important;}}
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


def card(parts: list[str]) -> str:
    """Markdown paragraphs (already escaped) as one bordered card, one element: Streamlit's
    cost is per element sent, and a bordered container with its paragraphs was three to
    six (bench/README.md). The blank lines let Markdown work inside the HTML."""
    body = "\n\n".join(parts)
    return f'<div class="text-card">\n\n{body}\n\n</div>'
