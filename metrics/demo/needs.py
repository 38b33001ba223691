"""The demo's needs baseline and spend (fictional), sent as the council would send them: four
quarters of the needs return (2025-26 Q3 to 2026-27 Q2) and a year of the finance return
(2025-26), loaded through the same checks as any return.

The stories, which the tests check:
- **North is under-identified**: about 4 in 10 of the disabled children expected there are
  known to any service, against 7 to 8 in 10 elsewhere, and rising slowly;
- **Multi-sensory impairment has no provider**: children with it are known in every locality
  and no provider works with it (the short breaks and health returns count none);
- small counts by locality (multi-sensory impairment in West, 3 children) that a public
  reader sees as [c];
- moves into the area each quarter, most into Central.
"""

from __future__ import annotations

import csv
import io
import random

from charter import Charter
from charter.s251_models import S251_DIR, load_s251_mapping
from metrics.ingest.needs import load_finance_return, load_needs_return
from metrics.ingest.published.s251 import import_s251
from metrics.periods.model import Period
from metrics.store.connection import Store

SEED = 33
# The share of the expected disabled children known to any service, by locality, latest quarter.
KNOWN_SHARE = {"North": 0.40, "South": 0.72, "East": 0.70, "West": 0.75, "Central": 0.78}
SMALL = ("West", "Multi-sensory impairment", 3)  # a count a public reader sees as [c]
NO_PROVIDER = "Multi-sensory impairment"
MOVES = {"North": 4, "South": 6, "East": 5, "West": 3, "Central": 11}
# Needs each partner's caseload counts (the others it does not work with).
SHORT_BREAKS_NEEDS = {
    "Autistic spectrum disorder",
    "Severe learning difficulty",
    "Profound and multiple learning difficulty",
    "Physical disability",
    "Speech, language and communication needs",
    "Social, emotional and mental health",
}
HEALTH_NEEDS = {
    "Autistic spectrum disorder",
    "Speech, language and communication needs",
    "Physical disability",
    "Profound and multiple learning difficulty",
}
YEAR = "2025-26"
SPEND = {  # service -> (spend in pounds, children reached)
    "short-breaks": (2_450_000, 1_180),
    "personal-budgets": (3_120_000, 640),
    "assessment-capacity": (860_000, 520),
}


def needs_rows(charter: Charter, latest: Period) -> list[list[str]]:
    """The four quarters to `latest`: quarter, source, month, locality, need, children."""
    assert charter.needs is not None and charter.needs.need_mix is not None
    rng = random.Random(SEED)
    shares = charter.needs.need_mix.shares
    rate = charter.needs.rate.rate / 100
    out = []
    quarters = [latest.shift(-i) for i in (3, 2, 1, 0)]
    for i, quarter in enumerate(quarters):
        month = f"{quarter.end:%b %Y}"
        drift = 1 - 0.02 * (len(quarters) - 1 - i)  # a little fewer known in earlier quarters
        for loc, share_known in KNOWN_SHARE.items():
            expected = charter.needs.localities[loc].population.children * rate
            for need, share in shares.items():
                register = round(expected * share_known * drift * share / 100)
                if (loc, need) == SMALL[:2]:
                    register = SMALL[2]
                elif need == NO_PROVIDER:
                    register = max(6, register)
                out.append([quarter.label, "register", month, loc, need, str(register)])
                ehc = round(register * rng.uniform(0.45, 0.6))
                out.append([quarter.label, "ehc-plans", month, loc, need, str(ehc)])
                if need in SHORT_BREAKS_NEEDS and loc != "North":
                    sb = round(register * rng.uniform(0.25, 0.4))
                    out.append([quarter.label, "short-breaks", month, loc, need, str(sb)])
                if need in HEALTH_NEEDS:
                    ch = round(register * rng.uniform(0.5, 0.8))
                    # the trust's system is a month behind the council's
                    behind = f"{quarter.end.replace(day=1, month=quarter.end.month - 1):%b %Y}"
                    out.append([quarter.label, "community-health", behind, loc, need, str(ch)])
            moves = MOVES[loc] + rng.randint(-1, 2)
            out.append([quarter.label, "moves-in", month, loc, "", str(moves)])
    return out


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


def finance_rows() -> list[list[str]]:
    return [
        [YEAR, service, str(spend), str(children)] for service, (spend, children) in SPEND.items()
    ]


# A synthetic section 251 file (invented figures, honestly labelled): England, the region and
# the demo council, per child aged 0 to 17, for the finance return's year.
S251_SOURCE = "Synthetic section 251 outturn for the demo (invented figures, not DfE's)"
S251 = {  # service -> (their line, England, North West, Wrenfield per child)
    "short-breaks": ("Short breaks (respite) for disabled children", 41.20, 38.75, 44.30),
    "personal-budgets": ("Direct payments (SEN and disability)", 49.80, 47.10, 56.40),
    "assessment-capacity": ("SEN support services", 22.60, 21.90, 15.60),
}
AREAS = [
    ("National", "E92000001", "England", 11_900_000),
    ("Regional", "E12000002", "North West", 1_600_000),
    ("Local authority", "E99000001", "Wrenfield Council (demo)", 55_000),
]


def s251_csv() -> bytes:
    header = [
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "new_la_code",
        "la_name",
        "description_of_expenditure",
        "net_expenditure",
        "net_per_capita_0_to_17",
    ]
    rows = []
    for i, (level, code, name, children) in enumerate(AREAS):
        for line, *per in S251.values():
            per_child = per[i]
            region = ("E12000002", "North West") if i else ("", "")
            council = (code, name) if i == 2 else ("", "")
            rows.append(
                [
                    "202526",
                    "Financial year",
                    level,
                    "E92000001",
                    "England",
                    *region,
                    *council,
                    line,
                    str(round(per_child * children)),
                    f"{per_child:.2f}",
                ]
            )
    return _csv(header, rows)


def seed_needs(store: Store, charter: Charter, latest: Period, by: str) -> None:
    """Load the demo's needs and finance returns (nothing when there is no needs.yaml)."""
    if charter.needs is None:
        return
    header = ["quarter", "source", "month", "locality", "need", "children"]
    report = load_needs_return(
        store, charter, "demo-needs-return.csv", _csv(header, needs_rows(charter, latest)), by
    )
    spend = _csv(["year", "service", "spend", "children"], finance_rows())
    money = load_finance_return(store, charter, "demo-finance-return.csv", spend, by)
    mapping = load_s251_mapping(S251_DIR / "s251-outturn.yaml", charter)
    mapping = mapping.model_copy(update={"source": S251_SOURCE})
    s251 = import_s251(store, charter, "demo-s251-synthetic.csv", s251_csv(), mapping, by)
    for done in (report, money, s251):
        if not done.ok:
            problems = "\n".join(e.as_text() for e in done.errors[:10])
            raise RuntimeError(f"the demo's {done.file_name} was rejected:\n{problems}")
