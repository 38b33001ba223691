"""Indicator statuses kept in the store, for a fresh process (issue 34). A server keeps the
statuses it works out in its memory (metrics/assess/status_kept.py), but a command-line pack
is a new process each time, and working out every indicator's status at eight quarters was
half of an XLSX pack's own time (bench/README.md). So each status worked out is also kept
in the store (`statuses_kept`, migration 21), and a process that has not got it in memory
reads it there.

The key is a hash of everything the status depends on: the database (`born`), the version
of the kinds of data the indicator's status is worked out from, narrowed to it (the same as
the memory's key), the indicator and the quarter, the charter (its whole `repr`: targets,
polarity, tolerances, council.yaml's comparators), the reference data a benchmark reads
beside it (the statistical neighbours in force, DfE's model in `charter/neighbours.yaml`
unless council.yaml names comparators; every area of `metrics/reference/areas.csv`: which
are councils, which codes are one council), as this process read them, and the program (the
source of every module of `metrics` and `charter`, and Python's version). A change to any of
them makes a new key, so a kept status is never stale. What is kept is the status's fields
as JSON (floats by Python's shortest repr: read back to the last bit); a row that cannot be
read back as a status of the types its fields are is worked out again, never shown.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import sys
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from charter import Charter
from metrics.assess.benchmark import Benchmark
from metrics.assess.status import IndicatorStatus
from metrics.reference import known_areas

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


@functools.cache  # read once per process, as `known_areas` is
def _areas() -> str:
    return hashlib.sha256(repr(sorted(known_areas().items())).encode()).hexdigest()


def charter_hash(charter: Charter) -> str:
    """A hash of the charter's whole content and the reference data read beside it (1.5 ms),
    once per loading of it (the neighbour model and the areas are read once per process)."""
    found = _CHARTERS.get(id(charter))
    if found is None or found[0] is not charter:
        said = f"{charter!r}\0{charter.neighbours()!r}\0{_areas()}"
        found = (charter, hashlib.sha256(said.encode()).hexdigest())
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
        _typed(said, _STATUS_TYPES)
        b = said["benchmark"]
        if b is not None:
            if not isinstance(b, dict) or set(b) != _BENCHMARK_FIELDS:
                raise ValueError("benchmark's fields")
            _typed(b, _BENCHMARK_TYPES)
            interval, as_at = b["interval"], b["as_at"]
            b["interval"] = None if interval is None else (interval[0], interval[1])
            b["as_at"] = None if as_at is None else date.fromisoformat(as_at)
            said["benchmark"] = Benchmark(**b)
        return IndicatorStatus(**said)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        log.warning("A kept indicator status could not be read back (%s): worked out again", e)
        return None


# What JSON gives back for each field's declared type (the annotations are text: the
# modules use `from __future__ import annotations`).
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "float": (int, float), "int": (int,), "bool": (bool,), "list": (list,),
    "tuple": (list,), "date": (str,), "Benchmark": (dict,),
}  # fmt: skip


def _declared(cls: type) -> dict[str, tuple[tuple[type, ...], bool]]:
    """Each field's JSON types, and whether it may be null, from its annotation."""
    out = {}
    for f in fields(cls):
        outer = re.sub(r"\[.*\]", "", str(f.type))  # list[float | None] -> list
        parts = [p.strip() for p in outer.split("|")]
        kinds = tuple(t for p in parts if p != "None" for t in _JSON_TYPES[p])
        out[f.name] = (kinds, "None" in parts)
    return out


_STATUS_TYPES = _declared(IndicatorStatus)
_BENCHMARK_TYPES = _declared(Benchmark)


def _typed(said: dict[str, Any], declared: dict[str, tuple[tuple[type, ...], bool]]) -> None:
    for name, (kinds, nullable) in declared.items():
        value = said[name]
        if value is None and nullable:
            continue
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ValueError(f"{name} is {value!r}")


def _plain(value: object) -> object:
    """`value` as JSON takes it, or an error: a field of a new type must be taught here
    (and its key changes with the program, so nothing kept before is read as it)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):  # read back as a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"a status's field of type {type(value).__name__} cannot be kept")
