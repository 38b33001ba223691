"""A workbook's sheet read as it streams out of the zip, a megabyte of XML at a time, into
Arrow columns: memory is the cells as kept (xlsx_columns.py: repeated texts dictionary-
encoded), not the sheet held whole (fastexcel holds every cell as a Rust value: 20 MB per MB
of workbook; this, about 5, make bench).

Each piece is cut after a </row>; xlsx_tokens.py finds its cells, xlsx_text.py gives their
text exactly as read_xlsx.py's fastexcel path does, and the cells are placed by their own
references, so rows and columns are where the analyst sees them. Whatever it does not know
raises Unusual, and read_xlsx.py reads the workbook with fastexcel instead.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.allocator import give_back_free_pages
from metrics.ingest.arrow_arrays import POOL, empty_texts, flags, ints, scalar
from metrics.ingest.raw import MAX_CELL_CHARS, FileProblem, RawTable, choose_sheet
from metrics.ingest.xlsx_columns import encoded, joined
from metrics.ingest.xlsx_scan import NS, sheet_part, special_styles
from metrics.ingest.xlsx_text import CHUNK, cell_texts, shared_strings
from metrics.ingest.xlsx_tokens import Cells, Unusual, cells

# Pieces read between giving the C allocator's free pages back (`give_back_free_pages`). A
# piece's buffers (some 8 MB for a megabyte of XML) come and go, while the cells kept from
# each piece are small and long-lived: glibc places them among the freed buffers, and without
# trimming its heap grew by twice what was kept. make bench's 9.4 MB workbook, load average
# 7-9: never, 6.1-6.6 MB per MB of workbook at the peak; every 16, 5.1-5.3 and 0.05-0.1 s
# more CPU (the pages given back are faulted in again); every 8, 5.0-5.4 and 0.15 s; every
# piece, 4.5-4.7 and 0.8 s.
GIVE_BACK_EVERY = 16
SHARED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def read_streamed(content: bytes, wanted: str | None) -> RawTable:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        pr = workbook.find("m:workbookPr", NS)
        if pr is not None and pr.get("date1904", "0").lower() in ("1", "true"):
            raise Unusual("dates counted from 1904")
        names = [s.get("name", "") for s in workbook.iterfind("m:sheets/m:sheet", NS)]
        sheet_name, notes = choose_sheet(names, wanted)
        part = sheet_part(book, sheet_name)
        shared = shared_strings(book, _shared_part(book))
        percent_ids, date_ids = special_styles(book)
        grid = _Grid(sheet_name)
        nul = (
            shared is not None
            and pc.any(
                pc.match_substring(shared, "\x00", memory_pool=POOL), memory_pool=POOL
            ).as_py()
        )
        for n, piece in enumerate(_pieces(book, part), start=1):
            found = cells(piece)
            found.odd = found.odd or nul
            del piece
            texts, present = cell_texts(found, shared, percent_ids, date_ids)
            grid.add(found, texts, present, percent_ids)
            del found, texts, present
            if n % GIVE_BACK_EVERY == 0:
                give_back_free_pages()
    return grid.table(notes)


def _shared_part(book: zipfile.ZipFile) -> str | None:
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall("p:Relationship", NS):
        if rel.get("Type") == SHARED:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _pieces(book: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The sheet's <sheetData> in pieces of whole rows."""
    with book.open(part) as xml:
        text = b""
        while (start := text.find(b"<sheetData")) < 0 or text.find(b">", start) < 0:
            chunk = xml.read(CHUNK)
            if not chunk:
                raise Unusual("no <sheetData> (a namespace prefix?)")
            text = (text if start >= 0 else text[-16:]) + chunk
        head = text.find(b">", start)
        if text[head - 1] == ord("/"):
            return  # <sheetData/>: no cells
        carry, ended = text[head + 1 :], False
        while not ended:
            chunk = xml.read(CHUNK)
            text = carry + chunk
            end = text.find(b"</sheetData>")
            if end >= 0:
                text, ended = text[:end], True
            elif not chunk:
                raise Unusual("the sheet ends inside <sheetData>")
            cut = len(text) if ended else text.rfind(b"</row>") + 6
            if cut < 6:
                carry = text
                continue
            carry = text[cut:]
            yield text[:cut]


class _Grid:
    """The sheet's columns, piece by piece: every row from 1 down to the last one seen."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows = 0  # rows 1..rows are in every column's pieces
        self.columns: dict[int, list[pa.Array]] = {}
        self.covered: dict[int, int] = {}  # rows each column's pieces hold
        self.width = 0  # columns up to the last one fastexcel counts
        self.last = 0  # the last row with anything but spaces
        self.percent: list[tuple[int, int]] = []
        self.gaps: list[tuple[int, int]] = []
        self.plain: set[int] = set()  # columns kept as text (the others: dictionaries)

    def add(
        self, found: Cells, texts: pa.Array, present: np.ndarray, percent_ids: set[int]
    ) -> None:
        row, col = found.row, found.col
        if not len(row):
            return
        if row.min() <= self.rows:
            raise Unusual("rows out of order")
        top = int(row.max())
        key = (row - self.rows - 1) * (int(col.max()) + 1) + col
        in_order = not np.any(np.diff(key) <= 0)
        if not in_order and len(np.unique(key)) != len(key):
            raise Unusual("a cell written twice")
        self._check(row, col, texts, found.odd)
        filled = flags(
            pc.not_equal(
                pc.utf8_trim_whitespace(texts, memory_pool=POOL), scalar(""), memory_pool=POOL
            )
        )
        if filled.any():
            self.last = max(self.last, int(row[filled].max()))
        if present.any():
            self.width = max(self.width, int(col[present].max()) + 1)
        numeric = found.kind == ord("n")
        styled = numeric & np.isin(found.style, list(percent_ids))
        self.percent.extend(zip(row[styled].tolist(), col[styled].tolist(), strict=True))
        blank = ~flags(found.value.is_valid())
        if found.formula.any():
            saved = pc.utf8_trim_whitespace(
                pc.coalesce(
                    pc.cast(found.value, pa.string(), memory_pool=POOL),
                    scalar(""),
                    memory_pool=POOL,
                ),
                memory_pool=POOL,
            )
            blank |= flags(pc.equal(saved, scalar(""), memory_pool=POOL))
            gap = found.formula & blank
            self.gaps.extend(zip(row[gap].tolist(), col[gap].tolist(), strict=True))
        self._place(row, col, texts, top, in_order)
        self.rows = top
        for c, pieces in self.columns.items():  # columns without cells in these rows
            if self.covered[c] < self.rows:
                pieces.append(empty_texts(self.rows - self.covered[c]))
            self.covered[c] = self.rows

    def _place(
        self, row: np.ndarray, col: np.ndarray, texts: pa.Array, top: int, in_order: bool
    ) -> None:
        """Each column's rows self.rows+1..top: one take orders the texts by column; a column
        with a cell in every row is a slice of it, others are taken with "" where empty."""
        length = top - self.rows
        order = np.argsort(col, kind="stable")
        ordered = pc.take(texts, ints(order), memory_pool=POOL)
        counts = np.bincount(col)
        starts = np.concatenate([[0], np.cumsum(counts)])
        with_blank = None
        for c in np.flatnonzero(counts).tolist():
            begin, n = int(starts[c]), int(counts[c])
            if in_order and n == length:  # (no cell twice, rows in order: each row once)
                piece, copied = ordered.slice(begin, n), False
            else:
                if with_blank is None:
                    with_blank = pa.concat_arrays([ordered, empty_texts(1)], memory_pool=POOL)
                at = np.full(length, len(ordered), np.int64)
                at[row[order[begin : begin + n]] - self.rows - 1] = np.arange(begin, begin + n)
                piece, copied = pc.take(with_blank, ints(at), memory_pool=POOL), True
            self._column(c).append(self._kept(c, piece, copied))
            self.covered[c] = top

    def _kept(self, c: int, piece: pa.Array, copied: bool) -> pa.Array:
        """A column's piece as it is kept: dictionary-encoded while that holds it in well
        under its text (a column of notes, codes, periods: the same few texts row after
        row), else as text in a buffer of its own (a slice would keep the whole piece's
        text alive). Once a column's piece does not pay, its later pieces are not tried."""
        if c not in self.plain:
            coded = encoded(piece)
            if coded is not None:
                return coded
            self.plain.add(c)
        return piece if copied else pa.concat_arrays([piece], memory_pool=POOL)

    def _column(self, c: int) -> list[pa.Array]:
        if c not in self.columns:
            self.columns[c] = [empty_texts(self.rows)] if self.rows else []
            self.covered[c] = self.rows
        return self.columns[c]

    def _check(self, row: np.ndarray, col: np.ndarray, texts: pa.Array, odd: bool) -> None:
        """As read_xlsx.py: the first cell (by row, then column) with a NUL byte or more
        than MAX_CELL_CHARS characters is named."""
        size = pc.binary_length(texts, memory_pool=POOL)
        if not odd and (not len(texts) or pc.max(size, memory_pool=POOL).as_py() <= MAX_CELL_CHARS):
            return  # (a NUL could only come from a shared string: odd is set then)
        nul = flags(pc.match_substring(texts, "\x00", memory_pool=POOL))
        long = flags(pc.greater(size, scalar(MAX_CELL_CHARS), memory_pool=POOL))
        if not nul.any() and not long.any():
            return
        lengths = pc.utf8_length(texts, memory_pool=POOL).to_numpy()
        long &= lengths > MAX_CELL_CHARS
        bad = [(int(row[i]), int(col[i]), "NUL") for i in np.flatnonzero(nul)]
        bad += [(int(row[i]), int(col[i]), "long") for i in np.flatnonzero(long)]
        if not bad:
            return
        r, c, what = min(bad)
        i = int(np.flatnonzero((row == r) & (col == c))[0])
        held = "a NUL byte" if what == "NUL" else f"{int(lengths[i]):,} characters"
        raise FileProblem(
            f"Row {r}, column {c + 1} of the sheet {self.sheet!r} holds {held}, "
            "which no return needs. Shorten or clear the cell and upload the file again."
        )

    def table(self, notes: list[str]) -> RawTable:
        if self.width == 0 or self.last == 0:
            raise FileProblem(
                f"The sheet {self.sheet!r} is empty. Fill in the template's Return sheet."
            )
        last = self.last
        columns = []
        for c in range(self.width):
            pieces = self.columns.pop(c, None) or [empty_texts(self.rows)]  # (freed as joined)
            columns.append(joined(pieces).slice(0, last))
        header = [str(c[0].as_py()) for c in columns]
        while header and not header[-1].strip():
            header.pop()
        cells = pa.Table.from_arrays(
            [c.slice(1) for c in columns], [f"c{i}" for i in range(len(columns))]
        )
        return RawTable(
            header=header,
            cells=cells,
            row_no=range(2, last + 1),  # (not a list: 8 MB for 230,000 rows)
            notes=notes,
            sheet=self.sheet,
            percent_cells={(r, c) for r, c in self.percent if r <= last},
            formula_gaps=[(r, c) for r, c in self.gaps if 1 < r <= last],
        )
