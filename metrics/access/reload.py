"""Reloading the charter files (and the access list beside them) while the app runs, audited
with what changed, so that an edited indicator or a new person's access can be traced."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from charter import Charter, load_charter
from charter.access import AccessFile, load_access
from metrics.access import audit
from metrics.access.people import ADMIN, Actor, require
from metrics.store.connection import Store


def _changes(noun: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(k for k in set(old) & set(new) if old[k] != new[k])
    out = []
    for what, keys in (("added", added), ("removed", removed), ("changed", changed)):
        if keys:
            s = "s" if len(keys) != 1 else ""
            out.append(f"{len(keys)} {noun}{s} {what} ({', '.join(keys)})")
    return out


# How a reload names each part of the charter: a collection's items by their key (or number,
# or id), anything else as one setting. Every field of Charter and AccessFile is compared, so
# a file added to either later is never audited as "no change" (test_access.py checks this).
_ITEMS = {
    "statements": "statement",
    "indicators": "indicator",
    "breakdowns": "breakdown",
    "owners": "owner",
    "organisations": "organisation",
    "providers": "provider",
    "layouts": "provider layout",
    "self_review": "self-review theme",
    "inspection": "inspection theme",
}
_SETTINGS = {
    "council": "council settings",
    "framework": "the inspection framework's name",
    "reminders": "the reminders' schedule",
    "needs": "the needs settings",
    "boundaries": "the localities' boundaries",
}
_ACCESS = {
    "people": "person",
    "domains": "domain",
    "ask": "who to ask for access",
    "addresses_verified_by": "the issuers whose addresses count as verified",
    "provider_claim": "the claim naming a provider",
}


def _plain(value: Any) -> Any:
    """A value as comparable data (a model as its fields, collections item by item)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _by_key(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    keyed = {}
    for place, item in enumerate(value, start=1):
        key = getattr(item, "number", None) or getattr(item, "id", None) or place
        keyed[str(key)] = _plain(item)
    return keyed


def _setting(label: str, old: Any, new: Any) -> list[str]:
    old, new = _plain(old), _plain(new)
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        return [f"{label} changed ({', '.join(keys)})"]
    return [f"{label} changed"]


def describe(old: Charter, new: Charter, old_access: AccessFile, new_access: AccessFile) -> str:
    """What a reload changes, in one line (or "no change"): every part of the charter files and
    the access list, each collection's items by key."""
    parts: list[str] = []
    for part in dataclasses.fields(Charter):
        was, now = getattr(old, part.name), getattr(new, part.name)
        if part.name in _ITEMS:
            parts += _changes(_ITEMS[part.name], _by_key(was), _by_key(now))
        else:
            parts += _setting(_SETTINGS.get(part.name, part.name), was, now)
    for name in AccessFile.model_fields:
        was, now = getattr(old_access, name), getattr(new_access, name)
        if isinstance(was, Mapping):
            found = _changes(_ACCESS.get(name, name), _by_key(was), _by_key(now))
        else:
            found = _setting(_ACCESS.get(name, name), was, now)
        parts += [f"access list: {p}" for p in found]
    return "; ".join(parts) or "no change"


def _size(charter: Charter, access: AccessFile) -> str:
    return (
        f"{len(charter.statements)} statements, {len(charter.indicators)} indicators, "
        f"{len(access.people)} people and {len(access.domains)} domains on the access list"
    )


def reload_charter(
    store: Store, actor: Actor, old: Charter, old_access: AccessFile, root: Path | None = None
) -> tuple[Charter, AccessFile, str]:
    """Read the charter files and the access list again (CharterError, naming file, key and
    reason, if they have problems: then nothing changes) and audit what changed."""
    require(actor, {ADMIN}, "reload the charter files")
    new, new_access = load_charter(root), load_access(root)
    summary = describe(old, new, old_access, new_access)
    audit.record_in_store(
        store,
        actor,
        "charter reload",
        "charter files and access list",
        summary,
        before=_size(old, old_access),
        after=_size(new, new_access),
    )
    return new, new_access, summary
