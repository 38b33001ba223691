"""What the store raises: the database could not be used (StoreError), or another writer
changed the same rows first (WriteConflict). Below connection.py, so that the migration runner
(migrating.py), which connection.py runs, can raise them too."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database could not be used; the message says why (for the command line: it names
    the file). `public` says it without paths or process ids, for the app's readers."""

    public = "The database is busy or unavailable. Please try again in a minute."


class StoreBusy(StoreError):
    """Another process held the DuckDB file for as long as the caller would wait."""


class WriteConflict(StoreError):
    """Another writer changed the same rows at the same moment and committed first: nothing
    of this transaction was kept. The domain says what happened in its own words where it
    can; `public` is what a reader is told."""

    public = (
        "Someone else changed this at the same moment, so what you entered was not saved. "
        "Look at what is there now, then try again."
    )

    def __init__(self, detail: str, public: str | None = None):
        super().__init__(f"another writer changed the same rows at the same moment; nothing "
                         f"was saved ({detail.split(chr(10))[0]})")  # fmt: skip
        if public:
            self.public = public
