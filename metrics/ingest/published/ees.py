"""Import published statistics in the explore-education-statistics (EES) tidy CSV format,
driven by a mapping file (charter/ees/*.yaml), never by code per file.

Periods come from `time_period` read through `time_identifier`; areas from
`geographic_level` (England, regions, councils by `new_la_code`, `old_la_code` kept as an
alias); symbols stay symbols. Figures go through the same compare-and-commit as a return, so
importing a file again changes nothing and a newer release's changed figure is a revision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

from charter import Charter
from charter.ees_models import Mapping
from metrics import text_limits
from metrics.access.people import ANALYST, Actor, acting, require
from metrics.ingest.commit import Diff, NeedsReason, Upload, commit, compare, record_rejection
from metrics.ingest.published.read import EesError, EesFile, EesReport, ees_period, open_ees
from metrics.ingest.published.rules import value_problem
from metrics.ingest.published.stage import stage
from metrics.ingest.validate import RowError
from metrics.store import figures, published
from metrics.store.connection import Store, transaction

__all__ = [
    "EesError",
    "EesReport",
    "ees_period",
    "import_ees",
    "open_ees",
    "stage",
    "value_problem",
]


def import_ees(
    store: Store,
    charter: Charter,
    file_name: str,
    content: bytes,
    mapping: Mapping,
    *,
    dry_run: bool = False,
    by: Actor | str | None = None,
    log_rejection: bool = True,
    older_release: str | None = None,
    opener: Callable[[bytes], AbstractContextManager[EesFile]] = open_ees,
    as_at: date | None = None,
    compendium: bool = False,
) -> EesReport:
    """Import (or with `dry_run`, preview) a release. A file that cannot be used is rejected
    whole, logged in the upload history (unless `log_rejection` is off) and the report says
    why; nothing is stored.

    A file older than the release a stored figure came from (its newest period ends earlier)
    may add figures but not revise that one, unless `older_release` gives the reason.

    `opener` reads another layout as EES columns (LAIT's long format: lait.py); `as_at` is
    the date the file's figures were published as at, kept for each indicator it holds.

    A `compendium` (LAIT) gathers many releases' figures, rounded: it is not itself a
    release, so what it stores never counts as a newer release's. Without this, the app's
    shipped LAIT extract (to 2024) made every EES release an analyst then imported "older",
    because LAIT's 49.2 differs from the release's own 49.166."""
    actor = acting(by)
    require(actor, {ANALYST}, "import published statistics")
    upload = Upload(
        file_name,
        hashlib.sha256(content).hexdigest(),
        content,
        actor,
        "published",
        f"Revised in a newer release: {mapping.source}",
        None,
        mapping.source,
    )
    if older_release is not None:
        if not older_release.strip():
            raise EesError("give the reason for importing an older release over a newer one")
        try:
            why = text_limits.bounded(older_release, "the reason", text_limits.REASON)
        except text_limits.TextTooLong as err:
            raise EesError(str(err)) from None
        older_release = why
        upload.reason = f"An older release, imported on purpose: {older_release.strip()}"
    upload.pack()  # compressed for keeping while the file is read
    with store.connect() as con:
        stored = published.stored_year_kinds(con)
    try:
        with opener(content) as source:
            staged, report, areas = stage(source, mapping, charter, stored_kinds=stored)
    except EesError as err:
        report = EesReport(
            file_name, "rejected", errors=[RowError(None, "", "", f"{str(err).rstrip('.')}.", "")]
        )
        report.error_total = 1
        return _rejected(store, upload, report, log_rejection)
    report.file_name = file_name
    upload.release_end = None if compendium else report.release_end
    if report.error_total:
        report.outcome = "rejected"
        return _rejected(store, upload, report, log_rejection)
    with store.connect() as con:
        figures.stage(con, staged)
        end = report.release_end
        diff = Diff()
        # Compared first only when a newer release is stored (commit compares again, in its
        # transaction): an ordinary import pays for one comparison.
        if dry_run or (end and published.newer_release_stored(con, end)):
            diff = compare(con)
            report.older, newest = published.revised_from_newer(con, end)
        if report.older and older_release is None:
            _older(report, newest)
        elif not dry_run:
            # One transaction: the figures, and the release's area names and date with them
            # (they were a second one: a failure there left the figures without them)
            with transaction(con):
                try:
                    report.upload_id, diff = commit(con, upload, staged.num_rows)
                except NeedsReason as err:  # cannot happen: the upload carries a reason
                    raise EesError(str(err)) from err
                for code, (name, level, old) in areas.items():
                    published.keep_area(con, code, name, level, old)
                for m in mapping.measures:
                    if as_at is not None:
                        published.keep_as_at(con, m.indicator, as_at, mapping.source)
    if report.outcome == "rejected":
        return _rejected(store, upload, report, log_rejection)
    _fill(report, diff, dry_run)
    return report


def _older(report: EesReport, newest: date | None) -> None:
    """Refuse an older release's revisions of figures a newer release stored."""
    assert report.release_end is not None and newest is not None
    n = report.older
    report.outcome = "rejected"
    report.error_total = 1
    report.errors = [
        RowError(
            None,
            "",
            "",
            f"This file is an older release than figures already stored: its periods run to "
            f"{report.release_end:%-d %B %Y}, but {n:,} figure{'s' if n != 1 else ''} it would "
            f"revise came from a release whose periods run to {newest:%-d %B %Y}. An older "
            "release does not overwrite a newer one (it may add figures the newer one lacks).",
            "To go back to the older figures on purpose, import it as an older release and "
            'give the reason (on the command line: --older-release "why").',
        )
    ]


def _rejected(store: Store, upload: Upload, report: EesReport, log: bool) -> EesReport:
    if log:
        with store.connect() as con:
            report.upload_id = record_rejection(
                con,
                upload,
                report.rows,
                len({e.row for e in report.errors}),
                report.errors,
                report.summary(),
            )
    return report


def _fill(report: EesReport, diff: Diff, dry_run: bool) -> None:
    report.added, report.revised, report.unchanged = diff.added, diff.revised, diff.unchanged
    report.revisions = diff.revisions
    if not dry_run:
        report.outcome = "imported" if diff.added or diff.revised else "no change"
