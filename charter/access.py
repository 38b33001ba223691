"""The access list: who may use the app when the identity provider sends no `roles` claim.

Kept as data beside the rest of the charter (`charter/access.yaml`) and validated the same way:
every problem is reported at once as `charter/access.yaml: <key>: <reason>`.

An address listed under `people` gets exactly the roles listed for it; anyone else gets the
roles of their email domain under `domains`, if any. So a whole council domain can be given
`member` while a named councillor on the same domain is given only `councillor`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from charter.loader import CHARTER_DIR, CharterError, _label, _read
from charter.models import Strict

Role = Literal["analyst", "member", "chair", "councillor", "admin"]
ROLES: tuple[str, ...] = ("analyst", "member", "chair", "councillor", "admin")

EMAIL = re.compile(r"^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


def _normalised(
    entries: dict[str, list[str]], pattern: re.Pattern[str], problem: str
) -> dict[str, list[str]]:
    """Keys lower-cased and checked, so that matching ignores case and a key listed twice in
    different cases is caught."""
    out: dict[str, list[str]] = {}
    for written, roles in entries.items():
        key = written.strip().lower()
        if not pattern.match(key):
            raise ValueError(f"{written!r} {problem}")
        if key in out:
            raise ValueError(f"{written!r} is listed twice")
        out[key] = roles
    return out


class AccessFile(Strict):
    ask: str = Field(
        min_length=1,
        description="Who to ask for access, shown to a signed-in person who has no role.",
    )
    people: dict[str, list[Role]] = Field(
        default_factory=dict, description="Email address -> roles (exactly these roles)."
    )
    domains: dict[str, list[Role]] = Field(
        default_factory=dict, description="Email domain -> roles, for addresses not listed."
    )

    @field_validator("people")
    @classmethod
    def _addresses(cls, people: dict[str, list[str]]) -> dict[str, list[str]]:
        return _normalised(people, EMAIL, "is not an email address")

    @field_validator("domains")
    @classmethod
    def _domains(cls, domains: dict[str, list[str]]) -> dict[str, list[str]]:
        stripped = {key.strip().removeprefix("@"): roles for key, roles in domains.items()}
        return _normalised(stripped, DOMAIN, "is not an email domain (e.g. wrenfield.gov.uk)")

    def roles_for(self, email: str) -> frozenset[str]:
        """The roles the list gives `email` (none for an unknown address)."""
        address = email.strip().lower()
        if address in self.people:
            return frozenset(self.people[address])
        return frozenset(self.domains.get(address.rpartition("@")[2], []))


def load_access(root: Path | None = None) -> AccessFile:
    """Read `access.yaml` beside the charter files (default: $OUTCOMES_CHARTER, else this
    package's own). Raises CharterError naming file, key and reason."""
    env = os.environ.get("OUTCOMES_CHARTER")
    root = (root or (Path(env) if env else CHARTER_DIR)).resolve()
    path = root / "access.yaml"
    problems: list[str] = []
    access = _read(path, AccessFile, _label(path, root), problems)
    if access is None:
        raise CharterError(problems)
    return access
