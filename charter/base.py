"""The base of every charter model: strict (unknown keys refused), frozen, text stripped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # an id: lower-case words joined by hyphens


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
