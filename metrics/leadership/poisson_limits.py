"""The exact (Garwood) Poisson interval's limits, as SciPy works them out, kept for the counts
a needs baseline meets so that a pack or page need not import SciPy to show them.

The limits are chi-squared quantiles, halved: the same numbers, to the last bit, as
`scipy.stats.chi2.ppf` (which is `2 * scipy.special.gammaincinv(df / 2, p)`). Importing
`scipy.special` costs 0.1-0.5 s (it imports numpy.f2py, numpy.testing, numpy.random and more
through its array-API layer: issue 34), more than the whole of a pack's own work. So the 95 %
limits of the counts 0 to 19,999 are worked out once by SciPy and shipped beside this module
(`poisson_limits_95.bin`, written by `python -m metrics.leadership.poisson_limits`); any other
count or level is worked out by SciPy as before. A table rather than our own quantile routine:
only SciPy's own code gives SciPy's numbers to the last bit, and published numbers must not
move. The file's SHA-256 is checked before its first use: a changed or damaged table is an
error, never a quietly different interval; a missing one (an installation without it) only
costs the import, SciPy working every limit out as before.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct
import sys
from pathlib import Path

LEVEL = 0.95  # the level the table holds
COUNTS = 20_000  # the counts 0 .. COUNTS - 1 (a large council's known disabled children)
TABLE = Path(__file__).with_name("poisson_limits_95.bin")
TABLE_SHA256 = "9ebcc73bb156e14faf66ac0280d6f3409e4c4428b0c86266e8f16b63347997d4"
PAIR = struct.Struct("<dd")  # low, high: little-endian IEEE doubles


class DamagedTable(RuntimeError):
    """The shipped table is not the one SciPy wrote."""


def from_scipy(count: int, level: float) -> tuple[float, float]:
    """The limits worked out by scipy.special (what scipy.stats' chi2.ppf calls)."""
    from scipy.special import gammaincinv

    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(2 * gammaincinv(count, tail)) / 2
    return low, float(2 * gammaincinv(count + 1, 1 - tail)) / 2


@functools.cache
def _table() -> bytes | None:
    """The table, or None when it is not there (an installation without it): SciPy then
    works every limit out, the same numbers, only slower (said once in the log). A table
    that is there but not the one SciPy wrote is an error."""
    try:
        data = TABLE.read_bytes()
    except OSError as error:
        logging.getLogger(__name__).warning(
            "%s cannot be read (%s): the Poisson limits are worked out by SciPy instead "
            "(the same numbers, slower); %s",
            TABLE,
            error,
            _REWRITE,
        )
        return None
    if hashlib.sha256(data).hexdigest() != TABLE_SHA256:
        raise DamagedTable(f"{TABLE} is not the table SciPy wrote: {_REWRITE}")
    return data


_REWRITE = "write it again with `python -m metrics.leadership.poisson_limits`"


def limits(count: int, level: float) -> tuple[float, float]:
    """The interval's (low, high) for a count >= 0: from the table where it holds them."""
    if level == LEVEL and 0 <= count < COUNTS and count == int(count):
        table = _table()
        if table is not None:
            low, high = PAIR.unpack_from(table, int(count) * PAIR.size)
            return low, high
    return from_scipy(count, level)


def table_bytes() -> bytes:
    """The table as SciPy works it out now: each count's limits exactly as `from_scipy`."""
    return b"".join(PAIR.pack(*from_scipy(count, LEVEL)) for count in range(COUNTS))


def main() -> int:
    data = table_bytes()
    TABLE.write_bytes(data)
    print(f"Wrote {TABLE} ({len(data):,} bytes); TABLE_SHA256 = {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
