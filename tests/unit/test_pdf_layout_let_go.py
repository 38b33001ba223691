"""A pack's PDF lets go of WeasyPrint's laid-out pages before the PDF is written out
(metrics/packs/pdf.py): holding them through the writing was the peak of a large pack's
memory. The PDF keeps every page, and its tags."""

from __future__ import annotations

import gc
import io

import pikepdf
import pydyf
import pytest
from weasyprint.formatting_structure.boxes import PageBox

from metrics.packs.pdf import render_pdf

PAGES_OF_TEXT = (
    "<!doctype html><html lang='en-GB'><head><title>Three pages</title></head><body>"
    + "".join(f"<h2>Part {n}</h2><p style='break-after: page'>Text {n}.</p>" for n in range(3))
    + "</body></html>"
)


def _page_boxes() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, PageBox))


def test_the_laid_out_pages_are_gone_when_the_pdf_is_written(monkeypatch: pytest.MonkeyPatch):
    seen: list[int] = []
    write = pydyf.PDF.write

    def counting(self: pydyf.PDF, *args: object, **kw: object) -> object:
        seen.append(_page_boxes())  # not collected here: the pages must be freed already
        return write(self, *args, **kw)

    monkeypatch.setattr(pydyf.PDF, "write", counting)
    gc.collect()
    before = _page_boxes()
    gc.disable()  # no collection by chance: only the one render_pdf asks for frees them
    try:
        pdf = pikepdf.open(io.BytesIO(render_pdf(None, PAGES_OF_TEXT)))
    finally:
        gc.enable()
    assert seen == [before]  # written once, with none of this PDF's pages still laid out
    assert len(pdf.pages) == 3
    assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
