"""Indicator statuses kept in the store, for a fresh process (issue 34). A server keeps the
statuses it works out in its memory (metrics/assess/status_kept.py), but a command-line pack
is a new process each time, and working out every indicator's status at eight quarters was
half of an XLSX pack's own time (bench/README.md). So each status worked out is also kept
in the store (`statuses_kept`, migration 21), and a process that has not got it in memory
reads it there.

The key is a hash of everything the status depends on: the database (`born`), the version
of the kinds of data the indicator's status is worked out from, narrowed to it (the same as
the memory's key), the indicator and the quarter, the charter (its whole `repr`: targets,
polarity, tolerances, neighbours) and the program (the source of every module of `metrics`
and `charter`, and Python's version). A change to any of them makes a new key, so a kept
status is never stale. What is kept is the status's fields as JSON (floats by Python's
shortest repr: read back to the last bit); a row that cannot be read back is worked out
again, never shown.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from charter import Charter
from metrics.assess.benchmark import Benchmark
from metrics.assess.status import IndicatorStatus

log = logging.getLogger(__name__)

_PACKAGES = ("metrics", "charter")
_ROOT = Path(__file__).resolve().parents[2]
_STATUS_FIELDS = {f.name for f in fields(IndicatorStatus)}
_BENCHMARK_FIELDS = {f.name for f in fields(Benchmark)}


def _program() -> str:
    """A hash of the program that works statuses out: every module of the packages (8 ms;
    narrower would miss a module that a status's words come from)."""
    h = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    for package in _PACKAGES:
        for path in sorted((_ROOT / package).rglob("*.py")):
            h.update(str(path.relative_to(_ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


# Read at import, with the code this process runs: a server whose files are replaced by a
# newer release while it runs must not keep its statuses under the newer release's key.
PROGRAM = _program()


_CHARTERS: dict[int, tuple[Charter, str]] = {}  # id -> (the charter, kept alive; its hash)


def charter_hash(charter: Charter) -> str:
    """A hash of the charter's whole content (1.5 ms), once per loading of it."""
    found = _CHARTERS.get(id(charter))
    if found is None or found[0] is not charter:
        found = (charter, hashlib.sha256(repr(charter).encode()).hexdigest())
        if len(_CHARTERS) > 16:  # a server reloads its charter now and then
            _CHARTERS.clear()
        _CHARTERS[id(charter)] = found
    return found[1]


def key(born: int, version: int, indicator: str, quarter: str, charter: str) -> str:
    """What a status is kept under (`charter` is `charter_hash`'s)."""
    said = json.dumps([born, version, indicator, quarter, charter, PROGRAM])
    return hashlib.sha256(said.encode()).hexdigest()


def to_json(status: IndicatorStatus) -> str:
    said: dict[str, Any] = {n: _plain(getattr(status, n)) for n in _STATUS_FIELDS - {"benchmark"}}
    b = status.benchmark
    said["benchmark"] = None if b is None else {n: _plain(getattr(b, n)) for n in _BENCHMARK_FIELDS}
    return json.dumps(said, sort_keys=True, allow_nan=True)


def from_json(text: str) -> IndicatorStatus | None:
    """The status kept as `text`; None when it is not one this program would write (it is
    then worked out again)."""
    try:
        said = json.loads(text)
        if not isinstance(said, dict) or set(said) != _STATUS_FIELDS:
            raise ValueError(f"fields {sorted(said) if isinstance(said, dict) else said!r}")
        b = said["benchmark"]
        if b is not None:
            if not isinstance(b, dict) or set(b) != _BENCHMARK_FIELDS:
                raise ValueError("benchmark's fields")
            interval, as_at = b["interval"], b["as_at"]
            b["interval"] = None if interval is None else (interval[0], interval[1])
            b["as_at"] = None if as_at is None else date.fromisoformat(as_at)
            said["benchmark"] = Benchmark(**b)
        return IndicatorStatus(**said)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        log.warning("A kept indicator status could not be read back (%s): worked out again", e)
        return None


def _plain(value: object) -> object:
    """`value` as JSON takes it, or an error: a field of a new type must be taught here
    (and its key changes with the program, so nothing kept before is read as it)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"a status's field of type {type(value).__name__} cannot be kept")
