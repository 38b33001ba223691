"""The cells of a piece of a sheet's XML, found with numpy over its bytes: no Python object
per cell, no XML parser holding the sheet.

Hand-written because no kept library streams a sheet to Arrow: fastexcel and python-calamine
hold the whole sheet as Rust cells (20 MB per MB of workbook), openpyxl's streaming mode makes
a Python object per cell (25 times slower). The piece is cut between rows
(metrics/ingest/read_xlsx_stream.py); every '<' starts a tag (text cannot hold one), so the
tags are classified by the bytes after each '<', and a cell's reference, style and type are
read from fixed places after its own '<c '. Only what Excel, LibreOffice and openpyxl write
is read; anything else (cells without a reference, namespace prefixes, rich or phonetic text
in a cell, CDATA, comments, attributes out of the usual order) raises Unusual, and the
workbook is read by fastexcel instead: never a guessed value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest.arrow_arrays import POOL, ints

LT, GT, QUOTE, SLASH, SPACE, EQUALS, APOSTROPHE = 60, 62, 34, 47, 32, 61, 39
WHITE = [9, 10, 13, 32]
PRESERVE = b' xml:space="preserve">'
KINDS = {b"n": ord("n"), b"s": ord("s"), b"str": ord("S"), b"inlineStr": ord("i")}
KINDS |= {b"b": ord("b"), b"e": ord("e")}  # (t="d", ISO dates, is Unusual: Excel never writes it)


class Unusual(Exception):
    """Something this reader does not read as fastexcel would; fastexcel reads the workbook."""


@dataclass
class Cells:
    """The cells of a piece of a sheet, in document order (1-based rows, 0-based columns)."""

    row: np.ndarray
    col: np.ndarray
    style: np.ndarray  # -1: no s attribute
    kind: np.ndarray  # ord of: n (number), s (shared), S (str), i (inlineStr), b, e
    value: pa.Array  # binary: the <v> text, or the inline <t> text; null where neither
    text: np.ndarray  # the value is an inline <t> (trimmed unless `preserve`)
    preserve: np.ndarray
    formula: np.ndarray
    amp: bool = True  # the piece holds an '&' (else no value needs unescaping)
    odd: bool = True  # the piece holds a carriage return, an '_x' or a NUL byte


def spans(text: bytes, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The byte ranges [start, end) of `text` (in order, not overlapping) as a binary array:
    the ranges and the gaps between them are one array over `text`, and every other item
    is taken (one copy, of the ranges only)."""
    n = len(starts)
    if n == 0:
        return pa.Array.from_buffers(
            pa.binary(), 0, [None, pa.py_buffer(np.zeros(1, np.int32)), pa.py_buffer(b"")]
        )
    bounds = np.empty(2 * n, np.int64)
    bounds[0::2], bounds[1::2] = starts, ends
    if np.any(np.diff(bounds) < 0):
        raise Unusual("overlapping values")
    whole = pa.Array.from_buffers(
        pa.binary(), 2 * n - 1, [None, pa.py_buffer(bounds.astype(np.int32)), pa.py_buffer(text)]
    )
    return pc.take(whole, ints(np.arange(0, 2 * n - 1, 2)), memory_pool=POOL)


def _digits(a: np.ndarray, start: np.ndarray, end: np.ndarray, most: int) -> np.ndarray:
    """The unsigned decimal numbers written at a[start:end] (each at most `most` digits)."""
    width = end - start
    if np.any((width < 1) | (width > most)):
        raise Unusual("a number out of range in a cell's attributes")
    number = np.zeros(len(start), np.int64)
    for k in range(most):
        at = k < width
        digit = a[np.where(at, start + k, 0)].astype(np.int64) - 48
        if np.any(at & ((digit < 0) | (digit > 9))):
            raise Unusual("not a number in a cell's attributes")
        number = np.where(at, number * 10 + digit, number)
    return number


class Tags:
    """Where each tag of a piece of XML starts ('<') and what its name begins with."""

    def __init__(self, text: bytes) -> None:
        self.text = text + b"        "  # (bytes after the last tag are read as its name)
        self.a = a = np.frombuffer(self.text, np.uint8)
        self.lt = np.flatnonzero(a == LT)
        self.c1, self.c2 = a[self.lt + 1], a[self.lt + 2]
        self._gt: np.ndarray | None = None
        self._named: dict[tuple[bytes, bytes], np.ndarray] = {}
        if np.any(self.c1 == ord("!")) or np.any(self.c1 == ord("?")):
            raise Unusual("a comment, CDATA or instruction among the cells")

    def close(self, at: np.ndarray) -> np.ndarray:
        """Where the tags at `at` (indexes into lt) end: their '>'."""
        if self._gt is None:
            self._gt = np.flatnonzero(self.a == GT)
        after = np.searchsorted(self._gt, self.lt[at])
        if len(after) and after.max() >= len(self._gt):
            raise Unusual("a tag is not closed")
        closes: np.ndarray = self._gt[after]
        return closes

    def named(self, name: bytes, then: bytes) -> np.ndarray:
        """Indexes (into lt) of the tags `<name` followed by one of the bytes `then`."""
        key = (name, then)
        if key not in self._named:
            hit = self.c1 == name[0]
            if len(name) > 1:
                hit &= self.c2 == name[1]
            at = np.flatnonzero(hit)
            for k, ch in enumerate(name[2:], start=3):
                at = at[self.a[self.lt[at] + k] == ch]
            follow = np.zeros(256, bool)
            follow[list(then)] = True
            self._named[key] = at[follow[self.a[self.lt[at] + 1 + len(name)]]]
        return self._named[key]

    def contents(self, at: np.ndarray, name: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The text between each tag at `at` and the next tag, which must close `name`."""
        ends = self.lt[np.minimum(at + 1, len(self.lt) - 1)]
        starts = self.lt[at] + 2 + len(name)  # (after '<name>': only <t ...> is longer)
        if name == b"t":
            spaced = self.c2[at] == SPACE
            starts[spaced] = self.close(at[spaced]) + 1
        closing = b"</" + name + b">"
        ok = at + 1 < len(self.lt)
        for k, ch in enumerate(closing):
            ok &= self.a[ends + k] == ch
        if not ok.all():
            raise Unusual(f"<{name.decode()}> holds more than text")
        return starts, ends

    def texts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The <t> elements: where each starts, its text's range, and whether it keeps spaces."""
        at = self.named(b"t", b"> /")
        spaced = self.c2[at] == SPACE
        closes = self.lt[at] + 2
        closes[spaced] = self.close(at[spaced])
        empty = self.a[closes - 1] == SLASH  # <t/>
        starts, ends = closes + 1, closes + 1
        full = ~empty
        starts[full], ends[full] = self.contents(at[full], b"t")
        preserve = np.zeros(len(at), bool)
        if spaced.any():
            tag = self.lt[at[spaced & full]] + 2
            ok = np.ones(len(tag), bool)
            for k, ch in enumerate(PRESERVE):
                ok &= self.a[tag + k] == ch
            if not ok.all() or np.any(spaced & empty):
                raise Unusual("a <t> with attributes other than xml:space")
            preserve[spaced] = True
        return self.lt[at], starts, ends, preserve


def cells(text: bytes) -> Cells:
    """The cells of whole rows of a sheet's <sheetData>."""
    tags = Tags(text)
    a, lt, c1 = tags.a, tags.lt, tags.c1
    known = np.zeros(len(lt), bool)
    for name, then in ((b"row", b" >"), (b"c", b" "), (b"v", b">/"), (b"f", b" >/")):
        known[tags.named(name, then)] = True
    known[tags.named(b"is", b">")] = True
    known[tags.named(b"t", b"> /")] = True
    known |= c1 == SLASH
    if not known.all():
        raise Unusual("a tag other than row, c, f, v, is and t among the cells")
    at = tags.named(b"c", b" ")
    cell, close = lt[at], tags.close(at)
    ok = (a[cell + 3] == ord("r")) & (a[cell + 4] == EQUALS) & (a[cell + 5] == QUOTE)
    if not ok.all():
        raise Unusual("a cell without its reference first")
    letters = cell + 6
    upper = [(a[letters + k] >= 65) & (a[letters + k] <= 90) for k in range(4)]
    width = np.where(~upper[1], 1, np.where(~upper[2], 2, 3))
    if not upper[0].all() or np.any(upper[1] & upper[2] & upper[3]):
        raise Unusual("a cell reference without its column")
    col = np.zeros(len(cell), np.int64)
    for k in range(3):
        col = np.where(k < width, col * 26 + a[letters + np.minimum(k, width - 1)] - 64, col)
    quotes = np.flatnonzero(a == QUOTE)
    ref_end = quotes[np.searchsorted(quotes, letters)]
    row = _digits(a, letters + width, ref_end, 7)
    style, kind = _attributes(a, cell, close, quotes)
    formula = np.zeros(len(cell), bool)
    formula[np.searchsorted(cell, lt[tags.named(b"f", b" >/")]) - 1] = True
    value, is_text, preserve = _values(tags, cell)
    odd = any(mark in text for mark in (b"\r", b"_x", b"\x00"))
    return Cells(row, col - 1, style, kind, value, is_text, preserve, formula, b"&" in text, odd)


def _attributes(
    a: np.ndarray, cell: np.ndarray, close: np.ndarray, quotes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's s (style) and t (type) attributes, from the quotes opening values inside
    its tag."""
    style = np.full(len(cell), -1, np.int64)
    kind = np.full(len(cell), ord("n"), np.uint8)
    holder = np.searchsorted(cell, quotes) - 1
    quotes = quotes[(holder >= 0) & (quotes < close[np.maximum(holder, 0)])]  # in cell tags
    opening = quotes[a[quotes - 1] == EQUALS]
    if 2 * len(opening) != len(quotes) or _apostrophe(a, cell, close):
        raise Unusual('a cell\'s attributes spaced or quoted otherwise than name="value"')
    owner = np.searchsorted(cell, opening) - 1
    single = np.isin(a[opening - 3], WHITE)  # a one-letter name: ' s="', ' t="'
    ends = quotes[np.searchsorted(quotes, opening + 1)]
    styled = single & (a[opening - 2] == ord("s"))
    style[owner[styled]] = _digits(a, opening[styled] + 1, ends[styled], 6)
    typed = np.flatnonzero(single & (a[opening - 2] == ord("t")))
    if len(typed):
        first, second = a[opening[typed] + 1], a[opening[typed] + 2]
        length = ends[typed] - opening[typed] - 1
        code = np.zeros(len(typed), np.uint8)
        for name, mark in KINDS.items():
            same = (first == name[0]) & (length == len(name))
            if len(name) > 1:
                same &= second == name[1]
            code[same] = mark
        if np.any(code == 0):
            raise Unusual("a cell type other than n, s, str, inlineStr, b and e")
        kind[owner[typed]] = code
    return style, kind


def _apostrophe(a: np.ndarray, cell: np.ndarray, close: np.ndarray) -> bool:
    """Whether any cell's tag holds an apostrophe (name='value')."""
    at = np.flatnonzero(a == APOSTROPHE)
    if not len(at):
        return False
    holder = np.searchsorted(cell, at) - 1
    return bool(np.any((holder >= 0) & (at < close[np.maximum(holder, 0)])))


def _values(tags: Tags, cell: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Each cell's <v> text or inline <t> text (null where neither), and which are inline."""
    v_at = tags.named(b"v", b">")
    v_start, v_end = tags.contents(v_at, b"v")
    t_tag, t_start, t_end, t_preserve = tags.texts()
    if len(tags.named(b"is", b">")) != len(t_tag):
        raise Unusual("inline text in runs, or without <t>")
    v_cell = np.searchsorted(cell, tags.lt[v_at]) - 1
    t_cell = np.searchsorted(cell, t_tag) - 1
    owners = np.concatenate([v_cell, t_cell])
    if len(owners) and (owners.min() < 0 or np.bincount(owners).max() > 1):
        raise Unusual("a value outside a cell, or a cell with two values")
    index = np.zeros(len(cell), np.int64)
    index[v_cell] = np.arange(len(v_cell))
    index[t_cell] = len(v_cell) + np.arange(len(t_cell))
    has = np.zeros(len(cell), bool)
    has[owners] = True
    found = pa.concat_arrays(
        [spans(tags.text, v_start, v_end), spans(tags.text, t_start, t_end)], memory_pool=POOL
    )
    is_text = np.zeros(len(cell), bool)
    is_text[t_cell] = True
    preserve = np.zeros(len(cell), bool)
    preserve[t_cell] = t_preserve
    return pc.take(found, ints(index, has), memory_pool=POOL), is_text, preserve
