"""Every page calls the shared set-up `ui.page(...)` first; app.py only routes the one
page registry (ui/registry.py).

A page file can be run on its own (`streamlit run pages/...`, AppTest), not only as routed by
app.py, so the set-up (page config, role-aware navigation, refusing users without the role)
must be the first thing each page does, before anything is drawn or read, and the roles it
checks must be those the registry routes it for.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import pytest
from streamlit.source_util import page_icon_and_name

import ui
from tests.conftest import ROOT

FILES = sorted((ROOT / "pages").glob("*.py"))
APP = ROOT / "app.py"


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


def roles_checked(path: Path) -> frozenset[str]:
    """The roles the page's own `ui.page(..., roles=ui.NAME)` checks (ui.READERS if none)."""
    call = first_call(path)
    assert call is not None
    given = next((k.value for k in call.keywords if k.arg == "roles"), None)
    if given is None:
        return ui.READERS
    assert isinstance(given, ast.Attribute) and isinstance(given.value, ast.Name), path.name
    return frozenset(getattr(ui, given.attr))


def test_every_page_file_is_in_the_registry_once():
    files = [entry.file for entry in ui.PAGES]
    assert sorted(files) == sorted(f"pages/{path.name}" for path in FILES)
    assert len(set(files)) == len(files)


@pytest.mark.parametrize("entry", ui.PAGES, ids=lambda e: e.file)
def test_each_page_checks_the_roles_the_registry_routes_it_for(entry):
    assert roles_checked(ROOT / entry.file) == entry.roles


@pytest.mark.parametrize("entry", ui.PAGES[1:], ids=lambda e: e.file)
def test_each_address_is_the_one_streamlit_gave_the_file_before(entry):
    """Links people saved (/Indicator?indicator=..., /Upload_history) keep working: the
    address is the one legacy `pages/` discovery made from the file's name."""
    assert entry.url_path == page_icon_and_name(ROOT / entry.file)[1]


def test_the_overview_is_the_root_and_addresses_are_unique():
    assert ui.PAGES[0].file == ui.OVERVIEW and ui.PAGES[0].url_path == ""
    paths = [entry.url_path for entry in ui.PAGES]
    assert len(set(paths)) == len(paths)


def test_app_py_only_routes_the_registry():
    """app.py draws and reads nothing itself: it routes what ui.routes() gives, once (in
    ui.route_and_run, which a run in Streamlit's pages-folder mode uses too)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    statements = [ast.unparse(n) for n in body[1:]]  # after the docstring
    assert statements == ["ui.route_and_run()"]
    routing = ast.parse(textwrap.dedent(inspect.getsource(ui.route_and_run))).body[0]
    assert isinstance(routing, ast.FunctionDef)
    assert [ast.unparse(n) for n in routing.body[1:]] == [
        "st.navigation(routes(), position='sidebar', expanded=True).run()"
    ]


def test_the_benchmarks_open_registered_addresses():
    """bench/ measures pages by address (its own plans, with the text each must draw): every
    address it opens is one the registry routes."""
    from bench import pages as bench_pages

    addresses = {entry.url_path for entry in ui.PAGES}
    assert {name for name, _, _ in bench_pages.OURS.values()} <= addresses


def _two_routings() -> None:
    """A script run that routes twice, as two sessions' runs do at the same moment."""
    import streamlit as st

    from ui import registry

    first = registry.routes(registry.READERS, lambda: None)
    second = registry.routes(registry.READERS, lambda: None)
    first[0]._can_be_called = True  # what st.navigation does to the page it returns
    st.session_state["own"] = all(a is not b for a, b in zip(first, second, strict=True))
    st.session_state["unmarked"] = not second[0]._can_be_called
    st.session_state["same"] = [(p.title, p.url_path) for p in first] == [
        (p.title, p.url_path) for p in second
    ]
    st.session_state["built once"] = all(
        page._page is registry._linked(entry.file)._page
        for page, entry in zip(first, registry.allowed(registry.READERS), strict=True)
    )


def test_each_routing_gets_pages_of_its_own_built_once_per_process():
    """st.navigation marks the page it returns as the one that may run: pages shared between
    runs would let one session's run unmark another's. Each routing gets copies of pages
    built once (building one resolves its file's path: ui/registry.py)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_routings, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.session_state["own"] and at.session_state["unmarked"] and at.session_state["same"]
    assert at.session_state["built once"]
