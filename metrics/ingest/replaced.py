"""Stored figures a later file replaces: the needs return's counts, the finance return's
spend and section 251 outturn. A later upload supersedes what an earlier one sent for the
same quarter and source (year and service; year, area and service): the earlier is kept,
but the pages show the later. Such a replacement is a revision of stored figures, so it is
treated as `load` treats one of our own figures (metrics/ingest/commit.py): it needs a
reason, and each figure replaced gets an audit row with its value before and after. A file
that only adds figures, or sends the same ones again, needs none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from metrics.access import audit
from metrics.ingest.commit import Diff, Upload, log_upload
from metrics.store import needs as stored
from metrics.store.connection import Connection

Row = tuple[object, ...]
GONE = "none (not in the new file)"  # a figure the superseding file no longer sends
REASON_FIX = (
    "Say why the figures changed (for example 'provider resubmitted corrected data'; on the "
    "command line: --reason) and load the file again."
)


@dataclass(frozen=True)
class Figures:
    """One kind of superseded figures: what a later upload supersedes as a whole (`unit`),
    one figure within it (`figure`), its value and its name in words, how the stored ones
    are read and new ones added (metrics/store/needs.py)."""

    what: str
    unit: Callable[[Row], Row]
    figure: Callable[[Row], Row]
    value: Callable[[Row], str]
    name: Callable[[Row], str]
    current: Callable[[Connection], list[Row]]
    add: Callable[[Connection, int, Sequence[Row]], None]


def _number(value: object, money: bool = False) -> str:
    """A stored amount in words, to 2 places, or every place it has where 2 would round it:
    the words are what a replacement is found by, so a change beyond 2 places is one."""
    if value is None:
        return "unknown"
    amount = float(str(value))
    shown = f"{amount:,.2f}"
    if float(shown.replace(",", "")) != amount:
        shown = f"{amount:,}"
    return f"£{shown}" if money else shown.removesuffix(".00")


NEEDS = Figures(
    "needs return",
    unit=lambda r: (r[0], r[1]),  # quarter, source
    figure=lambda r: (r[0], r[1], r[3], r[4]),  # ... locality, need
    value=lambda r: f"{r[5]} children (as at {r[2]})",
    name=lambda r: f"{r[0]}, {r[1]}, {r[3]}, {r[4] or 'moves in'}",
    current=stored.counts,
    add=stored.add_counts,
)
FINANCE = Figures(
    "finance return",
    unit=lambda r: (r[0], r[1]),  # year, service
    figure=lambda r: (r[0], r[1]),
    value=lambda r: f"{_number(r[2], money=True)} on {_number(r[3])} children",
    name=lambda r: f"{r[0]}, {r[1]}",
    current=stored.spend,
    add=stored.add_spend,
)
S251 = Figures(
    "section 251 outturn",
    unit=lambda r: (r[0], r[1], r[4]),  # year, area code, service
    figure=lambda r: (r[0], r[1], r[4]),
    value=lambda r: f"spend {_number(r[5])}, per child {_number(r[6])}",
    name=lambda r: f"{r[0]}, {r[2]} ({r[1]}), {r[4]}",
    current=stored.outturn,
    add=stored.add_outturn,
)


@dataclass(frozen=True)
class Replacement:
    figure: str  # its name, e.g. "2026-27 Q2, swift, North, autism"
    before: str
    after: str


class NeedsReason(ValueError):
    """Stored figures would be replaced, and no reason was given: nothing was stored."""

    def __init__(self, replaced: list[Replacement]):
        self.replaced = replaced
        n = len(replaced)
        super().__init__(
            f"{n} stored figure{'s' if n != 1 else ''} would be replaced (e.g. "
            f"{replaced[0].figure}: {replaced[0].before} → {replaced[0].after}); give a "
            "reason for the replacement."
        )


def replacements(con: Connection, kind: Figures, rows: Sequence[Row]) -> list[Replacement]:
    """The stored figures `rows` would replace with a different value (or leave out of a
    quarter and source they send again), as the pages show them now."""
    units = {kind.unit(r) for r in rows}
    before = {kind.figure(r): r for r in kind.current(con) if kind.unit(r) in units}
    after = {kind.figure(r): r for r in rows}
    found = []
    for key, old in before.items():
        new = after.get(key)
        was, now = kind.value(old), kind.value(new) if new is not None else GONE
        if was != now:
            found.append(Replacement(kind.name(old), was, now))
    return sorted(found, key=lambda r: r.figure)


def store(
    con: Connection,
    kind: Figures,
    upload: Upload,
    rows_in_file: int,
    rows: Sequence[Row],
    message: str,
) -> tuple[int, list[Replacement]]:
    """Log the upload and add `rows`, inside the caller's transaction; each figure replaced
    audited with its value before and after. Raises NeedsReason (the caller rolls back) if
    any is replaced without `upload.reason`. The upload's number, and what it replaced."""
    replaced = replacements(con, kind, rows)
    if replaced and not (upload.reason or "").strip():
        raise NeedsReason(replaced)
    now = datetime.now()
    diff = Diff(added=len(rows), revised=len(replaced))
    upload_id = log_upload(con, upload, now, "loaded", rows_in_file, diff, 0, message)
    kind.add(con, upload_id, rows)
    for r in replaced:
        audit.record(
            con, upload.actor, "figure replaced", f"{kind.what}: {r.figure}",
            f"Replaced by upload {upload_id}: {upload.reason}",
            before=r.before, after=r.after, at=now,
        )  # fmt: skip
    return upload_id, replaced
