"""What a person just did shows at once (issue 27, items 12-14 and 18): every save is drawn
on the page above its form in the same step, forms clear after success, a second click never
adds a duplicate, signing off asks first, and dates read the UK way."""

from __future__ import annotations

import re

import pytest

import ui
from ui import access

Q = "2026-27 Q2"


@pytest.fixture(autouse=True)
def demo_mode(monkeypatch):
    monkeypatch.setenv("OUTCOMES_DEMO", "1")  # roles picked in the app, no sign-in


def opened(fresh, path: str, role: str):
    page = fresh(path, **{access.DEMO_ROLE: role})
    page.at.query_params["quarter"] = Q
    at = page.run()
    assert not at.exception, at.exception
    return at


def test_action_dates_read_the_uk_way(fresh):
    at = opened(fresh, ui.ACTIONS_PAGE, "member")
    assert at.date_input(key="action_due").proto.format == "DD/MM/YYYY"
    log = next(d.value for d in at.dataframe if "When" in d.value.columns)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", w) for w in log["When"])
