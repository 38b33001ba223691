"""Every page and app.py call the shared set-up `ui.page(...)` first.

Streamlit runs a page file on its own when a deep link opens it, so the set-up (page config,
role-aware navigation, refusing users without the role) must be the first thing each file
does, before anything is drawn or read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def first_call(path: Path) -> ast.Call | None:
    """The first statement that is not a docstring or an import, if it is a call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        return (
            node.value if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) else None
        )
    return None


def test_there_are_pages():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_first_statement_is_ui_page(path):
    call = first_call(path)
    assert call is not None, f"{path.name}: the first statement must be ui.page(...)"
    func = call.func
    assert isinstance(func, ast.Attribute) and func.attr == "page"
    assert isinstance(func.value, ast.Name) and func.value.id == "ui"
    assert call.args and isinstance(call.args[0], ast.Constant), "ui.page needs a title"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_pages_never_call_st_navigation_or_sql(path):
    text = path.read_text(encoding="utf-8")
    assert "st.navigation" not in text
    assert "execute(" not in text and "SELECT " not in text


def test_the_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Doc."""\nimport streamlit as st\nst.title("x")\nimport ui\nui.page("x")\n')
    call = first_call(bad)
    assert call is not None and getattr(call.func, "attr", None) == "title"
