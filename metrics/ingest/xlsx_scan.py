"""What a workbook's values do not say, read from its XML in one streamed pass.

The Rust reader (fastexcel, over calamine) gives every cell's value as text, straight to
Arrow, but not: which cells hold a formula whose result was never saved (a program, not
Excel, wrote the file), which numbers are formatted as percentages (45% is stored as 0.45),
which are dates or times, which are TRUE/FALSE, nor on which row the sheet starts (calamine's
table begins at its first filled cell; the analyst's row numbers begin at row 1; its first
column fastexcel does say). The first number as saved lets the reader check that the two
place cells alike (metrics/ingest/read_xlsx.py). The sheet's XML
is streamed through a few regular expressions, row by row, in C: no Python object is made
per cell, only per cell that is one of these (a whole column of percentages is some 200,000
small tuples, which is still far cheaper than openpyxl's object per cell).

The saved `<dimension>` is never read: the cells themselves say where the data is.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree import ElementTree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHUNK = 1 << 22
P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:c, x:f)
REF = rb'(?=[^>]*?\sr="([A-Z]{1,3})(\d+)")'  # a cell's reference, wherever the attribute is
# A cell with a value: <v> with something in it, or an inline string (<is>).
VALUED = rb"<" + P + rb"c\b" + REF + rb"[^>]*>(?:<" + P + rb"f\b[^>]*(?:/>|>[^<]*</" + P
VALUED += rb"f>))?(?:<" + P + rb"v>[^<]|<" + P + rb"is>)"
# A formula whose result is empty: <f> then an empty <v>, or nothing, before </c>.
GAP = re.compile(
    rb"<" + P + rb"c\b" + REF + rb"[^>]*>\s*<" + P + rb"f\b[^>]*(?:/>|>[^<]*</" + P + rb"f>)\s*"
    rb"(?:<" + P + rb"v\s*/>|<" + P + rb"v>\s*</" + P + rb"v>|</" + P + rb"c>)"
)


def _number(date_ids: set[int]) -> re.Pattern[bytes]:
    """A number cell with its value as saved (not a date: fastexcel writes dates as dates)."""
    dates = b"|".join(str(i).encode() for i in sorted(date_ids)) or b"-"
    return re.compile(
        rb"<"
        + P
        + rb"c\b"
        + REF
        + rb'(?![^>]*?\st="(?!n")[^"]*")(?![^>]*?\ss="(?:'
        + dates
        + rb')")[^>]*>(?:<'
        + P
        + rb"f\b[^>]*(?:/>|>[^<]*</"
        + P
        + rb"f>))?<"
        + P
        + rb"v>([^<]+)</"
    )


BOOL = re.compile(rb"<" + P + rb"c\b" + REF + rb'(?=[^>]*?\st="b")')
# Excel's error values (t="e": #DIV/0!, #N/A ...), with the code as saved. fastexcel gives no
# text for them, and an empty value cell is a template row left empty: the row was skipped
# without a word. The reader puts the code in instead, which the checks then name.
ERROR = re.compile(
    rb"<"
    + P
    + rb"c\b"
    + REF
    + rb'(?=[^>]*?\st="e")[^>]*>(?:<'
    + P
    + rb"f\b[^>]*(?:/>|>[^<]*</"
    + P
    + rb"f>))?<"
    + P
    + rb"v>([^<]*)</"
)
NO_REF = re.compile(rb"<" + P + rb"c(?=[\s/>])(?![^>]*?\sr=)")
FORMULA = re.compile(rb"<" + P + rb"f[\s/>]")  # any formula at all (kept for the tests)
# Excel's built-in number formats: 9 and 10 are percentages; these are dates and times.
BUILTIN_PERCENT = {9, 10}
BUILTIN_DATE = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass
class Scan:
    """Cells as (row, col), 1-based rows as the analyst sees them, 0-based columns."""

    first: tuple[int, int] | None = None  # the first filled cell (its row is the first row)
    number: tuple[int, int, str] | None = None  # the first number, as saved: a check of places
    percent: list[tuple[int, int]] = field(default_factory=list)
    dates: list[tuple[int, int]] = field(default_factory=list)
    bools: list[tuple[int, int]] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "#N/A")
    unreferenced: bool = False  # cells without an r="A1" reference: positions unknown here


def column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def sheet_part(book: zipfile.ZipFile, name: str) -> str:
    """The zip member holding the sheet called `name` (workbook.xml, then its relationships)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", NS)}
    for sheet in workbook.iterfind("m:sheets/m:sheet", NS):
        if sheet.get("name") == name:
            target = targets[sheet.get(f"{{{NS['r']}}}id")]
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(f"no sheet named {name!r} in xl/workbook.xml")


def _is_date_format(code: str) -> bool:
    plain = _QUOTED.sub("", code).lower()
    return any(ch in plain for ch in "dmyhs") and "general" not in plain


def special_styles(book: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """The cell styles (indexes into cellXfs) that show numbers as percentages, and as dates."""
    try:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return set(), set()
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in styles.iterfind("m:numFmts/m:numFmt", NS)
    }
    percent, dates = set(), set()
    for i, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", NS)):
        fmt = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt)
        if fmt in BUILTIN_PERCENT or (code is not None and "%" in code):
            percent.add(i)
        elif fmt in BUILTIN_DATE or (code is not None and _is_date_format(code)):
            dates.add(i)
    return percent, dates


@dataclass
class _Kind:
    """Cells of one kind: a pattern, and the plain substrings one of which any such cell
    holds (a quick `in` test spares the pattern's walk over a chunk without any)."""

    pattern: re.Pattern[bytes]
    marks: tuple[bytes, ...]

    def find(self, text: bytes, into: list[tuple[int, int]]) -> None:
        if any(mark in text for mark in self.marks):
            into.extend((int(m[2]), column_index(m[1])) for m in self.pattern.finditer(text))


def _styled(ids: set[int]) -> _Kind | None:
    """Numeric cells (no t, or t="n") with one of these styles."""
    if not ids:
        return None
    alternatives = b"|".join(str(i).encode() for i in sorted(ids))
    pattern = re.compile(
        rb"<" + P + rb"c\b" + REF + rb'(?=[^>]*?\ss="(?:' + alternatives + rb')")'
        rb'(?![^>]*?\st="(?!n")[^"]*")'
    )
    return _Kind(pattern, tuple(f's="{i}"'.encode() for i in sorted(ids)))


BOOLS = _Kind(BOOL, (b't="b"',))
GAPS = _Kind(GAP, (b"<f", b":f"))  # (inside <sheetData> only <f> starts so)


def _unreferenced(text: bytes) -> bool:
    """Whether a cell lacks its reference; counted first (every writer we know puts r first)."""
    if b"<c>" not in text and b":c" not in text and text.count(b"<c ") == text.count(b'<c r="'):
        return False
    return NO_REF.search(text) is not None


def scan(book: zipfile.ZipFile, part: str) -> Scan:
    """One streamed pass over the sheet's XML, cut between rows so no cell is split."""
    percent_ids, date_ids = special_styles(book)
    percent, dates = _styled(percent_ids), _styled(date_ids)
    found = Scan()
    valued, number = re.compile(VALUED), _number(date_ids)
    with book.open(part) as xml:
        for text in pieces(xml, b"row>", CHUNK):
            if _unreferenced(text):
                found.unreferenced = True
                return found
            if found.first is None and (m := valued.search(text)):
                found.first = (int(m[2]), column_index(m[1]))
            if found.number is None and (m := number.search(text)):
                found.number = (int(m[2]), column_index(m[1]), m[3].decode())
            for kind, into in ((percent, found.percent), (dates, found.dates)):
                if kind is not None:
                    kind.find(text, into)
            BOOLS.find(text, found.bools)
            GAPS.find(text, found.gaps)
            if b't="e"' in text:
                found.errors += [
                    (int(m[2]), column_index(m[1]), m[3].decode()) for m in ERROR.finditer(text)
                ]
    return found


def pieces(xml: IO[bytes], end: bytes, size: int, carry: bytes = b"") -> Iterator[bytes]:
    """The stream's bytes about `size` at a time, each piece cut just after the last `end` in
    it (the rest starts the next piece), so no tag is split; the last piece is what remains."""
    while True:
        chunk = xml.read(size)
        text = carry + chunk
        if not chunk:
            yield text
            return
        cut = text.rfind(end) + len(end)
        if cut < len(end):
            carry = text
            continue
        yield text[:cut]
        carry = text[cut:]
