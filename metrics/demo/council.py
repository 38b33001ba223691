"""The demo council, Wrenfield (fictional): a deterministic dataset for the demo and the tests.

It is loaded through the same validation and commit path as a real return, in three uploads:
the history, the latest quarter, and a revision. Deliberate stories, so every state of the
dashboard can be seen and tested:

- improving: EHC plans issued within 20 weeks climbs from below 40% to above its target;
- deteriorating: the median wait for an autism assessment lengthens quarter by quarter;
- hovering around target: children receiving short breaks;
- missing its latest quarter: the median wait for speech and language therapy;
- stale, so its statement is short of evidence: Local Offer visits stop three quarters early;
- revised with a reason: families with a keyworker, last-but-one quarter;
- provisional: annual reviews completed on time, latest quarter;
- suppressed small count: consultation participation, under-5s, latest quarter (`c`).

And the awkward cases for disclosure control, on purpose (issue 26; `AWKWARD`):
- two small groups in one breakdown: short breaks in the latest quarter, where the localities
  add up to the total with North 1 and South 6 (the total less the rest leaves 7 across the
  two), and the age bands with 0 to 4 and 5 to 10 both 1;
- a withheld percentage with an aim of 100%: parent carer forum representation on the
  planning group, 4 of 4 in the latest quarter (On track, which says 100%);
- a small number in commentary: the previous quarter's commentary on that measure says
  "three parent carers" (`metrics/demo/review.py`).
"""

from __future__ import annotations

import csv
import io
import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from charter import Charter, Indicator
from metrics.assess.target import Polarity, Target
from metrics.demo.evidence import seed_evidence
from metrics.demo.needs import seed_needs
from metrics.demo.partners import send_returns
from metrics.demo.published import lait_indicators, seed_published
from metrics.demo.reminders import seed_question
from metrics.demo.review import seed_previous_quarter, seed_self_review
from metrics.ingest import LoadReport, load_file
from metrics.ingest.validate import COLUMNS
from metrics.periods.model import Period, PeriodKind, kind_for, latest_ended
from metrics.rounding import fmt_half_up, ratio
from metrics.store import figures
from metrics.store.connection import Store, transaction

SEED = 20_261_126
DEMO_LATEST = Period(PeriodKind.FY_QUARTER, 2026, 2)  # 2026-27 Q2, July to September 2026
QUARTERS = 16
YEARS = 5
TERMS = 12
DEMO_USER = "demo generator"
REVISION_REASON = "Provider resubmitted corrected figures after a data-cleansing exercise"
# When the demo's own three uploads are dated: the history before the latest quarter ended,
# the latest return within its month, the revision two days later.
SENT = [datetime(2026, 9, 1, 9), datetime(2026, 10, 20, 9, 15), datetime(2026, 10, 22, 15)]

# (start, end) as a share of the way from "poor" to "good" for the indicator; None: hover.
STORIES: dict[str, tuple[float, float] | None] = {
    "ehcp-issued-20-weeks": (0.0, 1.05),
    "autism-assessment-median-wait": (0.75, -0.6),
    "short-breaks-receiving": None,
}
MISSING_LATEST = "speech-therapy-median-wait"
STALE = ("local-offer-visits", 3)
REVISED = "keyworker-complex-needs"
PROVISIONAL = "annual-reviews-on-time"
SUPPRESSED = ("consultation-participation", "age_band", "0 to 4")
# (indicator, breakdown) -> the latest quarter's figures: group -> (value, numerator,
# denominator); breakdown "" is the whole figure. Set after everything else is generated,
# so no other demo figure changes.
AWKWARD: dict[tuple[str, str], dict[str, tuple[str, str, str]]] = {
    ("short-breaks-receiving", "locality"): {
        "North": ("1", "", ""), "South": ("6", "", ""), "East": ("131", "", ""),
        "West": ("140", "", ""), "Central": ("135", "", ""),
    },
    ("short-breaks-receiving", "age_band"): {
        "0 to 4": ("1", "", ""), "5 to 10": ("1", "", ""), "11 to 15": ("150", "", ""),
        "16 to 17": ("130", "", ""), "18 to 25": ("131", "", ""),
    },
    ("planning-group-pcf-representation", ""): {"": ("100.0", "4", "4")},
}  # fmt: skip


@dataclass
class DemoRow:
    indicator: str
    period: str
    value: str
    area: str = ""
    breakdown: str = ""
    group: str = ""
    numerator: str = ""
    denominator: str = ""
    status: str = ""
    note: str = ""


def periods_for(indicator: Indicator) -> list[Period]:
    kind = kind_for(indicator.frequency, indicator.year_basis)
    if kind == PeriodKind.FY_QUARTER:
        return [DEMO_LATEST.shift(-i) for i in reversed(range(QUARTERS))]
    last = latest_ended(kind, DEMO_LATEST.end)
    count = TERMS if kind == PeriodKind.ACADEMIC_TERM else YEARS
    return [last.shift(-i) for i in reversed(range(count))]


def _scale(ind: Indicator) -> tuple[float, float, float]:
    """(poor, good, typical denominator) for an indicator, anchored on its target."""
    aim = Target.of(ind)
    target, lower = aim.value, aim.polarity is Polarity.LOWER
    if ind.unit == "percent":
        good = target if target is not None else 70.0
        return max(good - 30, 5), min(good + 5, 99), 60
    if ind.unit in ("weeks", "days"):
        good = target if target is not None else 12.0
        return good * 2.2, good * 0.8, 0
    if ind.unit.startswith("rate"):
        good = target if target is not None else 450.0
        if lower:
            return good * 1.6, good * 0.8, 4000
        return good * 0.8, good * 1.2, 48_000
    good = target if target is not None else 1500.0
    if lower:
        return good * 1.8, good * 0.8, 0
    return good * 0.75, good * 1.05, 0


def _level(ind: Indicator, i: int, n: int, rng: random.Random) -> float:
    poor, good, _ = _scale(ind)
    aim = Target.of(ind)
    if ind.id in STORIES and STORIES[ind.id] is None and aim.value is not None:
        return aim.value + rng.uniform(-1.3, 1.3) * (aim.tolerance or aim.value * 0.05)
    story = STORIES.get(ind.id)
    if story is None:  # the rest: a deterministic mix, from well short of target to past it
        mix = random.Random(SEED ^ zlib.crc32(ind.id.encode()))
        story = (mix.uniform(0.35, 0.7), mix.uniform(0.6, 1.1))
    start, end = story
    share = start + (end - start) * (i / max(n - 1, 1)) + rng.gauss(0, 0.05)
    return poor + (good - poor) * share


def _fmt(value: float, decimals: int) -> str:
    return fmt_half_up(value, decimals, thousands=False)


def _figure(ind: Indicator, level: float, size: float, rng: random.Random) -> tuple[str, str, str]:
    """(value, numerator, denominator) as text for a figure around `level`."""
    multiplier = ind.multiplier
    if multiplier is not None:
        level = min(max(level, 0.0), multiplier * 0.99)
        den = max(int(size * rng.uniform(0.85, 1.15)), 4)
        num = min(round(den * level / multiplier), den)
        return _fmt(ratio(num, den, multiplier, ind.decimals), ind.decimals), str(num), str(den)
    value = max(level, 0.0)
    if ind.unit == "count":
        return str(round(value)), "", ""
    return _fmt(value, ind.decimals), "", ""


def _shares(whole: int, weights: list[float]) -> list[int]:
    """`whole` split in proportion to `weights`, in whole numbers that add up to it exactly
    (largest remainders get the units left over)."""
    total = sum(weights) or 1.0
    exact = [whole * w / total if sum(weights) else whole / len(weights) for w in weights]
    parts = [int(e) for e in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: whole - sum(parts)]:
        parts[i] += 1
    return parts


def _adding_up(
    ind: Indicator, total: tuple[str, str, str], groups: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The groups of an (exhaustive) breakdown made to add up to the total, keeping their
    shape: a count's values; a percentage's or rate's numerators and denominators (each
    numerator within its denominator). Medians and averages do not add up: left as drawn."""
    if ind.multiplier is not None and total[2]:
        dens = _shares(int(total[2]), [float(g[2]) for g in groups])
        for i, d in enumerate(dens):  # every group out of at least one
            if d == 0:
                dens[dens.index(max(dens))] -= 1
                dens[i] = 1
        nums = _shares(int(total[1]), [float(g[1]) for g in groups])
        for i in range(len(nums)):  # a numerator over its denominator: move the excess on
            excess = nums[i] - dens[i]
            if excess > 0:
                nums[i] = dens[i]
                for j in sorted(range(len(nums)), key=lambda j: nums[j] - dens[j]):
                    room = min(excess, dens[j] - nums[j])
                    nums[j], excess = nums[j] + room, excess - room
        return [
            (_fmt(ratio(n, d, ind.multiplier, ind.decimals), ind.decimals), str(n), str(d))
            for n, d in zip(nums, dens, strict=True)
        ]
    if ind.unit == "count":
        counts = _shares(int(total[0]), [float(g[0]) for g in groups])
        return [(str(c), "", "") for c in counts]
    return groups


def demo_rows(charter: Charter) -> list[DemoRow]:
    """Every figure of the demo council and its comparators, deterministic. England's and the
    region's for the indicators LAIT publishes are DfE's real ones (metrics/demo/published.py),
    never made up here."""
    council = charter.council
    real = lait_indicators(charter)
    rows: list[DemoRow] = []
    for ind in charter.indicators.values():
        rng = random.Random(SEED + zlib.crc32(ind.id.encode()))
        periods = periods_for(ind)
        if ind.id == STALE[0]:
            periods = periods[: -STALE[1]]
        if ind.id == MISSING_LATEST:
            periods = periods[:-1]
        _, _, size = _scale(ind)
        for i, period in enumerate(periods):
            level = _level(ind, i, len(periods), rng)
            value, num, den = _figure(ind, level, size, rng)
            rows.append(DemoRow(ind.id, period.label, value, numerator=num, denominator=den))
            for dim in ind.breakdowns:
                groups = charter.breakdowns[dim].groups
                drawn = []
                for _group in groups:
                    share = 1 / len(groups)
                    g_level = (
                        level * rng.uniform(0.85, 1.15)
                        if ind.multiplier or ind.unit != "count"
                        else level * share * rng.uniform(0.7, 1.3)
                    )
                    drawn.append(_figure(ind, g_level, max(size * share, 8), rng))
                for group, (g_value, g_num, g_den) in zip(
                    groups, _adding_up(ind, (value, num, den), drawn), strict=True
                ):
                    if (ind.id, dim, group) == SUPPRESSED and period == periods[-1]:
                        g_value, g_num, g_den = "c", "", ""
                    rows.append(
                        DemoRow(
                            ind.id,
                            period.label,
                            g_value,
                            breakdown=dim,
                            group=group,
                            numerator=g_num,
                            denominator=g_den,
                        )
                    )
            if ind.benchmark and ind.id not in real:
                for area, shift in ((council.england.code, 0.08), (council.region.code, 0.03)):
                    c_value, c_num, c_den = _figure(
                        ind, level * (1 + shift * rng.uniform(-1, 1)), size * 40, rng
                    )
                    rows.append(
                        DemoRow(
                            ind.id,
                            period.label,
                            c_value,
                            area=area,
                            numerator=c_num,
                            denominator=c_den,
                        )
                    )
    for row in rows:
        if row.indicator == PROVISIONAL and row.period == DEMO_LATEST.label:
            row.status = "provisional"
            row.note = "Provisional: two providers have not yet confirmed their figures."
        awkward = AWKWARD.get((row.indicator, row.breakdown), {})
        if row.period == DEMO_LATEST.label and not row.area and row.group in awkward:
            row.value, row.numerator, row.denominator = awkward[row.group]
    return rows


def revision_rows(rows: list[DemoRow]) -> list[DemoRow]:
    """The revised figure: the keyworker total for the quarter before the latest."""
    target = DEMO_LATEST.previous().label
    out = []
    for row in rows:
        if row.indicator == REVISED and row.period == target and not row.area and not row.breakdown:
            num, den = int(row.numerator), int(row.denominator)
            num = max(num - 4, 0)
            out.append(
                DemoRow(
                    row.indicator,
                    row.period,
                    "",
                    numerator=str(num),
                    denominator=str(den),
                    note="Corrected by the provider.",
                )
            )
    # the four plans come off the largest group of each breakdown, so the groups still add up
    for dim in sorted({r.breakdown for r in rows if r.indicator == REVISED and r.breakdown}):
        groups = [
            r
            for r in rows
            if r.indicator == REVISED and r.period == target and not r.area and r.breakdown == dim
        ]
        largest = max(groups, key=lambda r: int(r.numerator or 0))
        num = max(int(largest.numerator) - 4, 0)
        out.append(
            DemoRow(
                REVISED,
                target,
                "",
                breakdown=dim,
                group=largest.group,
                numerator=str(num),
                denominator=largest.denominator,
            )
        )
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: list[DemoRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.indicator,
                r.period,
                r.value,
                r.area,
                r.breakdown,
                r.group,
                r.numerator,
                r.denominator,
                r.status,
                r.note,
            ]
        )
    return out.getvalue().encode("utf-8")


def build_demo(store: Store, charter: Charter, out_dir: Path | None = None) -> list[LoadReport]:
    """Write the demo's three returns (to `out_dir` if given) and load them into `store`."""
    rows = demo_rows(charter)
    latest = DEMO_LATEST.label

    def partners(r: DemoRow) -> bool:  # the providers send these themselves
        return r.period == latest and not r.area and charter.supplier(r.indicator) is not None

    files = [
        ("demo-history.csv", [r for r in rows if r.period != latest], None),
        (
            f"demo-return-{latest.replace(' ', '-')}.csv",
            [r for r in rows if r.period == latest and not partners(r)],
            None,
        ),
        ("demo-revision.csv", revision_rows(rows), REVISION_REASON),
    ]
    reports = []
    for name, file_rows, reason in files:
        content = to_csv(file_rows)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(content)
        report = load_file(
            store,
            charter,
            name,
            content,
            by=DEMO_USER,
            reason=reason,
            kind="demo",
            source=f"demo (fictional): {name}",
            confirmed=True,  # its stories include deliberate jumps
        )
        if not report.ok:
            problems = "\n".join(e.as_text() for e in report.errors[:10])
            raise RuntimeError(f"the demo return {name} was rejected:\n{problems}")
        reports.append(report)
        with store.connect() as con, transaction(con):  # dated as if sent when such returns are
            figures.redate_upload(con, report.upload_id, SENT[len(reports) - 1])
    send_returns(
        store,
        charter,
        [[r.indicator, r.period, r.value, r.breakdown, r.group] for r in rows if partners(r)],
    )
    quarterly = {
        i.id: {r.period: float(r.value) for r in rows
               if r.indicator == i.id and not r.area and not r.breakdown and _is_number(r.value)}
        for i in charter.indicators.values()
        if i.id in lait_indicators(charter) and i.frequency == "quarterly"
    }  # fmt: skip
    seed_published(store, charter, quarterly, DEMO_USER)
    seed_previous_quarter(store, charter, DEMO_LATEST)
    evidence = seed_evidence(store, charter, DEMO_LATEST.end + timedelta(days=56))
    seed_self_review(store, charter, evidence)
    seed_question(store, charter)
    seed_needs(store, charter, DEMO_LATEST, DEMO_USER)
    return reports
