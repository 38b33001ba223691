"""Load and cross-check the charter files, reporting every problem at once.

Each problem reads `charter/<file>: <key>: <reason>` so the person editing the YAML can go
straight to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from charter.leadership import (
    InspectionFile,
    InspectionTheme,
    ReviewTheme,
    SelfReviewFile,
    check_inspection,
)
from charter.models import (
    Breakdown,
    BreakdownsFile,
    Council,
    CouncilFile,
    Indicator,
    Organisation,
    Owner,
    OwnersFile,
    Statement,
    StatementsFile,
)
from charter.needs import NeedsFile, check_needs, read_boundaries
from charter.neighbours import NeighbourModelError, Neighbours, neighbours_of
from charter.providers import Layout, Provider, ProvidersFile, check_providers, layout_path
from charter.reminders import Reminders
from charter.yaml_file import YamlFileError, read_yaml

CHARTER_DIR = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)


class CharterError(ValueError):
    """The charter files are invalid; `problems` lists each as `file: key: reason`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The charter files have problems:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Charter:
    statements: tuple[Statement, ...]
    indicators: dict[str, Indicator]
    breakdowns: dict[str, Breakdown]
    council: Council
    owners: dict[str, Owner] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)  # by provider id
    self_review: tuple[ReviewTheme, ...] = ()  # the leadership self-review's questions
    inspection: tuple[InspectionTheme, ...] = ()  # the area SEND inspection's themes
    framework: str = ""  # the inspection framework's name
    reminders: Reminders | None = None  # council.yaml's schedule; None: no reminders sent
    needs: NeedsFile | None = None  # needs.yaml: localities, prevalence, sources, services
    boundaries: dict[str, Any] | None = None  # the localities' GeoJSON (needs.yaml names it)

    def neighbours(self) -> Neighbours:
        """The comparator group: council.yaml's `comparators`, else DfE's statistical
        neighbours of the council (load_charter refuses a council neither names)."""
        council = self.council
        return neighbours_of(council.code, council.comparators, note=council.comparators_note)

    def supplier(self, indicator: str) -> str | None:
        """The provider that supplies an indicator, if any."""
        for key, provider in self.providers.items():
            if indicator in provider.indicators:
                return key
        return None

    def question_ids(self) -> list[str]:
        """Every self-review question's id, each followed by its sub-questions', in order."""
        return [q.id for theme in self.self_review for q in theme.every_question()]

    def question(self, ident: str) -> str:
        """A self-review question's text."""
        for theme in self.self_review:
            for q in theme.every_question():
                if q.id == ident:
                    return q.text
        raise KeyError(f"no self-review question {ident}")

    def statement(self, number: int) -> Statement:
        for statement in self.statements:
            if statement.number == number:
                return statement
        raise KeyError(f"no statement {number}")

    def owner_name(self, owner: str) -> str:
        """'Head of SEND (Wrenfield Council)'."""
        o = self.owners.get(owner)
        if o is None:
            return owner
        org = self.organisations.get(o.organisation)
        return f"{o.name} ({org.name})" if org else o.name

    def indicators_for(self, number: int) -> list[Indicator]:
        return [i for i in self.indicators.values() if number in i.statements]


def _label(path: Path, root: Path) -> str:
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


def _key(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _read(path: Path, model: type[M], label: str, problems: list[str]) -> M | None:
    if not path.exists():
        problems.append(f"{label}: (file): missing")
        return None
    try:
        data = read_yaml(path)
    except YamlFileError as err:
        problems.append(f"{label}: {err}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{label}: (file): expected a mapping of keys to values")
        return None
    try:
        return model.model_validate(data)
    except RecursionError:
        problems.append(f"{label}: (file): nested too deeply to check")
        return None
    except ValidationError as err:
        for e in err.errors():
            problems.append(f"{label}: {_key(e['loc'])}: {e['msg']}")
        return None


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


def _needs(
    root: Path,
    dimensions: dict[str, Breakdown],
    providers: set[str],
    indicators: set[str],
    statements: set[int],
    problems: list[str],
) -> tuple[NeedsFile | None, dict[str, Any] | None]:
    """The needs baseline's file (optional: no Needs and resources figures without it)."""
    path = root / "needs.yaml"
    if not path.exists():
        return None, None
    label = _label(path, root)
    needs = _read(path, NeedsFile, label, problems)
    if needs is None:
        return None, None
    groups = {k: list(d.groups) for k, d in dimensions.items()}
    check_needs(
        needs,
        localities=groups.get("locality", []),
        primary_needs=groups.get("primary_need", []),
        providers=providers,
        indicators=indicators,
        statements=statements,
        label=label,
        problems=problems,
    )
    return needs, read_boundaries(root, needs, label, problems)


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


def _leadership(
    root: Path, numbers: set[int], problems: list[str]
) -> tuple[SelfReviewFile | None, InspectionFile | None]:
    """The self-review's questions and the inspection's themes; each file is optional (no
    self-review page questions, no self-evaluation themes)."""
    review = inspection = None
    path = root / "self_review.yaml"
    if path.exists():
        review = _read(path, SelfReviewFile, _label(path, root), problems)
    path = root / "inspection.yaml"
    if path.exists():
        label = _label(path, root)
        inspection = _read(path, InspectionFile, label, problems)
        if inspection is not None:
            check_inspection(inspection, numbers, label, problems)
    return review, inspection


def _providers(
    root: Path,
    indicators: dict[str, Indicator],
    dimensions: dict[str, Breakdown],
    problems: list[str],
) -> tuple[dict[str, Provider], dict[str, Layout]]:
    """The providers and their layouts; `providers.yaml` is optional (no partners' returns)."""
    path = root / "providers.yaml"
    if not path.exists():
        return {}, {}
    label = _label(path, root)
    found = _read(path, ProvidersFile, label, problems)
    if found is None:
        return {}, {}
    layouts: dict[str, Layout] = {}
    for key, provider in found.providers.items():
        try:
            file = layout_path(root, provider)
        except ValueError as err:
            problems.append(f"{label}: providers.{key}.layout: {err}")
            continue
        if file is not None:
            layout = _read(file, Layout, _label(file, root), problems)
            if layout is not None:
                layouts[key] = layout
    check_providers(found, layouts, indicators, dimensions, label, problems)
    return dict(found.providers), layouts
