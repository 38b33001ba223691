"""The base of every charter model: strict (unknown keys refused), frozen, text stripped, and
numbers finite: YAML reads `.nan` and `.inf` as numbers, and a target of NaN was shown as
"a target of NaN weeks" while a tolerance of infinity stopped the status with a traceback.
A yes/no is never a number either (`true` was read as a threshold of 1)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # an id: lower-case words joined by hyphens


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_a_number(cls, value: object, info: ValidationInfo) -> object:
        """`true`/`false` where the field wants a number is refused (pydantic takes it as
        1 or 0)."""
        if isinstance(value, bool) and info.field_name is not None:
            wanted = cls.model_fields[info.field_name].annotation
            if wanted in (int, float, int | None, float | None):
                raise ValueError("is yes/no (true or false), not a number")
        return value
