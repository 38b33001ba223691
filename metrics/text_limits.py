"""How long free text may be, in one place. Every box in the app shows its limit (the box
counts characters, and its help says the limit), and the domain refuses longer text whatever
path it came by (the app, the command line, a script), so nothing stored can grow without
bound: a provider's send-back reason once held 1 MB.

File names come from a browser or a disk, not from typing, so they are cleaned and cut rather
than refused: characters that reorder or hide text, and control characters, are taken out, and
a long name keeps its ending.
"""

from __future__ import annotations

import re
import unicodedata

TITLE = 300  # an action's title, a survey question
REASON = 500  # why figures are revised, a review goes back, a status is agreed, ...
NOTE = 500  # a progress note
SOURCE = 200  # where evidence came from
SEARCH = 200  # words searched for (the audit trail)
PARAGRAPH = 2000  # commentary, a question or answer, what will be done, a summary
SEND_BACK = 1000  # what a provider should put right
FILE_NAME = 120  # characters of a file name kept

# Characters that reorder or hide text: `invoice\u202egpj.pdf` shows as "invoicefdp.jpg".
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class TextTooLong(ValueError):
    """Text over its limit; the message says which, the limit and how long it is."""


def bounded(text: str | None, what: str, limit: int) -> str:
    """`text` stripped, or TextTooLong naming `what` when it is longer than `limit`."""
    value = (text or "").strip()
    if len(value) > limit:
        raise TextTooLong(f"Shorten {what} to {limit:,} characters (it has {len(value):,}).")
    return value


def help_text(limit: int) -> str:
    """What a box says about its limit (its `help`)."""
    return f"At most {limit:,} characters."


def file_name(name: str, limit: int = FILE_NAME, empty: str = "file") -> str:
    """A file name as kept and shown: the last path part, without bidirectional or control
    characters, at most `limit` characters (the ending kept)."""
    kept = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = BIDI.sub("", kept)
    kept = "".join(ch for ch in kept if unicodedata.category(ch) not in ("Cc", "Cf"))
    kept = " ".join(kept.split()).strip(". ") or empty
    if len(kept) > limit:
        stem, dot, ending = kept.rpartition(".")
        if not dot or len(ending) > 10:  # no ending worth keeping
            return kept[:limit].rstrip()
        kept = stem[: limit - len(ending) - 1].rstrip() + dot + ending
    return kept
