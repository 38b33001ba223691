"""A file as checked, kept between the check and the store so that storing it does not read
and check it again (the upload page checks a file, shows the preview, and stores it when the
analyst says so).

What was checked is used only for the very same bytes (their SHA-256), the same charter
object, the same provider's layout and the same day (a period may end overnight); anything
else, and the file is read and checked again. The checked rows are an Arrow table, which
cannot change, so what is stored is exactly what was checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from charter import Charter
from metrics.ingest.validate import Validation


@dataclass(frozen=True)
class Checked:
    sha256: str
    charter: Charter
    provider: str | None
    day: date
    sheet: str | None
    result: Validation

    def serves(self, sha256: str, charter: Charter, provider: str | None) -> bool:
        """Whether this check stands for the file `sha256` checked now."""
        return (
            self.sha256 == sha256
            and self.charter is charter
            and self.provider == provider
            and self.day == date.today()
            and self.result.ok
        )
