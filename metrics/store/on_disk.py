"""How a DuckDB file looks on disk: what lets `Store.version()` answer without opening the
file while nothing has changed (opening it waits for any other process holding it)."""

from __future__ import annotations

import os
import time
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
