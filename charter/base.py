"""The base of every charter model: strict (unknown keys refused), frozen, text stripped, and
numbers finite: YAML reads `.nan` and `.inf` as numbers, and a target of NaN was shown as
"a target of NaN weeks" while a tolerance of infinity stopped the status with a traceback.
A yes/no is never a number either (`true` was read as a threshold of 1, and inside a list
or mapping of numbers as 1: `targets: {2026-27: true}`)."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # an id: lower-case words joined by hyphens


def _wants_a_number(annotation: Any) -> bool:
    """Whether a field's type takes a number and no yes/no, anywhere in it (int, float,
    float | None, list[int], dict[str, float], Annotated[int, ...] ...)."""
    found: set[Any] = set()

    def walk(t: Any) -> None:
        found.add(t)
        for arg in get_args(t):
            walk(arg)

    walk(annotation)
    return bool(found & {int, float}) and bool not in found


def _holds_a_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_holds_a_yes_no(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_a_yes_no(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_a_number(cls, value: object, info: ValidationInfo) -> object:
        """`true`/`false` where the field wants a number, or in a list or mapping of
        numbers, is refused (pydantic takes it as 1 or 0)."""
        name = info.field_name
        if (
            name is not None
            and _holds_a_yes_no(value)
            and _wants_a_number(cls.model_fields[name].annotation)
        ):
            raise ValueError("holds yes/no (true or false) where a number goes")
        return value
