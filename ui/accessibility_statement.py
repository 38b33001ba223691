"""The accessibility statement: docs/accessibility-statement.md with the council's details."""

from __future__ import annotations

from pathlib import Path

from charter import Council

STATEMENT = Path(__file__).resolve().parent.parent / "docs" / "accessibility-statement.md"


def accessibility_statement(council: Council) -> str:
    text = STATEMENT.read_text(encoding="utf-8")
    contact = council.contact or "the performance team (contact not set in charter/council.yaml)"
    return text.replace("{council}", council.name).replace("{contact}", contact)
