"""Text from users and files shown as plain text, never as Markdown, HTML or a link.

File names, sheet names, notes, user names, reasons, EES cells and area names reach other
people's screens. Streamlit renders Markdown (links, images, `$maths$`, `:colour[...]`) and
Plotly renders a subset of HTML (`<a href>`, `<b>`) in chart text: either would let a file
name such as `[sign in again](https://evil.example/sso)` become a live link. Every place
that shows such text passes it through `markdown()` or `chart_text()` first.
"""

from __future__ import annotations

import functools
import html
import json
import re
import string
from collections.abc import Callable

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them
# all leaves nothing for a Markdown, maths or Streamlit directive parser to act on.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GitHub-flavoured Markdown also links bare addresses (https://..., www...., a@b.c) *after*
# escapes are resolved, so escaping cannot stop it: an invisible word joiner (U+2060) after
# each trigger breaks the pattern while the text looks and reads the same.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www|mailto|xmpp|@)")
WORD_JOINER = "\u2060"


def markdown(text: object) -> str:
    """`text` as Markdown that renders exactly as typed, on one line, with no link."""
    return _markdown(str(text if text is not None else ""))


# Remembered: a page escapes the same titles, reasons and names in every run (the review page
# some hundred, 6 % of its server CPU in a crowd; bench/README.md). A str is immutable.
@functools.lru_cache(maxsize=8192)
def _markdown(text: str) -> str:
    flat = " ".join(text.split())
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, _PUNCTUATION.sub(r"\\\1", flat))


def download_name(text: str) -> str:
    """A file name for a download built from a name a user supplied: letters, digits, - _ ."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:80]
    return stem or "file"


def chart_text(text: object) -> str:
    """`text` for Plotly labels, titles and hover text: tags shown as text, never rendered."""
    return html.escape(str(text if text is not None else ""), quote=True)


def html_text(text: object) -> str:
    """`text` inside an HTML document (an email's HTML part): shown as text, never markup."""
    return html.escape(str(text if text is not None else ""), quote=True)


# C0 and C1 control characters (newline, carriage return, ESC that starts ANSI colour and
# OSC 8 hyperlink sequences, BEL that ends them, DEL), the Unicode line and paragraph
# separators, and the bidirectional and invisible formatting characters that reorder or hide
# what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def terminal(text: object) -> str:
    """`text` for a terminal line: every control character shown as its escape (`\\n`,
    `\\x1b`, `\\u202e`), so a stored value can neither start a new, forged line nor
    colour, hide or link anything; a backslash is doubled so an escape cannot be faked."""
    raw = str(text if text is not None else "").replace("\\", "\\\\")
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), raw)


# What json.dumps(ensure_ascii=False) leaves raw inside a string and a terminal acts on: DEL,
# the C1 controls (\x9b starts an ANSI sequence on its own) and the bidirectional and
# invisible characters. JSON's own syntax outside strings is plain ASCII, so every match is
# inside a string, where \uXXXX means the same character.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def json_text(data: object, default: Callable[[object], object] | None = None) -> str:
    """`data` as indented JSON for a terminal or a file: letters such as "é" stay readable,
    every control or reordering character is written as its \\u escape (json.dumps escapes
    only the C0 controls itself)."""
    raw = json.dumps(data, indent=2, ensure_ascii=False, default=default)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", raw)
