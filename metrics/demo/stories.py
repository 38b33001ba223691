"""What the demo council's figures show on purpose, and the dates and names they carry.

Deliberate stories, so every state of the dashboard can be seen and tested:
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

from datetime import datetime

from metrics.periods.model import Period, PeriodKind

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
