"""What the app's cached reads (ui/reads.py) are keyed on and read through: the version of
the kinds of data a read reads (`data_key`), the store opened once for a whole read
(`reading`), and who the reader is to the disclosure policy (`audience`, `public`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from metrics.publish.policy import PUBLIC, Audience, DisclosurePolicy, audience_of
from metrics.store.changes import FIGURES, for_indicator
from metrics.store.connection import Store
from ui import context

Version = int

# The kinds of data (metrics/store/changes.py) a read reads, for the reads that read no
# figures, or only that: an upload of a return leaves the first cached. The reads keyed on
# every kind (`data_key()`) read the figures and much else (statuses, the review, ...).
# tests/unit/test_reads_kinds.py holds each to what it reads.
TRAJECTORIES = ("trajectories",)
EVIDENCE = ("evidence_items", "evidence_attachments")
REVIEW_EXTRAS = ("commentary", "actions", "action_updates")
QUARTERS = (*FIGURES, "periods")
# What the reads of one indicator read (its page's: its figures with their uploads and
# periods, as `indicator_key` narrows them to it; and what figures do not bring). "wanted"
# is a registered table of the (indicator, period) pairs asked: no write has that kind.
INDICATOR = (
    *FIGURES, "periods", "uploads", "areas", "published_as_at", "forecasts_kept", "wanted",
    *TRAJECTORIES, *EVIDENCE,
)  # fmt: skip


def data_key(*kinds: str) -> tuple[str, Version]:
    """What a cached read is keyed on: the database, and the version of the kinds of data it
    reads (of every kind when none is named)."""
    versions = context.data_versions()  # `born`: which database at that path (Versions)
    # and which loading of the charter the run uses (its disclosure rules): `path#born.serial`
    where = f"{context.store().path}#{versions.born}.{context.charter_serial()}"
    return where, versions.of(kinds) if kinds else versions.latest


def indicator_key(indicator: str) -> tuple[str, Version]:
    """`data_key` of a read of one indicator (`INDICATOR`): an upload of other indicators'
    figures, of any quarter, leaves it be (metrics/store/changes.py, `for_indicator`)."""
    return data_key(*for_indicator(INDICATOR, indicator))


@st.cache_resource(show_spinner=False)
def _store_at(db: str) -> Store:
    return Store(db, linger=context.LINGER)  # one per file: its schema is checked once


@contextmanager
def reading(db: str) -> Iterator[Store]:
    """The store, opened once for a whole cached read (nested reads share the opening). `db`
    as `data_key` names it: the database's path or URL, `#`, when it was made and which
    loading of the charter the reads use."""
    path, mark, born = db.rpartition("#")  # the path may hold a "#" itself; born cannot
    if not mark or not born:
        raise ValueError(f"reading() takes a database as data_key names it, not {db!r}")
    store = _store_at(path)
    with store.connect():
        yield store


def audience() -> Audience:
    """Who the reader is to the disclosure policy: staff, or public (councillors)."""
    return audience_of(context.user())


def public() -> bool:
    """The reader sees what would be published (councillors), not the real small numbers."""
    return audience() == PUBLIC


def policy() -> DisclosurePolicy:
    """The disclosure policy, without the audit of figures (surveys, the rule's words)."""
    return DisclosurePolicy(context.charter())
