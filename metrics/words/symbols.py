"""The symbols DfE and the GSS write in place of a figure, and what each means in plain
English: one list for every output (the packs' glossary and notes, the Help page). A symbol
is not a number and not zero, and each keeps its own meaning from import to output: DfE's
z (not applicable) is never shown as x (not available)."""

from __future__ import annotations

SYMBOL_MEANINGS: dict[str, str] = {
    "c": "A small number, withheld to protect children's privacy (or withheld so that a "
    "small number cannot be worked out).",
    "x": "Not available: not collected, or not published by whoever supplied the figures.",
    "z": "Not applicable: for example, no aim is set, or a percentage of none (0 out of 0).",
    "low": "Rounds to zero, but is not zero.",
    "u": "Low reliability: the figure is less certain than usual.",
    "k": "Rounds to zero, but is not zero (an older symbol for low).",
    "~": "Rounds to zero, but is not zero (an older symbol for low).",
    ":": "Not available (an older symbol for x).",
}


def symbols_in_words() -> str:
    """ "[c] means a small number, withheld ...; [x] not available ...": every symbol, for a
    note where a glossary cannot go (a spreadsheet's)."""
    return " ".join(f"[{symbol}]: {meaning}" for symbol, meaning in SYMBOL_MEANINGS.items())
