"""Meeting packs: one quarter's review for the planning group (internal) or overview and
scrutiny (published, small numbers withheld), as HTML, a tagged PDF or a spreadsheet.

`content` gathers what the pack says (its tables and notes from `sections`, its charts from
`svg`); `html`, `pdf` and `xlsx` lay it out. A pack composes every capability (review,
scrutiny, evidence, partners, the self-review, and publish's disclosure policy), so packs sit
above them all and nothing below imports them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, datetime

from charter import Charter
from metrics.access.people import Actor
from metrics.packs import self_evaluation
from metrics.packs.content import AUDIENCES, PLANNING_GROUP, SCRUTINY, Pack, build
from metrics.packs.queue import QUEUE, PackBusy, PackQueue
from metrics.packs.self_evaluation import SelfEvaluation
from metrics.store.connection import Store

FORMATS = ("html", "pdf", "xlsx")
MEDIA = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


KINDS = ("meeting", "self-evaluation")


def render(pack: Pack | SelfEvaluation, fmt: str) -> bytes:
    """The pack in one format. Each writer is imported when its format is asked for: the
    command line makes one format in a fresh process (issue 34)."""
    from metrics.packs import html

    if isinstance(pack, SelfEvaluation):
        from metrics.packs import self_evaluation_layout as layout

        if fmt not in FORMATS:
            raise ValueError(f"A pack's format is one of: {', '.join(FORMATS)} (not {fmt!r}).")
        page = layout.render_html(pack)
        if fmt == "html":
            return page.encode("utf-8")
        if fmt == "pdf":
            from metrics.packs import pdf

            return pdf.render_pdf(None, page)
        return layout.render_xlsx(pack)
    if fmt == "html":
        return html.render(pack).encode("utf-8")
    if fmt == "pdf":
        from metrics.packs import pdf

        return pdf.render_pdf(pack)
    if fmt == "xlsx":
        from metrics.packs import xlsx

        # no HTML first: the spreadsheet has no glossary (the HTML's is worked out from its
        # words), and laying the HTML out only to drop it was a tenth of an XLSX pack's time
        return xlsx.render_xlsx(pack)
    raise ValueError(f"A pack's format is one of: {', '.join(FORMATS)} (not {fmt!r}).")


def file_name(pack: Pack | SelfEvaluation, fmt: str) -> str:
    if isinstance(pack, SelfEvaluation):
        return f"self-evaluation-{pack.quarter.replace(' ', '-')}.{fmt}"
    audience = pack.audience.replace(" ", "-")
    return f"charter-pack-{pack.quarter.replace(' ', '-')}-{audience}.{fmt}"


def make(
    store: Store,
    charter: Charter,
    quarter: str,
    audience: str,
    formats: tuple[str, ...],
    reader: Actor,
    progress: Callable[[str], None] = lambda _: None,
    today: date | None = None,
    now: datetime | None = None,
    kind: str = "meeting",
    queue: PackQueue | None = QUEUE,
) -> tuple[Pack | SelfEvaluation, dict[str, bytes]]:
    """Build the pack once and render it in each format, saying what it is doing. A
    self-evaluation draft has no audience (it is internal). Packs are made one after another
    (`queue`, metrics/packs/queue.py): this waits its turn, saying so, or raises
    PackBusy when its person already has one being made or the queue is full; the person's
    one pack and the same pack made once at a time hold across app servers on one store."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"A pack's format is one of: {', '.join(FORMATS)} (not {unknown[0]!r}).")
    if kind not in KINDS:
        raise ValueError(f"A pack's kind is one of: {', '.join(KINDS)} (not {kind!r}).")
    same = f"{kind} {quarter} {audience}"
    turn = queue.turn(reader.subject or reader.label, progress, store, same) if queue else None
    with turn or nullcontext():
        progress("Gathering the figures, commentary and actions")
        pack: Pack | SelfEvaluation
        # one connection for the whole gathering: each part opens the store, and opening a
        # DuckDB file some seventy times was a second or more of a pack (issue 34)
        with store.connect():
            if kind == "self-evaluation":
                pack = self_evaluation.build(store, charter, quarter, reader, now=now, today=today)
            else:
                pack = build(store, charter, quarter, audience, reader, now=now, today=today)
        out = {}
        for fmt in formats:
            progress(f"Writing the {fmt.upper()}")
            out[fmt] = render(pack, fmt)
    return pack, out


__all__ = [
    "AUDIENCES",
    "FORMATS",
    "KINDS",
    "MEDIA",
    "PLANNING_GROUP",
    "SCRUTINY",
    "Pack",
    "PackBusy",
    "PackQueue",
    "SelfEvaluation",
    "make",
    "render",
]
