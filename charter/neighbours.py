"""DfE's statistical-neighbour model, as shipped in `charter/neighbours.yaml`: each council's
ten nearest neighbours (GSS codes, nearest first), the model's name and date, its source and
licence. `python -m metrics neighbours-refresh FILE` writes the file from DfE's workbook.

A council names only its own code in council.yaml; its neighbours come from here unless
council.yaml lists `comparators` itself (which then win, `[]` meaning none).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from charter.base import Strict
from charter.models import AREA_CODE
from charter.yaml_file import YamlFileError, read_yaml

NEIGHBOURS_YAML = Path(__file__).with_name("neighbours.yaml")
NEIGHBOURS = 10


class ModelCouncil(Strict):
    name: str = Field(min_length=2)
    la_number: str = Field(pattern=r"^[0-9]{3}$", description="DfE's three-digit LA number.")
    neighbours: list[str] = Field(
        min_length=NEIGHBOURS, max_length=NEIGHBOURS, description="GSS codes, nearest first."
    )

    @field_validator("neighbours")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        import re

        bad = [c for c in codes if not re.fullmatch(AREA_CODE, c)]
        if bad:
            raise ValueError(f"not GSS area codes: {', '.join(bad)}")
        return codes


class NeighbourModel(Strict):
    """The whole shipped model."""

    publisher: str = Field(min_length=2, description="Who made the model: DfE.")
    date: str = Field(min_length=4, description="The model's date, e.g. May 2025.")
    source: str = Field(min_length=2)
    licence: str = Field(min_length=2)
    councils: dict[str, ModelCouncil]

    @field_validator("councils")
    @classmethod
    def _keys(cls, councils: dict[str, ModelCouncil]) -> dict[str, ModelCouncil]:
        import re

        bad = [c for c in councils if not re.fullmatch(AREA_CODE, c)]
        if bad:
            raise ValueError(f"not GSS area codes: {', '.join(bad)}")
        return councils

    @property
    def title(self) -> str:
        """How every view names it: "DfE model of May 2025"."""
        return f"{self.publisher} model of {self.date}"


class NeighbourModelError(ValueError):
    pass


@functools.cache
def neighbour_model(path: Path = NEIGHBOURS_YAML) -> NeighbourModel:
    """The shipped model (read once per process)."""
    try:
        data = read_yaml(path)
        return NeighbourModel.model_validate(data)
    except (OSError, YamlFileError) as err:
        raise NeighbourModelError(f"{path}: {err}") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise NeighbourModelError(f"{path}: {where}: {first['msg']}") from None


@dataclass(frozen=True)
class Neighbours:
    """A council's comparator group as the charter resolves it."""

    codes: tuple[str, ...]
    model: str | None  # "DfE model of May 2025"; None when council.yaml lists them
    note: str | None = None  # council.yaml's `comparators_note`: whose the listed ones are

    @property
    def words(self) -> str:
        """What every view says beside a neighbour average."""
        if self.model:
            return f"statistical neighbours: {self.model}"
        return self.note or "comparators chosen in council.yaml"


def neighbours_of(
    code: str, comparators: list[str] | None, path: Path = NEIGHBOURS_YAML, note: str | None = None
) -> Neighbours:
    """council.yaml's `comparators` when given (they win, [] meaning none); else the council's
    ten statistical neighbours in DfE's model. A council the model does not know, with no
    comparators of its own, is refused: an empty neighbour average would look like data."""
    if comparators is not None:
        return Neighbours(tuple(comparators), None, note)
    model = neighbour_model(path)
    found = model.councils.get(code)
    if found is None:
        raise NeighbourModelError(
            f"council {code} is not in the statistical neighbours of the {model.title} "
            f"({path.name}, {len(model.councils)} councils): list its comparators in "
            "council.yaml (GSS codes), or write `comparators: []` for none"
        )
    return Neighbours(tuple(found.neighbours), model.title)
