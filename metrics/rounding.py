"""One rounding rule for every figure we store or show: half up (a half rounds away from
zero), as DfE and LAIT publish. 45 of 144 is 31.25%, shown at one decimal as 31.3, never 31.2.

Python's `round()` and `format()` round the binary value half to even (31.25 -> 31.2, and
0.285 -> 0.28 because 0.285 is stored as 0.28499...), so neither is used for figures. Here a
number is read as the shortest decimal that is the same float (what was typed or published),
and a ratio is worked out exactly from its counts, before rounding.

SQL (loading a return works over the whole file in DuckDB) uses `SQL_MACROS`, the same rule
in integer arithmetic; tests/unit/test_rounding.py checks the two agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _exact(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_half_up(value: float, decimals: int) -> float:
    """`value` at `decimals` places, a half rounding away from zero (31.25 -> 31.3)."""
    return float(half_up(_exact(value), decimals))


def ratio(numerator: float, denominator: float, multiplier: float, decimals: int) -> float:
    """numerator / denominator x multiplier, worked out exactly and rounded half up (45 / 144
    x 100 at one decimal is 31.3)."""
    exact = _exact(numerator) * _exact(multiplier) / _exact(denominator)
    return float(half_up(exact, decimals))


def fmt_half_up(value: float, decimals: int, thousands: bool = True) -> str:
    """The figure as text at `decimals` places, rounded half up ("1,234.6")."""
    rounded = half_up(_exact(value), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    return f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"


# The same rule in DuckDB. A ratio of whole counts is worked out in integers (exact):
# half up of N / D is floor((2N + D) / 2D). Other ratios (fractional counts, which returns
# rarely have) go through the decimal text of the double, rounded half away from zero.
SQL_MACROS = [
    r"""CREATE OR REPLACE TEMP MACRO round_half_up(x, places) AS
        CASE WHEN x IS NULL THEN NULL
             ELSE sign(x) * floor(abs(x)::VARCHAR::DECIMAL(38, 12)
                                  * pow(10, places)::DECIMAL(38, 0) + 0.5)::DOUBLE
                  / pow(10, places) END""",
    r"""CREATE OR REPLACE TEMP MACRO ratio_half_up(n, d, m, places) AS
        CASE WHEN n >= 0 AND d > 0 AND n = trunc(n) AND d = trunc(d) AND m = trunc(m)
                  AND n < 1e15 AND d < 1e15
             THEN ((2 * n::HUGEINT * m::HUGEINT * pow(10, places)::HUGEINT
                    + d::HUGEINT) // (2 * d::HUGEINT))::DOUBLE / pow(10, places)
             ELSE round_half_up(n / d * m, places) END""",
]
