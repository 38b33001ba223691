"""What a return's check or load reports: its outcome, counts, errors and the rows it checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.ingest.checked import Checked
from metrics.ingest.commit import Addition, Diff, Revision, Upload, counts_words
from metrics.ingest.plausible import Unusual
from metrics.ingest.validate import RowError, Validation


@dataclass
class LoadReport:
    file_name: str
    sha256: str
    outcome: str  # loaded | no change | rejected | preview
    rows_in_file: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    warnings: list[Unusual] = field(default_factory=list)  # figures to confirm before storing
    upload_id: int | None = None
    sheet: str | None = None
    error_total: int = 0  # every problem found; `errors` keeps the first 1,000
    rows_read: int = 0  # data rows read from the file, blank ones included
    # A clean file's checked rows, for storing it without reading it again (checked.py)
    checked: Checked | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"

    @property
    def figures_changed(self) -> int:
        return sum(r.figure_changed for r in self.revisions)

    @property
    def counts_added(self) -> int:
        return sum(r.counts_added for r in self.revisions)

    def summary(self) -> str:
        if self.outcome == "rejected":
            n = max(self.error_total, len(self.errors))
            problems = f"{n:,} problem{'s' if n != 1 else ''}"
            where = (
                f"in {self.rejected_rows:,} row{'s' if self.rejected_rows != 1 else ''}"
                if self.rejected_rows
                else "with the file"
            )
            return f"Rejected: {problems} {where}; nothing was stored."
        counts = counts_words(self.added, self.revised, self.unchanged, self.counts_added)
        if self.outcome == "no change":
            return stored_words(0, 0, self.unchanged)
        if self.outcome == "preview":
            return f"Preview (nothing stored yet): {counts}."
        if self.outcome == "submitted":
            return (
                f"Submitted: {self.rows_in_file} figures waiting for an analyst to accept them "
                f"({counts}); nothing is stored yet."
            )
        return stored_words(self.added, self.revised, self.unchanged, self.counts_added)


def fmt_number(value: float) -> str:
    return f"{value:g}"


def report_for(upload: Upload, result: Validation, outcome: str) -> LoadReport:
    """A report of a checked file, before it is compared with the store."""
    return LoadReport(
        upload.file_name,
        upload.sha256,
        outcome,
        result.rows_in_file,
        notes=list(result.notes),
        sheet=upload.sheet,
        errors=list(result.errors),
        rejected_rows=result.rejected_rows,
        error_total=result.error_total or len(result.errors),
        rows_read=result.rows_read,
    )


def fill(report: LoadReport, diff: Diff) -> None:
    report.added, report.revised, report.unchanged = diff.added, diff.revised, diff.unchanged
    report.revisions = diff.revisions
    report.additions = diff.additions


def stored_words(added: int, revised: int, unchanged: int, counts_added: int = 0) -> str:
    """What storing a file did, as its report says it (and a provider's accepted submission)."""
    if not added and not revised:
        return f"No change: all {unchanged} figures are already stored."
    return f"Loaded: {counts_words(added, revised, unchanged, counts_added)}."


def revision_words(rev: Revision) -> str:
    """What a revision changes, as a preview on the command line says it: the value (or
    symbol) old -> new, then whatever else changes (also_changes). A revision of the counts
    or note alone would otherwise read "50 -> 50". The note is the sender's own text: a
    terminal or page shows it escaped, as any stored text."""
    old, new = rev.old_symbol or _number(rev.old_value), rev.new_symbol or _number(rev.new_value)
    return "; ".join([f"{old} -> {new}", *also_changes(rev)])


def revision_line(rev: Revision) -> str:
    """A revision as the command line's previews list it (`load`, `import-ees`,
    `import-lait`): what it is ("counts added" or "revise"), the figure, what changes. The
    words are escaped for a terminal by the caller."""
    group = f" {rev.breakdown}={rev.group}" if rev.breakdown else ""
    what = "counts added" if rev.counts_added else "revise"
    return f"{what}: {rev.indicator_id} {rev.period} {rev.area_code}{group}: {revision_words(rev)}"


def also_changes(rev: Revision, to: str = "->") -> list[str]:
    """What a revision changes besides the value: the counts, the note and the status, each
    old -> new (the upload page's preview says "to")."""
    words = []
    for what, before, after in (
        ("numerator", rev.old_numerator, rev.new_numerator),
        ("denominator", rev.old_denominator, rev.new_denominator),
    ):
        if before != after:
            words.append(f"{what} {_number(before) or 'none'} {to} {_number(after) or 'none'}")
    if rev.old_note != rev.new_note:
        words.append(f"note {_quoted(rev.old_note)} {to} {_quoted(rev.new_note)}")
    if rev.old_status != rev.new_status:
        words.append(f"status {rev.old_status} {to} {rev.new_status}")
    return words


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def _quoted(note: str | None) -> str:
    return "none" if note is None else f"'{note}'"
