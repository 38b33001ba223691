"""The charter's optional files, each read and checked against the rest: the providers and
their layouts, the leadership self-review and the inspection's themes, the needs baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from charter.leadership import InspectionFile, SelfReviewFile, check_inspection
from charter.models import Breakdown, Indicator
from charter.needs import NeedsFile, check_needs, read_boundaries
from charter.providers import Layout, Provider, ProvidersFile, check_providers, layout_path
from charter.reading import _label, _read


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
