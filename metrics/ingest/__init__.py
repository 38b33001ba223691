"""Quarterly returns in: read, validate, preview and commit, all or nothing.

`load_file` (loading.py) is what the CLI and the upload page call; `check_file`
(checking.py) previews a file against the store first; `LoadReport` (load_report.py) is
what both report. A file with any error changes no figure (its attempt is logged, with the
errors and the file's bytes); a valid file is committed in one transaction; the same file
again is "no change".
"""

from __future__ import annotations

from metrics.ingest.checking import (
    check_file,
    provider_source,
    read_and_check,
    reject,
    to_confirm,
)
from metrics.ingest.commit import Addition, Revision
from metrics.ingest.load_report import LoadReport, fill, fmt_number, report_for
from metrics.ingest.loading import load_file
from metrics.ingest.plausible import Unusual
from metrics.ingest.validate import RowError

__all__ = [
    "Addition",
    "LoadReport",
    "Revision",
    "RowError",
    "Unusual",
    "check_file",
    "fill",
    "fmt_number",
    "load_file",
    "provider_source",
    "read_and_check",
    "reject",
    "report_for",
    "to_confirm",
]
