"""Reloading the charter files (and the access list beside them) while the app runs, audited
with what changed, so that an edited indicator or a new person's access can be traced."""

from __future__ import annotations

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


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def describe(old: Charter, new: Charter, old_access: AccessFile, new_access: AccessFile) -> str:
    """What a reload changes, in one line (or "no change")."""
    parts = _changes(
        "statement",
        {str(s.number): _dump(s) for s in old.statements},
        {str(s.number): _dump(s) for s in new.statements},
    )
    parts += _changes(
        "indicator",
        {k: _dump(v) for k, v in old.indicators.items()},
        {k: _dump(v) for k, v in new.indicators.items()},
    )
    parts += _changes(
        "breakdown",
        {k: _dump(v) for k, v in old.breakdowns.items()},
        {k: _dump(v) for k, v in new.breakdowns.items()},
    )
    if _dump(old.council) != _dump(new.council):
        parts.append("council settings changed")
    parts += [
        f"access list: {p}"
        for p in _changes("person", old_access.people, new_access.people)
        + _changes("domain", old_access.domains, new_access.domains)
    ]
    if old_access.ask != new_access.ask:
        parts.append("access list: who to ask for access changed")
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
