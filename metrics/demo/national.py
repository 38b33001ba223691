"""A national-scale synthetic database for benchmarks and ranking: 153 fictional councils
(ours among them) x every indicator x 12 years x breakdown groups: over a million rows, loaded
through the same validation and commit path as a real return.

Our council's code is the demo's fictional one; the others are real councils' codes (only
known areas are accepted), but every value is made up: nothing here describes a real council.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from charter import Charter, Indicator
from metrics.demo.figures import _scale
from metrics.demo.stories import DEMO_LATEST, DEMO_USER, SEED
from metrics.ingest import LoadReport, load_file
from metrics.ingest.source import COLUMNS
from metrics.periods.model import Period, PeriodKind, kind_for, latest_ended
from metrics.reference import COUNCIL, known_areas
from metrics.rounding import fmt_half_up, ratio
from metrics.store.connection import Store

COUNCILS = 153
YEARS = 12


def council_codes(charter: Charter, count: int = COUNCILS) -> list[str]:
    """Ours and real councils' codes (only known areas are accepted); the figures are made up."""
    current = [
        a.code
        for a in known_areas().values()
        if a.level == COUNCIL and not a.successors and a.code != charter.council.code
    ]
    return [charter.council.code, *current[: count - 1]]


def national_periods(ind: Indicator) -> list[Period]:
    kind = kind_for(ind.frequency, ind.year_basis)
    if kind == PeriodKind.FY_QUARTER:
        return [DEMO_LATEST.shift(-i) for i in reversed(range(4 * YEARS))]
    last = latest_ended(kind, DEMO_LATEST.end)
    count = 3 * YEARS if kind == PeriodKind.ACADEMIC_TERM else YEARS
    return [last.shift(-i) for i in reversed(range(count))]


def _lines(
    charter: Charter, ind: Indicator, area: str, groups: bool, size_factor: float
) -> list[str]:
    rng = random.Random(SEED + zlib.crc32(f"{area}:{ind.id}".encode()))
    poor, good, size = _scale(ind)
    start, end = rng.uniform(0.2, 0.8), rng.uniform(0.4, 1.1)
    periods = national_periods(ind)
    mult, dp = ind.multiplier, ind.decimals
    dims = [(d, charter.breakdowns[d].groups) for d in ind.breakdowns] if groups else []
    out = []
    for i, period in enumerate(periods):
        level = poor + (good - poor) * (
            start + (end - start) * i / (len(periods) - 1) + rng.gauss(0, 0.06)
        )
        cells = [("", "", level, size * size_factor)]
        for dim, names in dims:
            share = 1 / len(names)
            for name in names:
                g_level = (
                    level * rng.uniform(0.85, 1.15)
                    if mult or ind.unit != "count"
                    else level * share * rng.uniform(0.7, 1.3)
                )
                cells.append((dim, name, g_level, max(size * size_factor * share, 8)))
        for dim, name, lvl, n in cells:
            if mult is not None:
                den = max(int(n * rng.uniform(0.85, 1.15)), 4)
                num = min(max(round(den * lvl / mult), 0), den)
                shown = fmt_half_up(ratio(num, den, mult, dp), dp, False)
                out.append(f'{ind.id},{period.label},{shown},{area},{dim},"{name}",{num},{den},,')
            else:
                value = (
                    f"{max(round(lvl), 0)}"
                    if ind.unit == "count"
                    else fmt_half_up(max(lvl, 0), dp, False)
                )
                out.append(f'{ind.id},{period.label},{value},{area},{dim},"{name}",,,,')
    return out


def national_csv(charter: Charter, path: Path, councils: int = COUNCILS) -> Path:
    lines = [",".join(COLUMNS)]
    council = charter.council
    for ind in charter.indicators.values():
        for code in council_codes(charter, councils):
            lines += _lines(charter, ind, code, True, 1.0)
        if ind.benchmark:
            lines += _lines(charter, ind, council.england.code, False, 150.0)
            lines += _lines(charter, ind, council.region.code, False, 15.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_national(
    store: Store, charter: Charter, work: Path, councils: int = COUNCILS
) -> LoadReport:
    path = national_csv(charter, work / "national.csv", councils)
    report = load_file(
        store,
        charter,
        path.name,
        path.read_bytes(),
        by=DEMO_USER,
        kind="demo",
        source="demo (fictional): national-scale synthetic data",
        confirmed=True,  # made-up figures: nothing to confirm
    )
    if not report.ok:
        problems = "\n".join(e.as_text() for e in report.errors[:10])
        raise RuntimeError(f"the national demo was rejected:\n{problems}")
    return report
