"""The needs baseline and the resources as data (`charter/needs.yaml`, optional): the
council's localities with their child population, the published prevalence rates that say
how many disabled children to expect, the sources of the aggregate "needs" return, who
provides what where, the services whose spend is returned, and the localities' boundaries
(a GeoJSON file beside it).

Every figure carries its source and year: a rate or a population without them is refused.
Each problem reads `charter/<file>: <key>: <reason>`, like the rest of the charter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from charter.base import SLUG, Strict

ALL = "all"  # a provision entry's localities or needs: every one
BOUNDARIES_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}\.geojson$")
SourceKind = Literal["caseload", "moves"]


class Population(Strict):
    """A locality's child population, as published."""

    children: int = Field(gt=0, description="Children living in the locality.")
    ages: str = Field(default="0 to 17", min_length=3, description="The ages counted.")
    source: str = Field(min_length=5, description="Where the figure comes from.")
    year: str = Field(min_length=4, description="The year it is for, e.g. '2024' (mid-year).")

    @field_validator("year", mode="before")
    @classmethod
    def _year_text(cls, year: object) -> object:
        return str(year) if isinstance(year, int) else year


class Locality(Strict):
    population: Population
    description: str = Field(default="", description="A few words a reader knows it by.")


class Rate(Strict):
    """A published prevalence rate: the percentage of children who are disabled."""

    rate: float = Field(gt=0, lt=100, description="Per cent of children.")
    low: float | None = Field(default=None, gt=0, lt=100, description="Its interval's low end.")
    high: float | None = Field(default=None, gt=0, lt=100, description="Its interval's high end.")
    source: str = Field(min_length=5)
    year: str = Field(min_length=4)
    note: str = Field(default="", description="What it counts, in a sentence.")

    @field_validator("year", mode="before")
    @classmethod
    def _year_text(cls, year: object) -> object:
        return str(year) if isinstance(year, int) else year

    @model_validator(mode="after")
    def _interval(self) -> Rate:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both `low` and `high`, or neither")
        if (
            self.low is not None
            and self.high is not None
            and not self.low <= self.rate <= self.high
        ):
            raise ValueError(
                f"the interval {self.low} to {self.high} must contain the rate {self.rate}"
            )
        return self


class NeedMix(Strict):
    """How disabled children divide by primary need (per cent of them), as published."""

    source: str = Field(min_length=5)
    year: str = Field(min_length=4)
    shares: dict[str, float] = Field(min_length=1)

    @field_validator("year", mode="before")
    @classmethod
    def _year_text(cls, year: object) -> object:
        return str(year) if isinstance(year, int) else year

    @field_validator("shares")
    @classmethod
    def _add_up(cls, shares: dict[str, float]) -> dict[str, float]:
        if any(s < 0 for s in shares.values()):
            raise ValueError("a share cannot be negative")
        if abs(sum(shares.values()) - 100) > 0.5:
            raise ValueError(f"the shares add up to {sum(shares.values()):g}, not 100")
        return shares


class Source(Strict):
    """One source of the needs return: a count of children it knows, or moves in."""

    name: str = Field(min_length=3)
    kind: SourceKind = Field(default="caseload")
    provider: str | None = Field(default=None, description="Its provider id, if a partner's.")


class Provision(Strict):
    """Who provides what, where and for which needs (besides what their returns show)."""

    provider: str = Field(description="An id in providers.yaml, or `name` for another.")
    name: str = Field(default="", description="The provider's name, when not in providers.yaml.")
    provides: str = Field(min_length=3, description="What they provide, in a few words.")
    localities: list[str] = Field(min_length=1, description="Locality groups, or [all].")
    needs: list[str] = Field(min_length=1, description="Primary needs, or [all].")


class Service(Strict):
    """A service whose spend the finance return gives, and the outcomes it is for."""

    name: str = Field(min_length=3)
    statements: list[int] = Field(min_length=1, description="The charter statements it serves.")
    indicators: list[str] = Field(default_factory=list, description="Its outcome indicators.")


class NeedsFile(Strict):
    localities: dict[str, Locality] = Field(min_length=1)
    prevalence: dict[str, Rate] = Field(min_length=1)
    expected_from: str = Field(description="The prevalence rate expected figures use.")
    need_mix: NeedMix | None = None
    sources: dict[str, Source] = Field(min_length=1)
    provision: list[Provision] = Field(default_factory=list)
    services: dict[str, Service] = Field(default_factory=dict)
    boundaries: str | None = Field(default=None, description="A GeoJSON file beside needs.yaml.")

    @field_validator("sources", "services", "prevalence")
    @classmethod
    def _ids(cls, entries: dict[str, object]) -> dict[str, object]:
        for key in entries:
            if not re.match(SLUG, key):
                raise ValueError(f"{key!r} must be lower-case words joined by hyphens")
        return entries

    @field_validator("boundaries")
    @classmethod
    def _boundaries(cls, name: str | None) -> str | None:
        if name is not None and not BOUNDARIES_NAME.match(name):
            raise ValueError(f"{name!r} must be a file name ending .geojson, not a path")
        return name

    @model_validator(mode="after")
    def _expected_from(self) -> NeedsFile:
        if self.expected_from not in self.prevalence:
            raise ValueError(
                f"expected_from: {self.expected_from!r} is not one of the prevalence rates "
                f"({', '.join(self.prevalence)})"
            )
        return self

    @property
    def rate(self) -> Rate:
        return self.prevalence[self.expected_from]


def _check_list(
    values: list[str], allowed: list[str], where: str, what: str, problems: list[str]
) -> None:
    if values == [ALL]:
        return
    for j, value in enumerate(values):
        if value not in allowed:
            problems.append(f"{where}.{j}: {value!r} is not a {what} ({', '.join(allowed)})")


def check_needs(
    needs: NeedsFile,
    *,
    localities: list[str],
    primary_needs: list[str],
    providers: set[str],
    indicators: set[str],
    statements: set[int],
    label: str,
    problems: list[str],
) -> None:
    """Cross-checks against the rest of the charter: localities and needs are groups of the
    `locality` and `primary_need` breakdowns, providers and indicators exist."""
    for key in needs.localities:
        if key not in localities:
            problems.append(
                f"{label}: localities.{key}: not a locality group in breakdowns.yaml "
                f"({', '.join(localities)})"
            )
    if needs.need_mix is not None:
        for need in needs.need_mix.shares:
            if need not in primary_needs:
                problems.append(f"{label}: need_mix.shares.{need}: not a primary need group")
    for key, source in needs.sources.items():
        if source.provider is not None and source.provider not in providers:
            problems.append(
                f"{label}: sources.{key}.provider: unknown provider {source.provider!r}"
            )
    for i, entry in enumerate(needs.provision):
        where = f"{label}: provision.{i}"
        if entry.provider not in providers and not entry.name:
            problems.append(
                f"{where}.provider: {entry.provider!r} is not in providers.yaml: give its `name`"
            )
        _check_list(entry.localities, localities, f"{where}.localities", "locality", problems)
        _check_list(entry.needs, primary_needs, f"{where}.needs", "primary need", problems)
    for key, service in needs.services.items():
        for j, number in enumerate(service.statements):
            if number not in statements:
                problems.append(f"{label}: services.{key}.statements.{j}: unknown statement")
        for j, ind in enumerate(service.indicators):
            if ind not in indicators:
                problems.append(f"{label}: services.{key}.indicators.{j}: unknown indicator")


def read_boundaries(root: Path, needs: NeedsFile, label: str, problems: list[str]) -> dict | None:  # type: ignore[type-arg]
    """The localities' boundaries (a GeoJSON FeatureCollection whose features name their
    locality in `properties.locality`), checked: every locality drawn, no other."""
    if needs.boundaries is None:
        return None
    where = f"{label.rsplit('/', 1)[0]}/{needs.boundaries}"
    path = root / needs.boundaries
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{where}: (file): missing")
        return None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        problems.append(f"{where}: (file): not GeoJSON ({err})")
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        problems.append(f"{where}: type: expected a FeatureCollection with features")
        return None
    named = []
    for i, feature in enumerate(features):
        name = (feature.get("properties") or {}).get("locality")
        geometry = (feature.get("geometry") or {}).get("type")
        if name not in needs.localities:
            problems.append(
                f"{where}: features.{i}.properties.locality: {name!r} is not a locality"
            )
        if geometry not in ("Polygon", "MultiPolygon"):
            problems.append(f"{where}: features.{i}.geometry: expected a Polygon or MultiPolygon")
        named.append(name)
    for key in needs.localities:
        if key not in named:
            problems.append(f"{where}: features: no boundary for locality {key!r}")
    return data  # type: ignore[no-any-return]
