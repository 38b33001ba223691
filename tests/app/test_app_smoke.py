"""Keep forever: the app starts and its title is right."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_app_starts_with_its_title(demo_db, monkeypatch):
    monkeypatch.setenv("OUTCOMES_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Charter overview"
