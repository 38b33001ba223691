"""Large blocks of the C allocator given back to the system as soon as they are freed.

glibc's malloc serves a request of 128 KiB or more with a mapping of its own, which `free`
unmaps, until the first such block is freed: glibc then raises that threshold to the block's
size (up to 32 MiB on 64-bit Linux) and its trim threshold with it, so that later buffers of
that size come from its heaps and stay with the process after they are freed, in pieces the
heaps cannot trim. An upload's reading, check and store (pyarrow, DuckDB) ask for and free
buffers of a few MB over and over, so a 50 MB return's upload held some 12 MB more at its
peak (bench/README.md, "Upload memory: the allocator's threshold"), and an app server kept
it after the upload. Setting the threshold (`mallopt(M_MMAP_THRESHOLD)`) fixes it and turns
the raising off. Each process sets it once at its start: the app server (`ui`) and the
command line (`python -m metrics`).

Fixed at 4 MiB, not at glibc's starting 128 KiB: at 128 KiB every buffer of a few hundred
KB was mapped and unmapped on its own, and reading a 9.4 MB workbook took 1.9 times as long
(measured in the same turns); at 4 MiB it takes what it did, and the upload's peak falls as
much.

Written here, not taken from a library: it is one call of glibc's, made with ctypes.
"""

from __future__ import annotations

import ctypes

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
THRESHOLD = 4 * 2**20


def give_back_large_blocks() -> bool:
    """Fix the allocator's threshold for its own mappings (see the module's note). True when
    set; False where the C library has no such setting (not glibc: nothing to fix there)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD))
