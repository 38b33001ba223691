"""The C allocator (glibc's malloc) giving memory back to the system.

**Large blocks** (`give_back_large_blocks`). glibc serves a request of 128 KiB or more with a
mapping of its own, which `free` unmaps, until the first such block is freed: glibc then
raises that threshold to the block's size (up to 32 MiB on 64-bit Linux) and its trim
threshold to twice that, so that later buffers of that size come from its heaps and stay
there, in pieces the heaps cannot trim, after they are freed. An upload's reading, check and
store (pyarrow, DuckDB) ask for and free buffers of a few MB over and over: a 50 MB return's
upload held some 12 MB more at its peak (bench/README.md, "Upload memory: the allocator's
threshold"). Both thresholds are fixed here (`mallopt`), which also turns the raising off:
mappings from 4 MiB, the heap's top given back from 128 KiB (glibc's own default). Not at
glibc's starting 128 KiB for mappings: every buffer of a few hundred KB was then mapped and
unmapped on its own, and reading a 9.4 MB workbook took 1.9 times as long. Set once per
process: by the command line (`python -m metrics`) before its command, and by the app server
when `ui` is first imported (the first page's run).

**Free pages** (`give_back_free_pages`, `malloc_trim`): asked for by a reader that frees many
buffers between small long-lived ones (metrics/ingest/read_xlsx_stream.py).

Both are glibc's own calls, made with ctypes (no library wraps them). Elsewhere (musl, macOS,
Windows) they do nothing: those allocators have neither.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD_BYTES = 4 * 2**20
TRIM_THRESHOLD_BYTES = 128 * 1024  # glibc's default (DEFAULT_TRIM_THRESHOLD)


def _glibc(name: str) -> Any:
    """glibc's function `name`, or None where the C library is another's."""
    if not sys.platform.startswith("linux"):
        return None  # (on Windows `CDLL(None)` itself fails, with a TypeError)
    try:
        return getattr(ctypes.CDLL(None), name)
    except (AttributeError, OSError):  # musl has neither function
        return None


_MALLOPT = _glibc("mallopt")
_TRIM = _glibc("malloc_trim")


def give_back_large_blocks() -> bool:
    """Fix glibc's thresholds (see the module's note). True when set; False elsewhere."""
    if _MALLOPT is None:
        return False
    _MALLOPT.argtypes = [ctypes.c_int, ctypes.c_int]
    _MALLOPT.restype = ctypes.c_int
    mapped = _MALLOPT(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    trimmed = _MALLOPT(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    return bool(mapped and trimmed)


def give_back_free_pages() -> None:
    """Give the heaps' free pages back to the system now (`malloc_trim(0)`)."""
    if _TRIM is not None:
        _TRIM(0)
