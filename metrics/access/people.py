"""Who is acting: the signed-in person (or the command line's user) and what they may do.

The app builds an `Actor` from the identity provider's claims and hands it to every write;
each write checks the role itself (`require`), so a button handler never relies on the page's
own check having run. No streamlit here: the UI passes the person in.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from charter.access import ROLES, AccessFile
from charter.providers import Provider

ANALYST, MEMBER, CHAIR, COUNCILLOR, ADMIN = ROLES
EVERY_ROLE = frozenset(ROLES)
# A partner organisation's person: sends that provider's returns and sees only its own. Not
# in the access list's roles: who signs in for a provider is listed in charter/providers.yaml
# (or named by the token's provider claim, `provider_claim` in the access list, beside a
# `provider` role).
PROVIDER = "provider"

# What each role is called on screen, and what it is for.
ROLE_NAMES = {
    ANALYST: "analyst",
    MEMBER: "planning group member",
    CHAIR: "planning group chair",
    COUNCILLOR: "councillor",
    ADMIN: "administrator",
    PROVIDER: "provider",
}

# The people who work with the figures: they see the real ones, small numbers and all, in
# the app and in the planning group's pack; everyone else (a councillor, a partner's person,
# nobody signed in) sees what would be published (`sees_real_figures`). The app's pages of
# operational detail are theirs too (ui/registry.py).
STAFF = frozenset({ANALYST, MEMBER, CHAIR, ADMIN})

# A chair is a planning-group member who also agrees statuses and signs a quarter off.
IMPLIED = {CHAIR: frozenset({MEMBER})}

APP, CLI, DEMO = "app", "cli", "demo"


def with_implied(roles: frozenset[str] | set[str]) -> frozenset[str]:
    out = set(roles)
    for role in roles:
        out |= IMPLIED.get(role, frozenset())
    return frozenset(out)


class AccessDenied(PermissionError):
    """Someone tried to do what none of their roles allows; the message says so plainly."""


@dataclass(frozen=True)
class Actor:
    """A person acting on the store: who (for the audit trail) and with which roles."""

    subject: str  # the identity provider's `sub`; the operating-system user on the CLI
    name: str
    email: str = ""
    via: str = APP  # app | cli | demo
    roles: frozenset[str] = field(default_factory=frozenset)
    provider: str | None = None  # the provider a `provider` role acts for

    def may(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def label(self) -> str:
        """How the upload log and pages name this person."""
        return self.name


def require(actor: Actor, roles: frozenset[str] | set[str], action: str) -> None:
    """Refuse `action` unless `actor` holds one of `roles`."""
    if not actor.may(*roles):
        needed = " or ".join(name for r, name in ROLE_NAMES.items() if r in roles)
        raise AccessDenied(f"{actor.name} may not {action}: that needs the {needed} role.")


def may_send(actor: Actor, provider: str | None) -> None:
    """Refuse a return unless an analyst sends it, or (for a provider's return) that
    provider's own person."""
    if actor.may(ANALYST):
        return
    if provider and actor.may(PROVIDER) and actor.provider == provider:
        return
    if provider and actor.may(PROVIDER):
        raise AccessDenied(
            f"{actor.name} may not send a return for {provider}: they send for "
            f"{actor.provider or 'no provider'}."
        )
    require(actor, {ANALYST, PROVIDER} if provider else {ANALYST}, "upload a return")


def command_line(user: str | None = None) -> Actor:
    """The person running a command: the operating-system user, named `--user` if given. The
    command line is the server's operator, who can open the database file anyway."""
    os_user = getpass.getuser()
    return Actor(subject=os_user, name=(user or "").strip() or os_user, via=CLI, roles=EVERY_ROLE)


def acting(by: Actor | str | None) -> Actor:
    """The actor for a write: a signed-in person as given; a bare name (the command line's
    `--user`) or nothing means the operating-system user at the command line."""
    if isinstance(by, Actor):
        return by
    return command_line(by)


def demo(role: str, provider: str | None = None) -> Actor:
    """The demo mode's pretend person, recorded as "demo (role)"; a provider's acts for
    `provider`."""
    name = f"demo ({role}{': ' + provider if role == PROVIDER and provider else ''})"
    return Actor(
        subject="demo",
        name=name,
        via=DEMO,
        roles=with_implied({role}),
        provider=provider if role == PROVIDER else None,
    )


def _text(claims: Mapping[str, Any], key: str) -> str:
    value = claims.get(key)
    return value.strip() if isinstance(value, str) else ""


def verified_address(claims: Mapping[str, Any], access: AccessFile) -> str:
    """The person's email address if the identity provider vouches for it, else "".

    Vouching is `email_verified` as a boolean true (a string "true" is not a boolean), or,
    for a provider that never sends the claim, its issuer listed in the access list's
    `addresses_verified_by`; `email_verified: false` is never overridden. An address with
    more than one `@` is no address."""
    email = _text(claims, "email")
    if email.count("@") != 1:
        return ""
    verified = claims.get("email_verified")
    if verified is True:
        return email
    if verified is not False and _text(claims, "iss") in access.addresses_verified_by:
        return email
    return ""


def _claimed_roles(claims: Mapping[str, Any]) -> set[str] | None:
    """The token's `roles` claim, lower-cased; None when the token has none. Anything but a
    string or a list of strings is no role at all."""
    claimed = claims.get("roles")
    if claimed is None:
        return None
    values = [claimed] if isinstance(claimed, str) else claimed
    if not isinstance(values, list):
        return set()
    return {v.strip().lower() for v in values if isinstance(v, str)}


def provider_from_claims(
    claims: Mapping[str, Any], providers: Mapping[str, Provider], access: AccessFile
) -> str | None:
    """The provider a person signs in for: the token's provider claim (named by the access
    list's `provider_claim`) beside a `provider` role, else the provider whose `people` list
    their verified email."""
    claimed = _claimed_roles(claims)
    if claimed is not None:  # a token with roles says everything (as for the access list)
        named = _text(claims, access.provider_claim)
        return named if PROVIDER in claimed and named in providers else None
    email = verified_address(claims, access).lower()
    if not email:
        return None
    return next((key for key, p in providers.items() if email in p.people), None)


def roles_from_claims(claims: Mapping[str, Any], access: AccessFile) -> frozenset[str]:
    """The token's `roles` claim when it has one (Entra app roles; unknown values ignored,
    without regard to case), otherwise the access list's roles for a verified email."""
    claimed = _claimed_roles(claims)
    if claimed is not None:
        return with_implied(frozenset(claimed & EVERY_ROLE))
    email = verified_address(claims, access)
    return with_implied(access.roles_for(email)) if email else frozenset()


def from_claims(
    claims: Mapping[str, Any],
    access: AccessFile,
    providers: Mapping[str, Provider] | None = None,
) -> Actor:
    """The signed-in person as the identity provider describes them."""
    email = _text(claims, "email")
    subject = _text(claims, "sub") or email
    name = _text(claims, "name") or _text(claims, "preferred_username") or email or subject
    roles = roles_from_claims(claims, access)
    provider = provider_from_claims(claims, providers or {}, access)
    if provider:
        roles |= {PROVIDER}
    return Actor(subject, name, email, APP, roles, provider)


def sees_real_figures(actor: Actor) -> bool:
    """Staff see the real figures; councillors (and anyone without a staff role) see what
    would be published."""
    return bool(actor.roles & STAFF)
