"""Provision and gaps: for each locality and primary need, which providers work there and
what they provide, from two places:

- charter/needs.yaml's `provision` (who says they provide what, where, for which needs);
- the needs return: a source with a provider (charter/needs.yaml `sources.<id>.provider`)
  that counts children of a need in a locality works there for that need.

A **gap** is a need in a locality with children known or expected and no provider at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter
from charter.needs import ALL
from metrics.leadership.needs import Baseline


@dataclass(frozen=True)
class Provider:
    name: str
    provides: str
    from_return: bool  # seen in the needs return (else: the charter's provision only)


@dataclass(frozen=True)
class Cell:
    locality: str
    need: str
    providers: tuple[Provider, ...]
    gap: bool

    @property
    def names(self) -> str:
        return "; ".join(p.name for p in self.providers) or "none"


def _name(charter: Charter, key: str, name: str = "") -> str:
    found = charter.providers.get(key)
    return found.name if found else (name or key)


def provision(charter: Charter, found: Baseline) -> list[Cell]:
    """One cell per locality and need, in the charter's order."""
    assert charter.needs is not None
    needs = charter.breakdowns["primary_need"].groups
    cells = []
    for row in found.localities:
        for need_row in row.needs:
            need = need_row.need
            by_key: dict[str, Provider] = {}
            for entry in charter.needs.provision:
                here = entry.localities == [ALL] or row.locality in entry.localities
                serves = entry.needs == [ALL] or need in entry.needs
                if here and serves:
                    name = _name(charter, entry.provider, entry.name)
                    by_key[entry.provider] = Provider(name, entry.provides, False)
            for source_id, source in charter.needs.sources.items():
                if source.provider is None or row.by_source.get(source_id, 0) == 0:
                    continue
                if _counted(found, source_id, row.locality, need):
                    old = by_key.get(source.provider)
                    provides = old.provides if old else source.name
                    by_key[source.provider] = Provider(
                        _name(charter, source.provider), provides, True
                    )
            wanted = need_row.known > 0 or (need_row.expected or 0) > 0
            cells.append(Cell(row.locality, need, tuple(by_key.values()), wanted and not by_key))
    assert all(c.need in needs for c in cells)
    return cells


def _counted(found: Baseline, source: str, locality: str, need: str) -> bool:
    return (found.quarter, source, locality, need) in found.source_cells


def gaps(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if c.gap]


def needs_without_provider(cells: list[Cell]) -> list[str]:
    """Needs with no provider in any locality (in the charter's order)."""
    order: list[str] = []
    for c in cells:
        if c.need not in order:
            order.append(c.need)
    return [n for n in order if all(c.gap for c in cells if c.need == n)]


def gap_words(cells: list[Cell]) -> str:
    none = needs_without_provider(cells)
    found = gaps(cells)
    if not found:
        return "Every need in every locality has at least one provider working there."
    parts = []
    if none:
        parts.append(f"No provider works with {', '.join(none)} in any locality.")
    others = [c for c in found if c.need not in none]
    if others:
        listed = "; ".join(f"{c.need} in {c.locality}" for c in others)
        parts.append(f"No provider for: {listed}.")
    return " ".join(parts)
