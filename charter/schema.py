"""JSON Schemas of the charter files, generated from the models.

Editors that understand JSON Schema (VS Code with the YAML extension, for example) use them to
check the files as the council types. Regenerate after changing `charter/models.py`:

    python -m charter.schema
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from charter.access import AccessFile
from charter.leadership import InspectionFile, SelfReviewFile
from charter.loader import CHARTER_DIR
from charter.models import BreakdownsFile, CouncilFile, Indicator, OwnersFile, StatementsFile
from charter.needs import NeedsFile
from charter.providers import Layout, ProvidersFile

SCHEMAS: dict[str, type[BaseModel]] = {
    "statements.schema.json": StatementsFile,
    "indicator.schema.json": Indicator,
    "breakdowns.schema.json": BreakdownsFile,
    "council.schema.json": CouncilFile,
    "access.schema.json": AccessFile,
    "owners.schema.json": OwnersFile,
    "providers.schema.json": ProvidersFile,
    "provider-layout.schema.json": Layout,
    "self-review.schema.json": SelfReviewFile,
    "inspection.schema.json": InspectionFile,
    "needs.schema.json": NeedsFile,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def write(folder: Path = CHARTER_DIR / "schema") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(render(model), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write():
        print(f"wrote {written}")
