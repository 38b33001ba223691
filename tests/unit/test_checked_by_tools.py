"""What `make test` has the tools check: types over the whole code (the domain, the charter,
the user interface, the pages and the benchmarks), and import contracts that leave no package
out of the no-cycles rule."""

from __future__ import annotations

import ast
import pkgutil
import re
import tomllib

import grimp

import metrics
from tests.conftest import ROOT


def _target(name: str) -> tuple[list[str], list[str]]:
    """A Makefile target's prerequisites and its recipe's lines."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    at = next(n for n, line in enumerate(lines) if re.match(rf"{name}:", line))
    recipe = []
    for line in lines[at + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return lines[at].split(":", 1)[1].split(), recipe


def test_make_test_and_the_fast_tier_run_lint_types_and_contracts():
    for target in ("test", "test-fast"):
        needs, _ = _target(target)
        assert {"lint", "types", "contracts"} <= set(needs), target


def test_types_cover_metrics_charter_ui_pages_and_bench():
    _, recipe = _target("types")
    checked = [line.split("mypy", 1)[1].split() for line in recipe if "-m mypy" in line]
    words = {w for run in checked for w in run}
    assert {"metrics", "charter", "ui", "pages", "bench"} <= words, recipe
    # the floor app is excluded from the first run (its own folder is its import root), so
    # a second run must check it
    assert any(w.startswith("bench/floor/") for w in words), recipe


def _packages() -> set[str]:
    return {"ui"} | {m.name for m in pkgutil.walk_packages(metrics.__path__, "metrics.") if m.ispkg}


def test_every_package_is_in_the_no_cycles_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    acyclic = next(c for c in contracts if c["type"] == "acyclic_siblings")
    listed = set(acyclic["ancestors"])
    assert _packages() <= listed, sorted(_packages() - listed)


def test_no_package_is_imported_back_by_what_it_imports():
    """`ui` imported `ui.reads`, which imported `ui`: a cycle the sibling contract does not
    see (it compares a package's children, not the package with its children)."""
    graph = grimp.build_graph("metrics", "charter", "ui")
    for package in _packages():
        inside, todo = set(), [package]
        while todo:
            for found in graph.find_modules_directly_imported_by(todo.pop()):
                if found.startswith(package + ".") and found not in inside:
                    inside.add(found)
                    todo.append(found)
        back = sorted(m for m in inside if graph.direct_import_exists(importer=m, imported=package))
        assert not back, f"{package} imports {back}, which import {package}"


def test_the_user_interface_borrows_no_private_names():
    """What a page or another part of the interface needs is public (issue 28: a new page could
    not reuse the chart helpers, `ui.charts._layout` and `_publication`)."""
    borrowed = []
    for folder in ("ui", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ui"):
                    borrowed += [
                        f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                        for a in node.names
                        if a.name.startswith("_")
                    ]
    assert not borrowed, borrowed


# No import between metrics' packages closes a cycle (the last, the store's queries naming a role
# from access, went with the store boundary). Inside the store, one import is let through:
# `Store(url)` loads the PostgreSQL store by a local import (pyproject.toml says why).
KNOWN_CYCLE: set[tuple[str, str]] = set()
INSIDE_THE_STORE = {("metrics.store.connection", "metrics.store.postgres")}


def test_metrics_packages_import_each_other_without_cycles():
    """Issue 28: metrics' packages imported each other in circles (assess and words, evidence
    and review, publish and scrutiny, ...), so `metrics` could not be in the no-cycles
    contract. Each import from one package into another must not be reachable back."""
    graph = grimp.build_graph("metrics", cache_dir=None)

    def package(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else None

    edges: dict[str, dict[str, list[str]]] = {}
    for module in graph.modules:
        for found in graph.find_modules_directly_imported_by(module):
            a, b = package(module), package(found)
            if a and b and a != b and (module, found) not in KNOWN_CYCLE:
                edges.setdefault(a, {}).setdefault(b, []).append(f"{module} -> {found}")

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for n in edges.get(todo.pop(), {}):
                if n == goal:
                    return True
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return False

    closing = sorted(i for a, to in edges.items() for b, found in to.items() if reaches(b, a)
                     for i in found)  # fmt: skip
    assert not closing, closing


def test_metrics_itself_is_in_the_no_cycles_contract_with_only_the_known_exception():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    acyclic = next(c for c in contracts if c["type"] == "acyclic_siblings")
    assert "metrics" in acyclic["ancestors"]
    ignored = {tuple(i.split(" -> ")) for i in acyclic.get("ignore_imports", [])}
    assert ignored <= KNOWN_CYCLE | INSIDE_THE_STORE, ignored - KNOWN_CYCLE - INSIDE_THE_STORE
