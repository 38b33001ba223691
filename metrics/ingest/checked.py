"""A file as checked, kept between the check and the store so that storing it does not read
and check it again (the upload page checks a file, shows the preview, and stores it when the
analyst says so).

What was checked is used only for the very same bytes (their SHA-256), the same charter
object, the same provider's layout and the same day (a period may end overnight); anything
else, and the file is read and checked again. The checked rows are an Arrow table, which
cannot change, so what is stored is exactly what was checked.

The preview's comparison with the stored figures and its unusual figures are kept too, with
the state of the store they were worked out against (its file and data version, read before
them): storing takes them instead of asking again only while the store is still in that
state, so that they cannot differ from what asking again would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from charter import Charter
from metrics.ingest.commit import Diff
from metrics.ingest.plausible import Unusual
from metrics.ingest.validate import Validation
from metrics.store.connection import Connection, data_version


def store_state(con: Connection) -> tuple[str, int] | None:
    """Which store and which of its states `con` reads: its file (path and inode: a file
    restored at the same path starts its versions again) and the latest committed write's
    number. Every transaction that changes figures commits a new number. None when the
    file cannot be told."""
    return (con.source, data_version(con)) if con.source else None


@dataclass(frozen=True)
class Preview:
    """What the preview found against the store in the state `seen` (store_state)."""

    seen: tuple[str, int]
    added: int
    revised: int
    unchanged: int
    warnings: tuple[Unusual, ...]

    def stands(self, con: Connection) -> bool:
        """Whether the store `con` reads is still as it was for the preview."""
        return store_state(con) == self.seen

    def diff(self, con: Connection) -> Diff | None:
        """The comparison storing would find (counts only, as `commit` asks), if the store is
        unchanged and no stored figure is revised (a revision needs the store's own rows)."""
        if self.revised or not self.stands(con):
            return None
        return Diff(self.added, 0, self.unchanged)


@dataclass(frozen=True)
class Checked:
    sha256: str
    charter: Charter
    provider: str | None
    day: date
    sheet: str | None
    result: Validation
    preview: Preview | None = None

    def serves(self, sha256: str, charter: Charter, provider: str | None) -> bool:
        """Whether this check stands for the file `sha256` checked now."""
        return (
            self.sha256 == sha256
            and self.charter is charter
            and self.provider == provider
            and self.day == date.today()
            and self.result.ok
        )
