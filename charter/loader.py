"""Load and cross-check the charter files, reporting every problem at once.

Each problem reads `charter/<file>: <key>: <reason>` so the person editing the YAML can go
straight to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from charter.framework import Charter
from charter.models import BreakdownsFile, CouncilFile, Indicator, OwnersFile, StatementsFile
from charter.neighbours import NeighbourModelError, neighbours_of
from charter.optional_files import _leadership, _needs, _providers
from charter.reading import _label, _read
from charter.reminders import Reminders

CHARTER_DIR = Path(__file__).resolve().parent


class CharterError(ValueError):
    """The charter files are invalid; `problems` lists each as `file: key: reason`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The charter files have problems:\n" + "\n".join(problems))


def load_charter(root: Path | None = None) -> Charter:
    """Read every charter file under `root` (default: $OUTCOMES_CHARTER, else this package's
    own files) and cross-check them."""
    env = os.environ.get("OUTCOMES_CHARTER")
    root = (root or (Path(env) if env else CHARTER_DIR)).resolve()
    problems: list[str] = []
    statements_file = _read(
        root / "statements.yaml", StatementsFile, _label(root / "statements.yaml", root), problems
    )
    breakdowns_file = _read(
        root / "breakdowns.yaml", BreakdownsFile, _label(root / "breakdowns.yaml", root), problems
    )
    council_file = _read(
        root / "council.yaml", CouncilFile, _label(root / "council.yaml", root), problems
    )
    if council_file is not None:
        try:
            neighbours_of(council_file.council.code, council_file.council.comparators)
        except NeighbourModelError as err:
            problems.append(f"{_label(root / 'council.yaml', root)}: council.comparators: {err}")
    owners_label = _label(root / "owners.yaml", root)
    owners_file = _read(root / "owners.yaml", OwnersFile, owners_label, problems)
    if owners_file is not None:
        for key, owner in owners_file.owners.items():
            if owner.organisation not in owners_file.organisations:
                defined = ", ".join(sorted(owners_file.organisations))
                problems.append(
                    f"{owners_label}: owners.{key}.organisation: unknown organisation "
                    f"{owner.organisation!r} (defined: {defined})"
                )
    indicators: dict[str, Indicator] = {}
    indicator_files: dict[str, str] = {}
    for path in sorted((root / "indicators").glob("*.yaml")):
        label = _label(path, root)
        indicator = _read(path, Indicator, label, problems)
        if indicator is None:
            continue
        if indicator.id != path.stem:
            problems.append(f"{label}: id: {indicator.id!r} must match the file name {path.stem!r}")
        if indicator.id in indicators:
            problems.append(
                f"{label}: id: duplicate id {indicator.id!r} "
                f"(also in {indicator_files[indicator.id]})"
            )
            continue
        indicators[indicator.id] = indicator
        indicator_files[indicator.id] = label
    if not indicator_files and not any(p.startswith(f"{root.name}/indicators/") for p in problems):
        problems.append(f"{root.name}/indicators: (folder): no indicator files")

    statements = list(statements_file.statements) if statements_file else []
    numbers = [s.number for s in statements]
    for i, number in enumerate(numbers):
        if number in numbers[:i]:
            problems.append(
                f"{root.name}/statements.yaml: statements.{i}.number: duplicate {number}"
            )
    known = set(numbers)
    dimensions = breakdowns_file.breakdowns if breakdowns_file else {}
    for ident, indicator in indicators.items():
        label = indicator_files[ident]
        if statements_file is not None:
            for j, ref in enumerate(indicator.statements):
                if ref not in known:
                    problems.append(f"{label}: statements.{j}: unknown statement {ref}")
        if owners_file is not None and indicator.owner not in owners_file.owners:
            problems.append(
                f"{label}: owner: unknown owner {indicator.owner!r} (defined in owners.yaml)"
            )
        if breakdowns_file is not None:
            for j, dim in enumerate(indicator.breakdowns):
                if dim not in dimensions:
                    choices = ", ".join(sorted(dimensions)) or "none defined"
                    problems.append(
                        f"{label}: breakdowns.{j}: unknown dimension {dim!r} (defined: {choices})"
                    )
    providers, layouts = _providers(root, indicators, dimensions, problems)
    if council_file is not None and council_file.reminders is not None and owners_file:
        _check_reminders(council_file.reminders, owners_file, root, owners_label, problems)
    self_review, inspection = _leadership(root, set(numbers), problems)
    needs, boundaries = _needs(root, dimensions, set(providers), set(indicators), known, problems)
    if indicators:
        evidenced = {ref for i in indicators.values() for ref in i.statements}
        for i, statement in enumerate(statements):
            if statement.number not in evidenced:
                problems.append(
                    f"{root.name}/statements.yaml: statements.{i}: statement {statement.number} "
                    "has no indicator; map at least one indicator to it"
                )
    if (
        problems
        or statements_file is None
        or council_file is None
        or breakdowns_file is None
        or owners_file is None
    ):
        raise CharterError(problems)
    return Charter(
        statements=tuple(sorted(statements, key=lambda s: s.number)),
        indicators=dict(sorted(indicators.items())),
        breakdowns=dict(dimensions),
        council=council_file.council,
        owners=dict(owners_file.owners),
        organisations=dict(owners_file.organisations),
        providers=providers,
        layouts=layouts,
        self_review=tuple(self_review.themes) if self_review else (),
        inspection=tuple(inspection.themes) if inspection else (),
        framework=inspection.framework if inspection else "",
        reminders=council_file.reminders,
        needs=needs,
        boundaries=boundaries,
    )


def _check_reminders(
    reminders: Reminders, owners: OwnersFile, root: Path, owners_label: str, problems: list[str]
) -> None:
    """With a schedule, every owner needs an address (a reminder that cannot be sent is a
    chase that silently never happens) and the chair must be an owner."""
    council_label = _label(root / "council.yaml", root)
    if reminders.chair not in owners.owners:
        problems.append(
            f"{council_label}: reminders.chair: unknown owner {reminders.chair!r} (defined in "
            "owners.yaml)"
        )
    for key, owner in owners.owners.items():
        if owner.email is None:
            problems.append(
                f"{owners_label}: owners.{key}.email: missing; council.yaml has a reminders "
                "schedule, so every owner needs an address for their reminders"
            )
