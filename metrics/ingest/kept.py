"""An uploaded file's original bytes, for analysts only: a return may hold small numbers that
are not for everyone (the store keeps them: metrics/store/queries.kept_file)."""

from __future__ import annotations

from metrics.access.people import ANALYST, Actor, require
from metrics.store.connection import Store
from metrics.store.queries import kept_file


def upload_file(store: Store, upload_id: int, reader: Actor) -> tuple[str, bytes] | None:
    """The name and original bytes of an uploaded file, or None when none is kept."""
    require(reader, {ANALYST}, "download an uploaded file")
    return kept_file(store, upload_id)
