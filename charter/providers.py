"""The partners who send figures (`charter/providers.yaml`) and, for a provider that keeps its
data in its own way, the layout of its return (`charter/providers/<file>.yaml`).

A provider supplies some indicators, each due a number of working days after its period ends,
and names the people who may sign in for it. A layout says which sheet and columns hold the
indicator, period, value, numerator, denominator and group, how the provider's own codes (their
measure names, their "Q2 24/25", their locality names, their symbols) map to ours. Both are
checked like the rest of the charter: every problem as `file: key: reason`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from charter.models import EMAIL, SLUG, Breakdown, Indicator, Strict

# A layout is a file in charter/providers/, named plainly: never a path that leaves the folder.
LAYOUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}\.ya?ml$")
Symbol = Literal["x", "z", "c", "low", "k", "u", ":", "~"]


class Contact(Strict):
    name: str = Field(min_length=2, description="Who to ask about a late or queried return.")
    email: str = Field(min_length=3)
    phone: str = Field(default="", description="Optional.")

    @field_validator("email")
    @classmethod
    def _email(cls, email: str) -> str:
        if not EMAIL.match(email.lower()):
            raise ValueError(f"{email!r} is not an email address")
        return email.lower()


class Provider(Strict):
    """An organisation that sends figures: what it supplies, when, and who sends them."""

    name: str = Field(min_length=2)
    kind: str = Field(
        min_length=3,
        description="Its type, e.g. 'health trust', 'short breaks provider', 'parent carer forum'.",
    )
    contact: Contact
    indicators: list[str] = Field(min_length=1, description="Indicator ids it supplies.")
    due_working_days: int = Field(
        default=20, ge=1, le=130, description="Working days after a period ends to send it."
    )
    layout: str | None = Field(
        default=None,
        description="Its own layout, a file in charter/providers/; none: our template.",
    )
    people: list[str] = Field(
        default_factory=list, description="Email addresses that sign in for this provider."
    )

    @field_validator("layout")
    @classmethod
    def _layout(cls, name: str | None) -> str | None:
        if name is not None and not LAYOUT_NAME.match(name):
            raise ValueError(
                f"{name!r} must be the name of a file in charter/providers/ (lower-case letters, "
                "digits and hyphens, ending .yaml, like 'community-health.yaml'), not a path"
            )
        return name

    @field_validator("people")
    @classmethod
    def _people(cls, people: list[str]) -> list[str]:
        for address in people:
            if not EMAIL.match(address.lower()):
                raise ValueError(f"{address!r} is not an email address")
        return [p.lower() for p in people]


class ProvidersFile(Strict):
    providers: dict[str, Provider] = Field(default_factory=dict)

    @field_validator("providers")
    @classmethod
    def _ids(cls, providers: dict[str, Provider]) -> dict[str, Provider]:
        for key in providers:
            if not re.match(SLUG, key):
                raise ValueError(f"{key!r} must be lower-case words joined by hyphens")
        return providers


class LayoutColumns(Strict):
    """The provider's own column names (as in its header row) for each of ours."""

    period: str = Field(min_length=1)
    value: str | None = None
    indicator: str | None = Field(default=None, description="Their column naming the measure.")
    numerator: str | None = None
    denominator: str | None = None
    group: str | None = Field(default=None, description="Their column of groups (localities).")
    status: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _value_or_ratio(self) -> LayoutColumns:
        if self.value is None and not (self.numerator and self.denominator):
            raise ValueError("name a value column, or both numerator and denominator columns")
        return self


class Layout(Strict):
    """How one provider's return is laid out."""

    title: str = Field(min_length=3)
    sheet: str | None = Field(default=None, description="The Excel sheet to read.")
    columns: LayoutColumns
    indicator: str | None = Field(
        default=None, description="The one indicator, when the file has no indicator column."
    )
    indicators: dict[str, str] = Field(
        default_factory=dict, description="Their measure name -> our indicator id."
    )
    breakdown: str | None = Field(default=None, description="Our dimension their groups are.")
    groups: dict[str, str] = Field(
        default_factory=dict, description="Their group name or code -> our group."
    )
    total: str | None = Field(default=None, description="Their group meaning everyone.")
    periods: dict[str, str] = Field(
        default_factory=dict,
        description="Their period text -> ours ('Qtr 2 2024' -> '2024-25 Q2'); other periods "
        "are read as analysts write them ('Q2 24/25', 'Jul-Sep 2024').",
    )
    symbols: dict[str, Symbol] = Field(
        default_factory=dict, description="Their marks -> GSS symbols ('*' -> c)."
    )
    areas: list[str] = Field(
        default_factory=list,
        description="GSS codes of areas besides our council's that this provider may send "
        "(e.g. a trust covering a neighbouring council); none: our council's only.",
    )

    @field_validator("areas")
    @classmethod
    def _areas(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not re.fullmatch(r"[A-Z][0-9]{8}", code):
                raise ValueError(f"{code!r} is not a GSS area code (like E06000001)")
        return codes

    @field_validator("indicators", "groups", "periods", "symbols", mode="before")
    @classmethod
    def _text_keys(cls, entries: object) -> object:
        """YAML reads `2024: ...` as a number; their codes are text."""
        if isinstance(entries, dict):
            return {
                str(k): (str(v) if isinstance(v, int | float) else v) for k, v in entries.items()
            }
        return entries

    @model_validator(mode="after")
    def _one_way_to_the_indicator(self) -> Layout:
        if (self.indicator is None) == (self.columns.indicator is None):
            raise ValueError(
                "say either `indicator` (the one indicator) or `columns.indicator` (their "
                "column naming it, with `indicators` mapping their names to ours)"
            )
        if self.columns.indicator and not self.indicators:
            raise ValueError("`indicators` must map their measure names to our indicator ids")
        if (self.columns.group is None) != (self.breakdown is None):
            raise ValueError("`columns.group` and `breakdown` go together")
        return self

    def our_indicators(self) -> set[str]:
        return {self.indicator} if self.indicator else set(self.indicators.values())


def check_providers(
    providers: ProvidersFile,
    layouts: dict[str, Layout],
    indicators: dict[str, Indicator],
    breakdowns: dict[str, Breakdown],
    label: str,
    problems: list[str],
) -> None:
    """Cross-checks: known indicators, one provider per indicator and per person, layouts
    that name our indicators, dimensions and groups."""
    supplier: dict[str, str] = {}
    person: dict[str, str] = {}
    for key, p in providers.providers.items():
        for j, ind in enumerate(p.indicators):
            if ind not in indicators:
                problems.append(
                    f"{label}: providers.{key}.indicators.{j}: unknown indicator {ind!r}"
                )
            elif ind in supplier:
                problems.append(
                    f"{label}: providers.{key}.indicators.{j}: {ind!r} is also supplied by "
                    f"{supplier[ind]!r}; an indicator has one supplier"
                )
            supplier.setdefault(ind, key)
        for j, address in enumerate(p.people):
            if address in person:
                problems.append(
                    f"{label}: providers.{key}.people.{j}: {address!r} already signs in for "
                    f"{person[address]!r}"
                )
            person.setdefault(address, key)
        layout = layouts.get(key)
        if layout is None:
            continue
        where = f"{label.rsplit('/', 1)[0]}/providers/{p.layout}"
        for ind in sorted(layout.our_indicators()):
            if ind not in p.indicators:
                problems.append(f"{where}: indicators: {ind!r} is not one {key!r} supplies")
        if layout.breakdown:
            dim = breakdowns.get(layout.breakdown)
            if dim is None:
                problems.append(f"{where}: breakdown: unknown dimension {layout.breakdown!r}")
            else:
                for theirs, ours in layout.groups.items():
                    if ours not in dim.groups:
                        problems.append(
                            f"{where}: groups.{theirs}: {ours!r} is not a {layout.breakdown} "
                            f"group (groups: {', '.join(dim.groups)})"
                        )


def layout_path(root: Path, provider: Provider) -> Path | None:
    """The layout's file, which must be inside `root`/providers (a link pointing elsewhere
    is refused: ValueError)."""
    if not provider.layout:
        return None
    folder = (root / "providers").resolve()
    path = (folder / provider.layout).resolve()
    if path.parent != folder:
        raise ValueError(f"{provider.layout!r} leads outside charter/providers/")
    return path
