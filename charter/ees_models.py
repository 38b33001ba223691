"""Mappings from explore-education-statistics (EES) files to our indicators, as data.

One mapping file per EES file layout (`charter/ees/*.yaml`): which measure column feeds which
indicator, optional numerator and denominator columns, a scale, the filter values that select
the rows, and optionally a filter column that maps to one of the indicator's breakdowns.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator

from charter.framework import Charter
from charter.loader import CHARTER_DIR, CharterError
from charter.models import Strict
from charter.yaml_file import YamlFileError, read_yaml

EES_DIR = CHARTER_DIR / "ees"


class BreakdownMap(Strict):
    column: str = Field(description="The EES filter column, e.g. characteristic_age.")
    dimension: str = Field(description="Our breakdown dimension, e.g. age_band.")
    total: str = Field(default="Total", description="The filter value that means all groups.")
    groups: dict[str, str] = Field(
        min_length=1, description="EES value -> our group; values not listed are skipped."
    )
    sum: bool = Field(
        default=False,
        description="Add up the EES groups that map to the same group of ours (e.g. single "
        "years of age into age bands); a sum with a symbol in it is that symbol (GSS).",
    )


class Measure(Strict):
    indicator: str
    value: str = Field(description="The measure column holding the figure.")
    numerator: str | None = None
    denominator: str | None = None
    scale: float = Field(default=1.0, gt=0, description="Multiply the value, e.g. 100.")
    filters: dict[str, str] = Field(
        default_factory=dict, description="Only rows where each column has this value."
    )
    breakdown: BreakdownMap | None = None
    period_as: Literal["calendar_year_of_census"] | None = Field(
        default=None,
        description="Relabel the file's periods: calendar_year_of_census stores academic "
        "year 2019/20 (a January census) as calendar year 2020.",
    )

    @field_validator("filters", mode="before")
    @classmethod
    def _as_text(cls, filters: object) -> object:
        """`time_period: 2024` written without quotes is the text "2024", as in the file."""
        if isinstance(filters, dict):
            return {
                k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in filters.items()
            }
        return filters

    @model_validator(mode="after")
    def _pair(self) -> Measure:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("give both 'numerator' and 'denominator', or neither")
        return self


class Mapping(Strict):
    title: str = Field(min_length=3)
    file: str = Field(description="The EES file this layout comes from, e.g. sen2_mi.csv.")
    source: str = Field(min_length=3, description="Recorded with every imported figure.")
    measures: list[Measure] = Field(min_length=1)
    reporting_year: Literal["calendar_year", "financial_year", "academic_year"] | None = Field(
        default=None,
        description="What the release's time_identifier 'Reporting year' means, as its "
        "methodology says: a reporting year 2023 is calendar year 2023, or the financial or "
        "academic year ending in 2023 (2022-23, 2022/23). A file with reporting years is "
        "refused without it.",
    )


M = TypeVar("M", bound=Strict)


def read_mapping_file(path: Path, model: type[M], folder: str) -> tuple[str, M]:
    """A mapping file (charter/<folder>/*.yaml, or one elsewhere) read into `model`, and the
    name its problems are reported under; every problem as `file: key: reason`."""
    label = f"{path.parent.name}/{path.name}" if path.parent.name == folder else str(path)
    try:
        data = read_yaml(path)
    except FileNotFoundError:
        raise CharterError([f"{label}: (file): missing"]) from None
    except YamlFileError as err:
        raise CharterError([f"{label}: {err}"]) from None
    try:
        return label, model.model_validate(data)
    except RecursionError:
        raise CharterError([f"{label}: (file): nested too deeply to check"]) from None
    except ValidationError as err:
        raise CharterError(
            [
                f"{label}: {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
                for e in err.errors()
            ]
        ) from None


def load_mapping(path: Path, charter: Charter) -> Mapping:
    """Read and check a mapping file; every problem reported as `file: key: reason`."""
    label, mapping = read_mapping_file(path, Mapping, "ees")
    problems = []
    for i, m in enumerate(mapping.measures):
        ind = charter.indicators.get(m.indicator)
        if ind is None:
            problems.append(f"{label}: measures.{i}.indicator: unknown indicator {m.indicator!r}")
            continue
        if m.numerator and ind.multiplier is None:
            problems.append(
                f"{label}: measures.{i}.numerator: {m.indicator} is a {ind.unit}, "
                "which has no numerator or denominator"
            )
        if m.breakdown:
            b = m.breakdown
            if b.dimension not in ind.breakdowns:
                problems.append(
                    f"{label}: measures.{i}.breakdown.dimension: {m.indicator} is "
                    f"not broken down by {b.dimension!r}"
                )
            else:
                known = set(charter.breakdowns[b.dimension].groups)
                for value, group in b.groups.items():
                    if group not in known:
                        problems.append(
                            f"{label}: measures.{i}.breakdown.groups.{value}: "
                            f"{group!r} is not a {b.dimension} group"
                        )
                shared = sorted({g for g in b.groups.values()
                                 if list(b.groups.values()).count(g) > 1})  # fmt: skip
                if shared and not b.sum:
                    problems.append(
                        f"{label}: measures.{i}.breakdown.groups: several EES values map to "
                        f"{', '.join(map(repr, shared))}; set 'sum: true' to add them up"
                    )
                if b.sum and ind.unit != "count" and not m.numerator:
                    problems.append(
                        f"{label}: measures.{i}.breakdown.sum: a {ind.unit} cannot be added "
                        "up; give its numerator and denominator columns, which can"
                    )
    if problems:
        raise CharterError(problems)
    return mapping


def shipped_mappings() -> list[Path]:
    return sorted(EES_DIR.glob("*.yaml"))


OWN_FOLDER = " (your charter folder)"


def all_mappings() -> dict[str, Path]:
    """Every mapping an analyst may choose, by the name shown: those shipped, then those in
    the council's own charter folder (`$OUTCOMES_CHARTER/ees/`), which are named as theirs."""
    found = {p.name: p for p in shipped_mappings()}
    env = os.environ.get("OUTCOMES_CHARTER")
    own = Path(env).resolve() / "ees" if env else None
    if own is not None and own != EES_DIR.resolve() and own.is_dir():
        for p in sorted(own.glob("*.yaml")):
            found[f"{p.name}{OWN_FOLDER}"] = p
    return found


def mapping_labels(paths: dict[str, Path]) -> dict[str, str]:
    """What the mapping picker shows for each of `all_mappings()`: its title (with where it
    comes from, or its file name when two share a title); the file name when the file cannot
    be read (choosing it then says why)."""
    titles: dict[str, str] = {}
    for name, path in paths.items():
        try:
            data = read_yaml(path)  # bounded, as every charter file is read
            title = str(data["title"]).strip() if isinstance(data, dict) else ""
        except (OSError, YamlFileError, KeyError):
            title = ""
        titles[name] = title or name
    where = {name: OWN_FOLDER if name.endswith(OWN_FOLDER) else "" for name in paths}
    counts = Counter(titles[name] + where[name] for name in paths)
    out = {}
    for name, title in titles.items():
        file = name.removesuffix(OWN_FOLDER)
        label = file if title == name else title
        if title != name and counts[title + where[name]] > 1:
            label += f" ({file})"
        out[name] = label + where[name]
    return out


def file_name_warning(mapping: Mapping, uploaded: str) -> str | None:
    """A mapping is written for one file; a different name may be a different layout."""
    if Path(uploaded).name.lower() == mapping.file.lower():
        return None
    return (
        f"The mapping {mapping.title!r} is for {mapping.file}, but the file is {uploaded}: "
        "check that it has the same layout (a release may rename or split its files)."
    )
