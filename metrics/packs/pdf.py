"""A pack as a tagged, accessible PDF (PDF/UA-1), made by WeasyPrint from the pack's own HTML:
title and language from the HTML, a structure tree in reading order, charts as vector
images with their alt text, A4 pages with the quarter and page number in the footer."""

from __future__ import annotations

import gc
import logging
from typing import Any

from metrics.packs.content import Pack
from metrics.packs.html import render


def render_pdf(pack: Pack | None, html: str | None = None) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # slow: only for a PDF

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if html is None:
        assert pack is not None
        html = render(pack)
    source = HTML(string=html)
    pdf = source.write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=_let_go_of_the_layout
    )
    assert pdf is not None
    return bytes(pdf)


def _let_go_of_the_layout(document: Any, _pdf: object) -> None:
    """WeasyPrint calls this once the PDF's objects are made, before it writes them out:
    the laid-out pages are not needed for the writing, and holding them through it was the
    peak of a large pack (the 3,000-action planning-group pack's PDF: 723 MB, 675 MB with
    the pages let go; bench/README.md). Their boxes refer to each other, so only a
    collection frees them."""
    document.pages.clear()
    gc.collect()
