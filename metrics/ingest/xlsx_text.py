"""Cells' saved values as the text fastexcel gives (and read_xlsx.py then fixes): numbers
rounded to 9 decimal places without trailing zeros, percentages times 100, dates as dates,
TRUE/FALSE, shared and inline strings trimmed unless xml:space="preserve", XML entities
unescaped. Vectorised in Arrow; Python sees only the values that need it (entities, numbers
not already in fastexcel's form, rich shared strings). Anything uncertain raises Unusual.
"""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest.arrow_arrays import POOL, bools, empty_texts, flags, ints, scalar, texts_of
from metrics.ingest.raw import MAX_CELL_CHARS, PERCENT_DECIMALS, FileProblem
from metrics.ingest.xlsx_scan import pieces
from metrics.ingest.xlsx_tokens import Cells, Tags, Unusual, spans

CHUNK = 1 << 20
XML_SPACE = " \t\r\n"
# Numbers fastexcel writes as saved: integers exact in a double, and short decimals whose
# 9-place rounding gives them back (below 2**22 half a unit in the last place is < 5e-10).
PLAIN = r"^-?(?:0|[1-9]\d{0,14})$|^-?(?:0|[1-9]\d{0,5})\.\d{0,8}[1-9]$"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
EXCEL_DAY_1970 = 25569  # the serial number of 1970-01-01 (Excel counts 1900-02-29)


def as_text(values: pa.Array, odd: bool = True) -> pa.Array:
    """Binary to string: invalid UTF-8, a carriage return (XML readers differ on it) or an
    _xHHHH_ escape (calamine decodes it) is left to fastexcel."""
    try:
        values = pc.cast(values, pa.string(), memory_pool=POOL)
    except pa.ArrowInvalid as err:
        raise Unusual("not UTF-8") from err
    if not odd:
        return values
    if pc.any(pc.match_substring(values, "\r", memory_pool=POOL), memory_pool=POOL).as_py():
        raise Unusual("a carriage return in a value")
    if pc.any(
        pc.match_substring_regex(values, "_x[0-9A-Fa-f]{4}_", memory_pool=POOL), memory_pool=POOL
    ).as_py():
        raise Unusual("an _xHHHH_ escape")
    return values


def unescaped(values: pa.Array, amp: bool = True) -> pa.Array:
    """XML's five named entities and character references decoded, in Python for the values
    that hold an '&' only."""
    if not amp:
        return values
    has = pc.match_substring(values, "&", memory_pool=POOL)
    if not pc.any(has, memory_pool=POOL).as_py():
        return values
    fixed = [_unescape(v) for v in pc.filter(values, has, memory_pool=POOL).to_pylist()]
    return pc.replace_with_mask(values, has, texts_of(fixed), memory_pool=POOL)


def _unescape(value: str) -> str:
    if value.count("&") != len(ENTITY.findall(value)):
        raise Unusual("an '&' that is not an entity")

    def one(m: re.Match[str]) -> str:
        if m[1]:
            return NAMED[m[1]]
        code = int(m[2]) if m[2] else int(m[3], 16)
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise Unusual("a character reference to no character")
        return chr(code)

    return ENTITY.sub(one, value)


def strings(values: pa.Array, preserve: np.ndarray, odd: bool = True, amp: bool = True) -> pa.Array:
    """Text from <t>: trimmed of XML spaces unless it keeps them, then unescaped."""
    values = as_text(values, odd)
    if not preserve.all():
        trimmed = pc.utf8_trim(values, XML_SPACE, memory_pool=POOL)
        values = (
            trimmed
            if not preserve.any()
            else pc.if_else(bools(preserve), values, trimmed, memory_pool=POOL)
        )
    return unescaped(values, amp)


def numbers(saved: pa.Array) -> pa.Array:
    """Numbers as fastexcel writes them: rounded to 9 places, trailing zeros dropped."""
    plain = pc.match_substring_regex(saved, PLAIN, memory_pool=POOL)
    if pc.all(plain, memory_pool=POOL).as_py():
        return saved
    others = pc.invert(plain, memory_pool=POOL)
    return pc.replace_with_mask(
        saved,
        others,
        texts_of([_rounded(v) for v in pc.filter(saved, others, memory_pool=POOL).to_pylist()]),
        memory_pool=POOL,
    )


def _rounded(saved: str) -> str:
    if not NUMBER.fullmatch(saved):
        raise Unusual("a number fastexcel may not read")
    number = float(saved)
    if not abs(number) < 1e15:  # (calamine reads some long integers differently)
        raise Unusual("a number beyond 15 digits")
    return f"{number:.9f}".rstrip("0").rstrip(".")


def percent(texts: pa.Array) -> pa.Array:
    """As read_xlsx.py shows a percentage: 0.45 as 45, 0.575 as 57.5 (PERCENT_DECIMALS)."""
    hundredfold = pc.multiply(
        pc.cast(texts, pa.float64(), memory_pool=POOL), scalar(100.0), memory_pool=POOL
    )
    return pc.cast(
        pc.round(hundredfold, PERCENT_DECIMALS, memory_pool=POOL), pa.string(), memory_pool=POOL
    )


def dates(texts: pa.Array) -> pa.Array:
    """Whole days as 2024-01-02 (fastexcel's datetime with its midnight dropped); times,
    fractions and days before 1900-03-01 (Excel's phantom 29 February) go to fastexcel."""
    serial = pc.cast(texts, pa.float64(), memory_pool=POOL).to_numpy()
    if np.any((serial != np.floor(serial)) | (serial < 61) | (serial > 2958465)):
        raise Unusual("a date with a time, or before 1 March 1900")
    days = (serial - EXCEL_DAY_1970).astype(np.int32)
    as_days = pa.Array.from_buffers(pa.date32(), len(days), [None, pa.py_buffer(days)])
    return pc.cast(as_days, pa.string(), memory_pool=POOL)


def cell_texts(
    cells: Cells, shared: pa.Array | None, percent_ids: set[int], date_ids: set[int]
) -> tuple[pa.Array, np.ndarray]:
    """Each cell's text ("" for none) and whether fastexcel counts it as a cell at all."""
    kind, has = cells.kind, flags(cells.value.is_valid())
    if np.any(cells.text != ((kind == ord("i")) & has)):
        raise Unusual("inline text in a cell not typed inlineStr, or a value in one that is")
    parts: list[pa.Array] = [empty_texts(1)]
    index = np.zeros(len(kind), np.int64)
    present = has.copy()

    def put(at: np.ndarray, texts: pa.Array) -> None:
        index[at] = sum(len(p) for p in parts) + np.arange(len(at))
        parts.append(texts)

    def saved(code: str) -> tuple[np.ndarray, pa.Array]:
        at = np.flatnonzero((kind == ord(code)) & has)
        return at, pc.take(cells.value, ints(at), memory_pool=POOL)

    odd, amp = cells.odd, cells.amp
    at, values = saved("n")
    values = as_text(values, odd)
    filled = flags(pc.not_equal(values, scalar(""), memory_pool=POOL))
    present[at[~filled]] = False  # (an empty <v> is an empty cell to calamine)
    at, values = at[filled], numbers(pc.filter(values, bools(filled), memory_pool=POOL))
    style = cells.style[at]
    for ids, fix in ((percent_ids, percent), (date_ids, dates)):
        styled = np.isin(style, list(ids))
        if styled.any():
            fixed = fix(pc.take(values, ints(np.flatnonzero(styled)), memory_pool=POOL))
            values = pc.replace_with_mask(values, bools(styled), fixed, memory_pool=POOL)
    put(at, values)
    at, values = saved("s")
    if len(at):
        if shared is None:
            raise Unusual("a shared string without the shared strings")
        try:
            number = pc.cast(as_text(values, odd), pa.int64(), memory_pool=POOL)
        except pa.ArrowInvalid as err:
            raise Unusual("a shared string's index is not a number") from err
        if (
            pc.any(
                pc.greater_equal(number, scalar(len(shared)), memory_pool=POOL), memory_pool=POOL
            ).as_py()
            or pc.min(number, memory_pool=POOL).as_py() < 0
        ):
            raise Unusual("a shared string's index is out of range")
        _within_bounds(shared, number, cells.row[at], cells.col[at])
        put(at, pc.take(shared, number, memory_pool=POOL))
    at, values = saved("i")
    put(at, strings(values, cells.preserve[at], odd, amp))
    at, values = saved("S")
    put(at, unescaped(as_text(values, odd), amp))
    at, values = saved("b")
    if len(at):
        truth = as_text(values, odd)
        if not pc.all(
            pc.is_in(truth, texts_of(["0", "1"]), memory_pool=POOL), memory_pool=POOL
        ).as_py():
            raise Unusual("a boolean neither 0 nor 1")
        put(
            at,
            pc.if_else(
                pc.equal(truth, scalar("1"), memory_pool=POOL),
                scalar("TRUE"),
                scalar("FALSE"),
                memory_pool=POOL,
            ),
        )
    # Excel's errors (t="e": #DIV/0!, #N/A) as their code, as openpyxl reads them: an empty
    # value would make the row a template row left empty, skipped without a word
    at, values = saved("e")
    put(at, as_text(values, odd))
    joined = pa.concat_arrays(parts, memory_pool=POOL)
    return pc.take(joined, ints(index), memory_pool=POOL), present


# The most text one piece of a sheet (CHUNK bytes of its XML) may expand to. A cell refers
# to a shared string by its number, so a 28 KB workbook whose 5,000 cells all name one
# 200,000-character string expanded to 1 GB, and took 4 GB, before its cells were checked.
# A real return's piece expands to a few megabytes.
MAX_PIECE_TEXT_BYTES = 256 * 1024 * 1024


def _within_bounds(shared: pa.Array, number: pa.Array, rows: np.ndarray, cols: np.ndarray) -> None:
    """Before the shared strings are copied into their cells (only their sizes are taken
    for each cell, as numbers): no cell may get more than MAX_CELL_CHARS characters (the
    first such cell is named), nor the piece more than MAX_PIECE_TEXT_BYTES of text."""

    def each(sizes: pa.Array) -> np.ndarray:
        taken: np.ndarray = pc.take(sizes, number, memory_pool=POOL).to_numpy(zero_copy_only=False)
        return taken

    size = each(pc.binary_length(shared, memory_pool=POOL))
    if not len(size) or (size.max() <= MAX_CELL_CHARS and size.sum() <= MAX_PIECE_TEXT_BYTES):
        return
    chars = each(pc.utf8_length(shared, memory_pool=POOL))
    long = np.flatnonzero(chars > MAX_CELL_CHARS)
    if len(long):
        first = min(long, key=lambda i: (rows[i], cols[i]))
        raise FileProblem(
            f"Row {rows[first]}, column {cols[first] + 1} holds {chars[first]:,} characters, "
            "which no return needs. Shorten or clear the cell and upload the file again."
        )
    if size.sum() > MAX_PIECE_TEXT_BYTES:
        raise FileProblem(
            f"From row {rows.min()}, the sheet repeats long texts so often that its cells "
            f"would hold over {MAX_PIECE_TEXT_BYTES // 1024 // 1024} MB of text, which no "
            "return needs. Shorten the repeated texts (notes, say) or save the sheet as CSV "
            "UTF-8, and upload it again."
        )


def shared_strings(book: zipfile.ZipFile, part: str | None) -> pa.Array | None:
    """The workbook's shared strings, once, as one Arrow array, read piece by piece."""
    if part is None:
        return None
    found: list[pa.Array] = []
    with book.open(part) as xml:
        head = xml.read(CHUNK)
        start = head.find(b"<si")
        if start < 0:
            return empty_texts(0)
        for text in pieces(xml, b"</si>", CHUNK, carry=head[start:]):
            found.append(_shared(text))
    return pa.concat_arrays(found, memory_pool=POOL) if found else empty_texts(0)


def _shared(text: bytes) -> pa.Array:
    end = text.rfind(b"</sst>")
    tags = Tags(text if end < 0 else text[:end])
    if len(tags.named(b"si", b"/ ")) or len(tags.named(b"rPh", b" >")):
        raise Unusual("an empty or phonetic shared string")
    si = tags.lt[tags.named(b"si", b">")]
    t_tag, starts, ends, preserve = tags.texts()
    owner = np.searchsorted(si, t_tag) - 1
    runs = np.bincount(owner, minlength=len(si)) if len(owner) else np.zeros(len(si), int)
    rich = runs != 1
    runs_at = np.searchsorted(si, tags.lt[tags.named(b"r", b">")]) - 1
    rich[runs_at] = True
    simple = ~rich[owner]
    texts = strings(spans(tags.text, starts[simple], ends[simple]), preserve[simple])
    if not rich.any():
        return texts
    index = np.zeros(len(si), np.int64)
    index[~rich] = np.arange(int((~rich).sum()))
    joined = []
    for i in np.flatnonzero(rich):  # each run's text trimmed as calamine does, then joined
        mine = np.flatnonzero(owner == i)
        pieces = spans(tags.text, starts[mine], ends[mine])
        joined.append("".join(strings(pieces, preserve[mine]).to_pylist()))
    index[rich] = len(texts) + np.arange(len(joined))
    every = pa.concat_arrays([texts, texts_of(joined)], memory_pool=POOL)
    return pc.take(every, ints(index), memory_pool=POOL)
