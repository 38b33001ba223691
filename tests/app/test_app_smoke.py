"""Keep forever: the app starts and its title is right."""

from __future__ import annotations


def test_app_starts_with_its_title(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Charter overview"
