"""The one-page summary at the front of a pack: the chair's key messages as they stood for
the pack (at sign-off, once signed off: metrics/review/key_messages.py), else a draft from
the figures (what got better and worse, what is off track with no open action), said to be
one. A published pack's draft is made from the published facts, so it withholds what they
withhold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metrics.dates import long_date
from metrics.review import key_messages
from metrics.scrutiny import view as scrutiny
from metrics.store.connection import Store

MOST = 6  # lines a drafted part lists: one page


@dataclass(frozen=True)
class Front:
    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines)
    note: str  # who wrote it and when, or that it is drafted from the figures
    written: bool


def front(store: Store, quarter: str, facts: scrutiny.Scrutiny, as_at: datetime | None) -> Front:
    written = key_messages.current(store, quarter, as_at)
    if written is not None:
        return Front(
            tuple(
                (label, tuple(line for line in text.splitlines() if line.strip()) or ("None.",))
                for (_, label), text in zip(key_messages.PARTS, written.texts, strict=True)
            ),
            f"Written by {written.written_by} on {long_date(written.written_at)} "
            f"(version {written.version}).",
            True,
        )
    stuck = [x for x in facts.lines if x.status == "off_track" and not x.actions]
    drafted = (
        [f"{x.title}: {x.figure} {x.change}" for x in facts.better][:MOST],
        [f"{x.title}: {x.figure} {x.change}" for x in facts.worse][:MOST],
        [f"{x.title}: {x.how_long()}" for x in stuck][:MOST],
        ["The chair has not yet written what the planning group asks of the reader."],
    )
    return Front(
        tuple(
            (label, tuple(lines) or ("Nothing this quarter.",))
            for (_, label), lines in zip(key_messages.PARTS, drafted, strict=True)
        ),
        "Drafted from the figures: the chair has not written the key messages for this quarter.",
        False,
    )
