"""Disclosure audits remembered on disk, so that a fresh process (the command line, a
restarted app server, another app server, each test worker) does not solve again a table that
was audited before.

An audit is a pure function of one table's figures, the rule and the audit's own code, and a
table's figures rarely change once published; solving it takes HiGHS some 30 small integer
programs (about a second a table on a busy machine). The in-process memo in `audit.protect`
covers one process; this covers the rest.

What is kept: one small JSON file a table, named by a SHA-256 of the table, the rule and the
source of the audit and the rule (so a change to either is never answered from an older
audit). The file holds only the answer (which figures to withhold, and why), never a figure.
Anything unreadable is treated as absent and worked out again: the cache can only save time,
never change what is published. `OUTCOMES_CACHE_DIR` names the folder (default
`~/.cache/outcomes-dashboard`); `OUTCOMES_CACHE_DIR=off` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

CACHE_ENV = "OUTCOMES_CACHE_DIR"
Answer = dict[tuple[str, str], str]


@cache
def _code_version() -> str:
    """The audit's and the rule's source: another version of either is another cache."""
    digest = hashlib.sha256()
    for name in ("audit.py", "disclosure.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def folder() -> Path | None:
    """Where audits are kept, or None when the cache is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() == "off":
        return None
    base = Path(setting).expanduser() if setting else Path.home() / ".cache" / "outcomes-dashboard"
    return base / "disclosure-audit"


def key_of(parts: object) -> str:
    """A name for one audit: the table, rule and options as Python writes them (frozen
    dataclasses of strings and numbers), with the code version."""
    return hashlib.sha256(f"{_code_version()}\n{parts!r}".encode()).hexdigest()


def read(key: str) -> Answer | None:
    where = folder()
    if where is None:
        return None
    try:
        rows = json.loads((where / f"{key}.json").read_text(encoding="utf-8"))
        return {(str(b), str(g)): str(why) for b, g, why in rows}
    except (OSError, ValueError, TypeError):
        return None  # absent, or unreadable: worked out again


def write(key: str, answer: Answer) -> None:
    where = folder()
    if where is None:
        return
    rows = [[b, g, why] for (b, g), why in sorted(answer.items())]
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=where, suffix=".tmp", delete=False, encoding="utf-8"
        ) as f:
            json.dump(rows, f)
        os.replace(f.name, where / f"{key}.json")  # whole or not at all, for other processes
    except OSError:
        return  # a cache that cannot be written only costs time
