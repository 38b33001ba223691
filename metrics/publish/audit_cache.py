"""Disclosure audits remembered on disk, so that a fresh process (the command line, a
restarted app server, another app server, each test worker) does not solve again a table that
was audited before.

An audit is a pure function of one table's figures, the rule and the audit's own code, and a
table's figures rarely change once published; solving it takes HiGHS some 30 small integer
programs (about a second a table on a busy machine). The in-process memo in `audit.protect`
covers one process; this covers the rest.

What is kept: one JSON file of answers, each under a SHA-256 of its table, the rule and the
source of the audit and the rule (so a change to either is never answered from an older
audit). An answer holds only which figures to withhold, and why, never a figure. One file,
read once by a process (and again when another process has added to it): a pack audits some
350 tables, and a file each was 351 files opened and parsed by every fresh process (issue
34). Anything unreadable is treated as absent and worked out again: the cache can only save
time, never change what is published. `OUTCOMES_CACHE_DIR` names the folder (default
`~/.cache/outcomes-dashboard`); `OUTCOMES_CACHE_DIR=off` turns it off.

Who may have written it: an answer says which figures to withhold, so whoever can write the
file could publish a small number. The folder and the file are used only when they belong to
the user running the app and nobody else may write them (as ssh treats its folder); anything
else (or a folder above it that others may write, as ssh checks) is not read and not written
(the audits are solved again, logged once). A folder the cache makes is its owner's alone
(mode 0700); an existing one is left as it is. `audit.protect` also refuses a kept answer that
withholds less than the rule's own first choice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

CACHE_ENV = "OUTCOMES_CACHE_DIR"
FILE = "answers.json"
MOST = 2_000  # answers kept, the oldest going first: a council's every table is ~350 (the
# demo), so some five generations of uploads. Parsing costs ~10 us an answer (606: 6 ms at
# load 6, where the 351 files of a pack's tables took 137 ms): many more would cost more.
Answer = dict[tuple[str, str], str]
Rows = list[list[str]]

# The file as this process last read it: (folder, its size and time) -> every answer.
_read: dict[Path, tuple[tuple[int, int], dict[str, Rows]]] = {}
_lock = threading.Lock()
_log = logging.getLogger(__name__)
_warned: set[Path] = set()
_pass = threading.local()  # what `one_look` has found on this thread


@cache
def _code_version() -> str:
    """The audit's and the rule's source: another version of either is another cache."""
    digest = hashlib.sha256()
    for name in ("audit.py", "disclosure.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def folder() -> Path | None:
    """Where audits are kept, or None when the cache is off."""
    return _folder(os.environ.get(CACHE_ENV, ""), os.environ.get("HOME"))


@lru_cache(maxsize=8)
def _folder(setting: str, home: str | None) -> Path | None:
    """Remembered per setting and home: asked once per table, a pack's ~350 made the same
    paths, some 10 ms (1.5 ms remembered; bench/README.md); `home` is in the key because
    `Path.home()` reads it."""
    setting = setting.strip()
    if setting.lower() == "off":
        return None
    base = Path(setting).expanduser() if setting else Path.home() / ".cache" / "outcomes-dashboard"
    return base / "disclosure-audit"


def _ours_alone(path: Path) -> bool:
    """Whether `path` is absent, or belongs to the user running this process and nobody
    else may write it: only then may an answer in it be believed or added to it."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return found.st_uid == _me(found.st_uid) and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _me(otherwise: int) -> int:
    return getattr(os, "geteuid", lambda: otherwise)()


def _safe_above(where: Path) -> bool:
    """Whether nobody but this user (or root) can swap the cache folder for another: every
    folder above it belongs to one of them and no one else may write it, unless it is sticky
    (as /tmp is: others may not rename what they do not own there). As ssh's StrictModes."""
    try:
        real = where.resolve()
    except (OSError, RuntimeError):
        return False
    for above in real.parents:
        try:
            found = above.stat()
        except FileNotFoundError:
            continue  # made by this process when the cache is first written
        except OSError:
            return False
        if found.st_uid not in (0, _me(found.st_uid)):
            return False
        if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not found.st_mode & stat.S_ISVTX:
            return False
    return True


@contextmanager
def one_look() -> Iterator[None]:
    """Within this block (one pass over many tables on this thread, as a pack's ~350), the
    cache's folder is looked at once: checking it and every folder above it for each answer
    was 25 ms of an HTML pack's 0.55 s beyond its start-up (bench/README.md)."""
    outer = getattr(_pass, "seen", None)
    _pass.seen = {} if outer is None else outer
    try:
        yield
    finally:
        _pass.seen = outer


def trusted(where: Path) -> bool:
    """Whether the cache folder and its file may be used (see the module's note); says why
    in the log, once per folder, when not. Looked at every time, or once per `one_look`."""
    seen: dict[Path, bool] | None = getattr(_pass, "seen", None)
    if seen is not None and where in seen:
        return seen[where]
    found = _trusted(where)
    if seen is not None:
        seen[where] = found
    return found


def _trusted(where: Path) -> bool:
    if _ours_alone(where) and _ours_alone(where / FILE) and _safe_above(where):
        return True
    if where not in _warned:
        _warned.add(where)
        _log.warning(
            "disclosure-audit cache %s is not used: it, its %s or a folder above it belongs "
            "to another user or others may write it (make it the app user's own, mode 0700)",
            where,
            FILE,
        )
    return False


def key_of(parts: object) -> str:
    """A name for one audit: the table, rule and options as Python writes them (frozen
    dataclasses of strings and numbers), with the code version."""
    return hashlib.sha256(f"{_code_version()}\n{parts!r}".encode()).hexdigest()


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def _answers(where: Path, fresh: bool = False) -> dict[str, Rows]:
    """Every answer in the folder's file: as read before while the file is unchanged (`fresh`:
    look at the file again first), an empty dict when it is absent or unreadable."""
    path = where / FILE
    with _lock:
        known = _read.get(where)
        if known is not None and not fresh:
            return known[1]
        signature = _signature(path)
        if signature is None:
            return {}
        if known is not None and known[0] == signature:
            return known[1]
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # nested too deep: unreadable too
            found = None
        answers = found if isinstance(found, dict) else {}
        _read[where] = (signature, answers)
        return answers


def read(key: str) -> Answer | None:
    where = folder()
    if where is None or not trusted(where):
        return None
    rows = _answers(where).get(key)
    if rows is None:  # another process may have audited it since the file was read
        rows = _answers(where, fresh=True).get(key)
    if rows is None:
        rows = _kept_alone(where, key)
    try:
        return None if rows is None else {(str(b), str(g)): str(why) for b, g, why in rows}
    except (ValueError, TypeError):
        return None  # unreadable: worked out again


def _kept_alone(where: Path, key: str) -> Rows | None:
    """An answer kept in a file of its own, as they were before one file held them all: an
    upgraded installation reads its earlier audits rather than solving them again."""
    alone = where / f"{key}.json"
    if not (alone.is_file() and _ours_alone(alone)):
        return None  # absent, or others may have written it
    try:
        rows = json.loads(alone.read_text(encoding="utf-8"))
        answer = {(str(b), str(g)): str(why) for b, g, why in rows}
    except (OSError, ValueError, TypeError, RecursionError):
        return None  # absent or unreadable
    write(key, answer)  # into the one file
    return [list(r) for r in rows]


def write(key: str, answer: Answer) -> None:
    """Add one answer to the file, whole or not at all for other processes (a temporary file
    replaces it). Two processes adding at the same moment may lose one's answer: it is worked
    out again when next wanted."""
    where = folder()
    if where is None:
        return
    rows = [[b, g, why] for (b, g), why in sorted(answer.items())]
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(where):
            return
        answers = dict(_answers(where, fresh=True))
        answers.pop(key, None)  # last in: the newest, the last to go
        answers[key] = rows
        while len(answers) > MOST:
            del answers[next(iter(answers))]
        with tempfile.NamedTemporaryFile(
            "w", dir=where, suffix=".tmp", delete=False, encoding="utf-8"
        ) as f:
            json.dump(answers, f)
        os.replace(f.name, where / FILE)
        with _lock:
            signature = _signature(where / FILE)
            if signature is not None:
                _read[where] = (signature, answers)
    except OSError:
        return  # a cache that cannot be written only costs time
