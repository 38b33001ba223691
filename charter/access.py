"""The access list: who may use the app when the identity provider sends no `roles` claim.

Kept as data beside the rest of the charter (`charter/access.yaml`) and validated the same way:
every problem is reported at once as `charter/access.yaml: <key>: <reason>`.

An address listed under `people` gets exactly the roles listed for it; anyone else gets the
roles of their email domain under `domains`, if any. So a whole council domain can be given
`member` while a named councillor on the same domain is given only `councillor`.

An address counts only when the identity provider vouches for it (`email_verified` true); a
provider that never sends that claim (Microsoft Entra ID) is trusted only when its issuer is
listed under `addresses_verified_by`. A partner's person who signs in with a `provider` role
names their organisation in the claim `provider_claim` (not `provider`: Streamlit overwrites
that claim with the name of its own sign-in provider).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from charter.loader import CHARTER_DIR, CharterError
from charter.models import Strict
from charter.reading import _label, _read

Role = Literal["analyst", "member", "chair", "councillor", "admin"]
ROLES: tuple[str, ...] = ("analyst", "member", "chair", "councillor", "admin")

EMAIL = re.compile(r"^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
CLAIM = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
# Claims the app or Streamlit already gives a meaning (Streamlit sets `provider` and
# `is_logged_in` itself), so a provider's organisation can never be read from them.
TAKEN_CLAIMS = frozenset(
    {"provider", "is_logged_in", "sub", "iss", "aud", "email", "email_verified", "name", "roles"}
)


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
    addresses_verified_by: list[str] = Field(
        default_factory=list,
        description="Issuers (the token's `iss`) whose email addresses count as verified "
        "without an `email_verified` claim (Microsoft Entra ID sends none).",
    )
    provider_claim: str = Field(
        default="outcomes_provider",
        description="The token claim naming the provider a person with the `provider` role "
        "acts for (an id in charter/providers.yaml).",
    )

    @field_validator("provider_claim")
    @classmethod
    def _claim(cls, claim: str) -> str:
        if not CLAIM.match(claim):
            raise ValueError(f"{claim!r} is not a claim name")
        if claim.lower() in TAKEN_CLAIMS:
            raise ValueError(
                f"{claim!r} is a claim the sign-in already uses (Streamlit overwrites "
                "`provider`); choose another, e.g. outcomes_provider"
            )
        return claim

    @field_validator("addresses_verified_by")
    @classmethod
    def _issuers(cls, issuers: list[str]) -> list[str]:
        for issuer in issuers:
            if not issuer.startswith("https://"):
                raise ValueError(f"{issuer!r} is not an issuer (the token's `iss`, https://...)")
        return issuers

    @field_validator("people")
    @classmethod
    def _addresses(cls, people: dict[str, list[str]]) -> dict[str, list[str]]:
        return _normalised(people, EMAIL, "is not an email address")

    @field_validator("domains")
    @classmethod
    def _domains(cls, domains: dict[str, list[str]]) -> dict[str, list[str]]:
        stripped: dict[str, list[str]] = {}
        written: dict[str, str] = {}  # lower-cased domain -> the key it was first written as
        for key, roles in domains.items():  # '@x' and 'x' are one domain: never merged quietly
            domain = key.strip().removeprefix("@")
            if (first := written.get(domain.lower())) is not None:
                how = (
                    " (with and without its @)"
                    if first.startswith("@") != key.strip().startswith("@")
                    else ""
                )
                raise ValueError(f"{key!r} is listed twice{how}")
            written[domain.lower()] = key.strip()
            stripped[domain] = roles
        return _normalised(stripped, DOMAIN, "is not an email domain (e.g. wrenfield.gov.uk)")

    def roles_for(self, email: str) -> frozenset[str]:
        """The roles the list gives `email` (none for an unknown address, nor for one that is
        not a single local part and domain: `a@council.example@elsewhere.example`). A domain
        rule matches the whole domain: `wrenfield.example` is not `x.wrenfield.example`."""
        address = email.strip().lower()
        if address.count("@") != 1:
            return frozenset()
        if address in self.people:
            return frozenset(self.people[address])
        return frozenset(self.domains.get(address.partition("@")[2], []))


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
