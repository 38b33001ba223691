"""Mappings from DfE's section 251 outturn files (explore-education-statistics tidy CSV,
"LA and school expenditure") to the services of charter/needs.yaml, as data: which column
names the expenditure line, which hold net spend and spend per child, and which lines are
which of our services (several lines may add up to one service). One file per layout in
charter/s251/; problems read `file: key: reason` like the rest of the charter."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from charter.ees_models import read_mapping_file
from charter.framework import Charter
from charter.loader import CHARTER_DIR, CharterError
from charter.models import Strict

S251_DIR = CHARTER_DIR / "s251"


class S251Mapping(Strict):
    title: str = Field(min_length=3)
    file: str = Field(min_length=3, description="The release file this layout is for.")
    source: str = Field(min_length=5, description="The release, as every output cites it.")
    line_column: str = Field(description="The column naming the expenditure line.")
    spend_column: str = Field(description="Net expenditure, in pounds.")
    per_child_column: str | None = Field(
        default=None, description="Net expenditure per child aged 0 to 17, in pounds."
    )
    filters: dict[str, str] = Field(
        default_factory=dict, description="Only rows where each column has this value."
    )
    lines: dict[str, str] = Field(min_length=1, description="Their line -> our service id.")


def load_s251_mapping(path: Path, charter: Charter) -> S251Mapping:
    """A mapping file, checked against the charter's services."""
    label, mapping = read_mapping_file(path, S251Mapping, "s251")
    services = charter.needs.services if charter.needs else {}
    problems = [
        f"{label}: lines.{line}: {service!r} is not a service in needs.yaml "
        f"({', '.join(services) or 'none defined'})"
        for line, service in mapping.lines.items()
        if service not in services
    ]
    if problems:
        raise CharterError(problems)
    return mapping
