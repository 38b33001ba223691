"""A server keeps the page scripts it compiled when its last session leaves
(ui/streamlit_scripts.py): it runs the code it started with until it is restarted, and the
next visitor does not compile the pages again. A real `streamlit run` of a small app that
imports `ui` as app.py does, visited over Streamlit's own websocket protocol."""

from __future__ import annotations

from pathlib import Path

import streamlit

from bench import load
from bench.server import Server
from ui import streamlit_scripts

APP = """import streamlit as st

import ui  # noqa: F401  (what app.py imports first)

st.markdown("{words}")
"""


def visit(url: str, words: str) -> list[str]:
    """The errors of one session opening the app and expecting `words`."""
    result = load._run(lambda: load.open_pages(url, 60, [("", "", words)]))
    return result.errors


def test_checked_with_this_streamlit():
    assert streamlit.__version__ == streamlit_scripts.CHECKED_WITH, (
        "Streamlit was upgraded: check ui/streamlit_scripts.py against its session manager"
    )


def test_the_last_session_leaving_keeps_the_compiled_script(tmp_path: Path):
    app = tmp_path / "small_app.py"
    app.write_text(APP.format(words="first version"), encoding="utf-8")
    server = Server(tmp_path / "unused.duckdb", app=app)
    try:
        assert visit(server.url, "first version") == []  # compiled, and its session gone
        assert visit(server.url, "first version") == []  # `ui` made the change by now
        app.write_text(APP.format(words="second version"), encoding="utf-8")
        # Streamlit's own rule compiles the changed file for the next visitor once the last
        # session has left, amid the modules it imported at the start; this server runs the
        # script it started with until it is restarted.
        assert visit(server.url, "first version") == []
    finally:
        server.stop()
