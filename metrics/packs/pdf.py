"""A pack as a tagged, accessible PDF (PDF/UA-1), made by WeasyPrint from the pack's own HTML:
title and language from the HTML, a structure tree in reading order, charts as vector
images with their alt text, A4 pages with the quarter and page number in the footer."""

from __future__ import annotations

import logging

from metrics.packs.content import Pack
from metrics.packs.html import render


def render_pdf(pack: Pack | None, html: str | None = None) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # slow: only for a PDF

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if html is None:
        assert pack is not None
        html = render(pack)
    document = HTML(string=html)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)
