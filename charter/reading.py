"""One charter file read into its model, each problem recorded as `charter/<file>: <key>:
<reason>` so the person editing the YAML can go straight to it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from charter.yaml_file import YamlFileError, read_yaml

M = TypeVar("M", bound=BaseModel)


def _label(path: Path, root: Path) -> str:
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


def _key(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _read(path: Path, model: type[M], label: str, problems: list[str]) -> M | None:
    if not path.exists():
        problems.append(f"{label}: (file): missing")
        return None
    try:
        data = read_yaml(path)
    except YamlFileError as err:
        problems.append(f"{label}: {err}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{label}: (file): expected a mapping of keys to values")
        return None
    try:
        return model.model_validate(data)
    except RecursionError:
        problems.append(f"{label}: (file): nested too deeply to check")
        return None
    except ValidationError as err:
        for e in err.errors():
            problems.append(f"{label}: {_key(e['loc'])}: {e['msg']}")
        return None
