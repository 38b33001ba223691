"""How a DuckDB file looks on disk: what lets `Store.version()` answer without opening the
file while nothing has changed (opening it waits for any other process holding it)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# A file changed this recently may change again within the same tick of the file system's
# clock without its time moving: its look on disk is not trusted as "unchanged" then.
SETTLED_NS = 50_000_000


def files_seen(file: Path) -> tuple[object, ...] | None:
    """How the database file and its write-ahead log look on disk (`look`), or None when
    either was changed too recently to tell, or cannot be looked at."""
    now = time.time_ns()
    seen = look(file)
    if any(one is not None and (not one or now - one[2] < SETTLED_NS) for one in seen):
        return None
    return seen


def look(file: Path) -> tuple[tuple[int, ...] | None, ...]:
    """The database file and its write-ahead log as they are on disk: for each, (inode,
    size, modification time, change time), None if it is not there, or () if it cannot be
    looked at. DuckDB appends every commit to the log, and a checkpoint rewrites the file
    and empties the log, so no commit leaves both looking the same."""
    out: list[tuple[int, ...] | None] = []
    for path in (file, file.with_name(file.name + ".wal")):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            out.append(None)
            continue
        except OSError:
            out.append(())
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)


LOCKS = Path("/proc/locks")  # Linux: every file lock held, and by which process


def working_marker(file: Path) -> Path:
    """The file a command holds a lock on from its start to its end (`command_at_work`)."""
    return file.with_name(file.name + ".working")


@contextmanager
def command_at_work(file: Path) -> Iterator[None]:
    """Say, for as long as the block lasts, that a command is at work on the DuckDB `file`:
    a shared lock on `working_marker(file)`, which an app server's watch (ui/refresh.py) sees
    in /proc/locks. A command that writes, lets go of the file and opens it again (a load
    checks, then stores; a reminder run records each message it sends) keeps it to itself
    until it ends (or for AT_WORK_SECONDS of a pause between two steps: ui/refresh.py), and
    the server reads the change as soon as it has, not some time after the file went quiet.
    A separate file, because closing any descriptor of the database file itself would drop
    this process's own DuckDB lock on it. Where the marker cannot be made (a folder not yet
    there, or not ours to write), nothing is said."""
    descriptor = None
    try:
        # never through a link someone left there; not inherited by a child process (PEP
        # 446), which would hold the lock after the command ended
        flags = os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        # readable by everyone (less the umask): an empty file, and another person's command
        # on the same store (a scheduled job's account, an analyst's) locks it read-only
        descriptor = os.open(working_marker(file), flags, 0o644)
        # shared: two commands at once both say so; never waiting (a file system without
        # locks, or anything holding it otherwise, and the command runs unsaid)
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        if descriptor is not None:
            os.close(descriptor)
            descriptor = None
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)  # the lock goes with it


@dataclass(frozen=True)
class InUse:
    """Who else has the DuckDB file: another process has it open (DuckDB's lock on it), or a
    command is at work on it (`command_at_work`), whether or not it has the file open now."""

    store: bool
    command: bool


def in_use_elsewhere(file: Path) -> InUse | None:
    """What other processes hold on `file`, from Linux's /proc/locks, without opening the
    file (opening and closing it here would drop this process's own locks on it). None where
    it cannot be told (not Linux, or unreadable)."""
    try:
        table = LOCKS.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    me = str(os.getpid())
    wanted = {_lock_name(file): "store", _lock_name(working_marker(file), False): "command"}
    found = set()
    for line in table.splitlines():
        fields = line.split()
        if "->" in fields:  # a process waiting for a lock, not holding it
            continue
        # "1: POSIX  ADVISORY  WRITE 2072 fe:00:2146679 0 EOF": kind, mode, pid, device:inode
        if len(fields) >= 6 and fields[5] in wanted and fields[4] != me:
            found.add(wanted[fields[5]])
    return InUse("store" in found, "command" in found)


def _lock_name(path: Path, follow: bool = True) -> str | None:
    """How /proc/locks names the file: its device (major:minor, in hex) and inode."""
    try:
        found = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
