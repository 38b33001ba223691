"""The charter framework's data models: statements, indicators, breakdowns and the council.

The council edits YAML files; these strict models (unknown keys rejected) say what those files
may hold. `charter.load_charter` validates them and reports every problem at once.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from charter.base import SLUG as SLUG, Strict as Strict  # re-exported for the other models
from charter.reminders import Reminders

# An email address as the charter files write them (lower case once read).
EMAIL = re.compile(r"^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
AREA_CODE = r"^[A-Z][0-9]{8}$"

Unit = Literal["percent", "count", "rate_per_10000", "rate_per_1000", "weeks", "days"]
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]
Frequency = Literal["quarterly", "annual", "termly", "monthly"]
YearBasis = Literal["financial", "academic", "calendar"]

# How many of the unit a numerator/denominator ratio is multiplied by; None: not a ratio.
UNIT_MULTIPLIER: dict[str, float | None] = {
    "percent": 100.0,
    "rate_per_10000": 10_000.0,
    "rate_per_1000": 1_000.0,
    "count": None,
    "weeks": None,
    "days": None,
}

UNIT_LABEL: dict[str, str] = {
    "percent": "%",
    "rate_per_10000": "per 10,000",
    "rate_per_1000": "per 1,000",
    "count": "",
    "weeks": "weeks",
    "days": "days",
}


class Statement(Strict):
    """One of the charter's commitments, e.g. 5: timely identification and assessment."""

    number: int = Field(ge=1, le=99, description="Position in the charter, 1 to 12 by default.")
    short_title: str = Field(min_length=3, max_length=60, description="A few words for cards.")
    title: str = Field(min_length=10, description="The statement in full, as the council signs it.")
    theme: str = Field(min_length=3, description="The theme it belongs to, in plain English.")


class StatementsFile(Strict):
    statements: list[Statement] = Field(min_length=1)


class Indicator(Strict):
    """A measure that evidences one or more statements."""

    id: str = Field(pattern=SLUG, description="Stable slug; the file is named <id>.yaml.")
    title: str = Field(min_length=5)
    description: str = Field(min_length=10, description="What it tells us, in plain English.")
    definition: str = Field(min_length=10, description="Exactly what is counted.")
    numerator: str | None = Field(default=None, description="What is counted on top (rates).")
    denominator: str | None = Field(default=None, description="What it is divided by (rates).")
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    year_basis: YearBasis = Field(
        default="financial", description="For annual indicators: which kind of year."
    )
    decimals: int = Field(ge=0, le=3)
    target: float | None = None
    tolerance: float | None = Field(
        default=None, ge=0, description="How far from target still counts as 'at risk'."
    )
    source: str = Field(min_length=2)
    owner: str = Field(pattern=SLUG, description="Who leads on it: an owner id from owners.yaml.")
    statements: list[int] = Field(min_length=1)
    breakdowns: list[str] = Field(default_factory=list)
    targets: dict[str, float] = Field(
        default_factory=dict,
        description="Targets that change by year, keyed by financial year (e.g. '2026-27'); "
        "`target` applies to years not listed.",
    )
    spc_chart: Literal["xmr", "p"] = Field(
        default="xmr",
        description="p: binomial limits from numerator and denominator "
        "(percentages with small or varying denominators).",
    )
    spc_baseline: int | None = Field(
        default=None, ge=2, description="Fix SPC limits on the first N points."
    )
    spc_screen_outliers: bool = Field(
        default=False,
        description="Drop moving ranges >= 3.267 x the mean moving range before "
        "setting SPC limits (off by default, as in the original Making Data Count tool).",
    )
    rebase: list[str] = Field(
        default_factory=list,
        description="Periods where the process changed: SPC limits "
        "start again there (e.g. '2024-25 Q1').",
    )
    benchmark: str | None = Field(
        default=None, description="Where published comparators come from, if anywhere."
    )

    @model_validator(mode="after")
    def _coherent(self) -> Indicator:
        if UNIT_MULTIPLIER[self.unit] is not None and not (self.numerator and self.denominator):
            raise ValueError(f"a {self.unit} indicator needs 'numerator' and 'denominator' text")
        if self.tolerance is not None and self.target is None:
            raise ValueError("'tolerance' needs a 'target'")
        if self.target is not None and self.polarity == "neutral":
            raise ValueError("a neutral (context) indicator cannot have a target")
        if self.unit == "percent" and self.target is not None and not 0 <= self.target <= 100:
            raise ValueError("a percent target must lie between 0 and 100")
        if self.targets and self.polarity == "neutral":
            raise ValueError("a neutral (context) indicator cannot have targets")
        for year in self.targets:
            if not re.fullmatch(r"\d{4}-\d{2}", year):
                raise ValueError(f"targets: {year!r} is not a financial year like '2026-27'")
        if self.spc_chart == "p" and self.unit != "percent":
            raise ValueError("spc_chart 'p' is for percent indicators")
        if len(set(self.statements)) != len(self.statements):
            raise ValueError("'statements' lists a statement twice")
        if len(set(self.breakdowns)) != len(self.breakdowns):
            raise ValueError("'breakdowns' lists a dimension twice")
        return self

    @property
    def multiplier(self) -> float | None:
        return UNIT_MULTIPLIER[self.unit]


class Breakdown(Strict):
    """A dimension figures may be broken down by, with its allowed groups."""

    label: str = Field(min_length=2)
    groups: list[str] = Field(min_length=1)
    exhaustive: bool = Field(
        default=True,
        description="Every child (or event) is in exactly one group, so the groups add up to "
        "the total: a return whose groups do not is warned about.",
    )

    @field_validator("groups")
    @classmethod
    def _unique(cls, groups: list[str]) -> list[str]:
        lowered = [g.lower() for g in groups]
        if len(set(lowered)) != len(lowered):
            raise ValueError("a group is listed twice")
        return groups


class BreakdownsFile(Strict):
    breakdowns: dict[str, Breakdown]

    @field_validator("breakdowns")
    @classmethod
    def _slugs(cls, value: dict[str, Breakdown]) -> dict[str, Breakdown]:
        import re

        for key in value:
            if not re.fullmatch(r"^[a-z][a-z0-9_]*$", key):
                raise ValueError(f"dimension id {key!r} must be lower_snake_case")
        return value


class Area(Strict):
    code: str = Field(pattern=AREA_CODE)
    name: str = Field(min_length=2)


class Rollup(Strict):
    """How a statement's status follows from its indicators' (see README, "Status")."""

    on_track_share: float = Field(
        default=0.75,
        gt=0,
        le=1,
        description="On track when at least this share of assessed indicators is on track "
        "and none is off track.",
    )
    off_track_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Off track when at least this share of assessed indicators is off track.",
    )


class Council(Strict):
    """The council this installation serves, its region and its comparator councils."""

    code: str = Field(pattern=AREA_CODE, description="GSS code (the demo's is fictional).")
    name: str = Field(min_length=2)
    region: Area
    england: Area = Area(code="E92000001", name="England")
    comparators: list[str] | None = Field(
        default=None,
        description="GSS codes of the comparator group, overriding DfE's statistical "
        "neighbours (charter/neighbours.yaml); [] for none. Without it, the council's ten "
        "statistical neighbours in DfE's model.",
    )
    comparators_note: str | None = Field(
        default=None,
        min_length=3,
        max_length=200,
        description="Whose the listed comparators are, said beside every neighbour average "
        "(e.g. 'councils chosen for the demo'); without it, 'comparators chosen in "
        "council.yaml'. Unused when the comparators come from DfE's model.",
    )
    comparator_statistic: Literal["mean", "median"] = Field(
        default="mean", description="How the comparator group's value is formed."
    )
    suppression_threshold: int = Field(
        default=5, ge=0, description="Counts from 1 up to this are suppressed in published papers."
    )
    suppress_zero: bool = Field(
        default=False,
        description="Suppress zero counts too (a zero is not disclosive, unless it reveals "
        "that every child in a group shares something).",
    )
    disclosure_method: Literal["suppress", "round to 5"] = Field(
        default="suppress",
        description="How small numbers are kept out of what is published: 'suppress' (shown "
        "as [c], audited) or 'round to 5' (every count rounded to the nearest 5). Anything "
        "else is refused when the charter loads.",
    )
    contact: str = Field(default="", description="Support contact shown on the support page.")
    earliest_year: int = Field(
        default=1990,
        ge=1900,
        le=2100,
        description="Figures for periods starting before this year are refused as mistakes.",
    )
    rollup: Rollup = Rollup()

    @field_validator("comparators")
    @classmethod
    def _codes(cls, codes: list[str] | None) -> list[str] | None:
        import re

        bad = [c for c in codes or [] if not re.fullmatch(AREA_CODE, c)]
        if bad:
            raise ValueError(f"not GSS area codes: {', '.join(bad)}")
        return codes


class CouncilFile(Strict):
    council: Council
    reminders: Reminders | None = Field(
        default=None,
        description="When work is due and when its owner is reminded (python -m metrics "
        "remind); without it, no reminders are sent.",
    )


OrganisationKind = Literal[
    "council service",
    "health trust / ICB",
    "schools",
    "voluntary and community sector",
    "parent carer forum",
]


class Organisation(Strict):
    name: str = Field(min_length=2)
    kind: OrganisationKind


class Owner(Strict):
    """A lead person or team the planning group holds to account."""

    name: str = Field(min_length=2, description="A role or team, e.g. 'Head of SEND'.")
    organisation: str = Field(pattern=SLUG, description="An organisation id in this file.")
    contact: str = Field(default="", description="How to reach them (optional).")
    email: str | None = Field(
        default=None,
        description="Where their reminders go (issue 30): required of every owner once "
        "council.yaml has a `reminders:` schedule.",
    )

    @field_validator("email")
    @classmethod
    def _email(cls, email: str | None) -> str | None:
        if email is not None and not EMAIL.match(email.lower()):
            raise ValueError(f"{email!r} is not an email address")
        return email.lower() if email else None


class OwnersFile(Strict):
    organisations: dict[str, Organisation] = Field(min_length=1)
    owners: dict[str, Owner] = Field(min_length=1)
