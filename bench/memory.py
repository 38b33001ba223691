"""A process's peak memory, for the memory benchmarks.

Read from /proc/self/status (VmHWM, the resident high-water mark of this program's own
memory) rather than getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
through fork and exec, so a benchmark started by `make bench` after the ingest benchmark
reported the parent's 400 MB as its own starting point."""

from __future__ import annotations

import resource


def peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
