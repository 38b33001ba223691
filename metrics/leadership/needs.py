"""The needs baseline by locality: how many disabled children each source knows (the needs
return), how many we would expect (a published prevalence rate applied to the locality's
child population, charter/needs.yaml), the ratio of the two with its uncertainty, in words,
over time, and moves into the area.

**Known** to any service, for a locality and need, is the largest count any one source gives
(the register, EHC plans, short breaks, the community health caseload): the sources overlap
and aggregate returns cannot be matched child by child, so this is the fewest children who
must be known, a lower bound. A locality's known figure is the sum over its needs.

**Expected** is the locality's child population times the rate (`expected_from`); by need,
times the need's published share. **The ratio** known / expected has a 95% interval from the
exact (Garwood) Poisson interval of the known count, chi-squared quantiles from SciPy,
divided by the expected figure: the chance variation in how many children are known, as for
a standardised ratio. Where the rate gives its own interval, `wide_low`/`wide_high` also
allow for it (the count's low end over the highest expected, its high end over the lowest).
A locality is **under-identified** when its whole interval lies below the council's ratio.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from charter import Charter
from metrics.leadership.poisson_limits import limits
from metrics.rounding import fmt_half_up, round_half_up
from metrics.store import needs as stored
from metrics.store.connection import Store

LEVEL = 0.95
COUNCIL = "All localities"


class NoBaseline(ValueError):
    """No needs.yaml, or no needs return for the quarter asked."""


def poisson_interval(count: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact (Garwood) interval of a Poisson count: chi-squared quantiles, halved, as
    SciPy works them out (kept for the usual counts: `poisson_limits`)."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    return limits(count, level)


@dataclass(frozen=True)
class Ratio:
    known: int
    expected: float
    ratio: float
    low: float
    high: float
    wide_low: float | None = None  # allowing for the rate's own interval too
    wide_high: float | None = None


def known_vs_expected(
    known: int,
    expected: float,
    expected_low: float | None = None,
    expected_high: float | None = None,
) -> Ratio:
    """The ratio known / expected with its interval (see the module's docstring)."""
    if expected <= 0:
        raise ValueError("the expected number must be more than 0")
    lo, hi = poisson_interval(known)
    wide_low = lo / expected_high if expected_low and expected_high else None
    wide_high = hi / expected_low if expected_low and expected_high else None
    return Ratio(
        known, expected, known / expected, lo / expected, hi / expected, wide_low, wide_high
    )


def in_tens(ratio: float) -> int:
    return int(round_half_up(ratio * 10, 0))


def ratio_words(place: str, r: Ratio) -> str:
    """'About 4 in 10 of the disabled children we would expect in North are known to any
    service (between 29% and 54%, allowing for chance).'"""
    n = in_tens(r.ratio)
    lo, hi = fmt_half_up(r.low * 100, 0), fmt_half_up(r.high * 100, 0)
    where = "across the council" if place == COUNCIL else f"in {place}"
    known = "known to any service"
    if n >= 10:
        head = f"About as many disabled children as we would expect {where} are {known}, or more"
    elif n == 0:
        head = f"Fewer than 1 in 10 of the disabled children we would expect {where} are {known}"
    else:
        head = f"About {n} in 10 of the disabled children we would expect {where} are {known}"
    return f"{head} (between {lo}% and {hi}%, allowing for chance)."


@dataclass(frozen=True)
class NeedRow:
    need: str
    known: int
    expected: float | None  # None: no published share for the need
    ratio: Ratio | None


@dataclass(frozen=True)
class LocalityRow:
    locality: str
    population: int
    ratio: Ratio
    needs: list[NeedRow]
    by_source: dict[str, int]  # each caseload source's count
    moves: int | None  # moves into the locality in the quarter (None: not returned)
    under_identified: bool = False

    @property
    def words(self) -> str:
        return ratio_words(self.locality, self.ratio)


@dataclass(frozen=True)
class Baseline:
    quarter: str
    localities: list[LocalityRow]
    council: Ratio
    months: dict[str, str]  # source -> the month its figures are as at
    trend: list[tuple[str, str, Ratio]] = field(default_factory=list)  # quarter, locality, ratio
    moves: list[tuple[str, str, int]] = field(default_factory=list)  # quarter, locality, moves
    quarters: list[str] = field(default_factory=list)
    # (quarter, source, locality, need) where the source counts children: who works where
    source_cells: frozenset[tuple[str, str, str, str]] = frozenset()

    def counts(self) -> dict[str, dict[str, int]]:
        """locality -> need -> known: the table the disclosure policy protects."""
        return {row.locality: {n.need: n.known for n in row.needs} for row in self.localities}

    def locality(self, name: str) -> LocalityRow:
        return next(r for r in self.localities if r.locality == name)


Counts = list[tuple[str, str, str, str, str, int]]


ByLocality = dict[str, dict[str, int]]


def _known(
    charter: Charter, rows: Counts, quarter: str
) -> tuple[ByLocality, ByLocality, ByLocality, dict[str, str]]:
    """For one quarter: locality -> need -> known (largest of any source), locality ->
    source -> count, locality -> moves, and source -> month."""
    assert charter.needs is not None
    sources = charter.needs.sources
    best: dict[str, dict[str, int]] = {loc: {} for loc in charter.needs.localities}
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moves: dict[str, dict[str, int]] = defaultdict(dict)
    months: dict[str, str] = {}
    for q, source, month, locality, need, children in rows:
        if q != quarter or locality not in best or source not in sources:
            continue
        months[source] = month
        if sources[source].kind == "moves":
            moves[locality]["moves"] = moves[locality].get("moves", 0) + children
            continue
        per_source[locality][source] += children
        best[locality][need] = max(best[locality].get(need, 0), children)
    return best, per_source, moves, months


def _expected(charter: Charter, locality: str) -> tuple[float, float | None, float | None]:
    assert charter.needs is not None
    children = charter.needs.localities[locality].population.children
    rate = charter.needs.rate
    low = children * rate.low / 100 if rate.low else None
    high = children * rate.high / 100 if rate.high else None
    return children * rate.rate / 100, low, high


def _locality(
    charter: Charter,
    locality: str,
    needs: dict[str, int],
    by_source: dict[str, int],
    moves: int | None,
) -> LocalityRow:
    assert charter.needs is not None
    expected, low, high = _expected(charter, locality)
    mix = charter.needs.need_mix
    rows = []
    for need in charter.breakdowns["primary_need"].groups:
        known = needs.get(need, 0)
        share = mix.shares.get(need) if mix else None
        exp = expected * share / 100 if share else None
        rows.append(NeedRow(need, known, exp, known_vs_expected(known, exp) if exp else None))
    population = charter.needs.localities[locality].population.children
    ratio = known_vs_expected(sum(needs.values()), expected, low, high)
    return LocalityRow(locality, population, ratio, rows, dict(by_source), moves)


def quarters(store: Store) -> list[str]:
    """The quarters with a needs return, oldest first."""
    with store.connect() as con:
        rows = stored.counts(con)
    return sorted({r[0] for r in rows}, key=_quarter_key)


def _quarter_key(label: str) -> tuple[int, int]:
    year, q = label.split(" ")
    return int(year[:4]), int(q[1:])


def baseline(store: Store, charter: Charter, quarter: str | None = None) -> Baseline:
    """The baseline for a quarter (default: the latest with a needs return)."""
    if charter.needs is None:
        raise NoBaseline("There is no charter/needs.yaml, so there is no needs baseline.")
    with store.connect() as con:
        rows: Counts = [tuple(r) for r in stored.counts(con)]
    found = sorted({r[0] for r in rows}, key=_quarter_key)
    if not found:
        raise NoBaseline("No needs return has been loaded yet.")
    quarter = quarter or found[-1]
    if quarter not in found:
        raise NoBaseline(f"There is no needs return for {quarter} (returns: {', '.join(found)}).")
    trend: list[tuple[str, str, Ratio]] = []
    moves_rows: list[tuple[str, str, int]] = []
    for q in [f for f in found if _quarter_key(f) <= _quarter_key(quarter)]:
        best, per_source, moves, months = _known(charter, rows, q)
        localities = [
            _locality(
                charter, loc, best[loc], per_source.get(loc, {}), moves.get(loc, {}).get("moves")
            )
            for loc in charter.needs.localities
        ]
        council = known_vs_expected(
            sum(r.ratio.known for r in localities), sum(r.ratio.expected for r in localities)
        )
        localities = [
            LocalityRow(**{**r.__dict__, "under_identified": r.ratio.high < council.ratio})
            for r in localities
        ]
        trend += [(q, r.locality, r.ratio) for r in localities]
        moves_rows += [(q, r.locality, r.moves) for r in localities if r.moves is not None]
    cells = frozenset((r[0], r[1], r[3], r[4]) for r in rows if r[0] == quarter and r[5] > 0)
    upto = [f for f in found if _quarter_key(f) <= _quarter_key(quarter)]
    return Baseline(quarter, localities, council, months, trend, moves_rows, upto, cells)


def fmt_ratio(r: float) -> str:
    return fmt_half_up(r, 2)
