"""Headings never skip a level, on the pages and for the roles the browser's accessibility
scan does not open (found by an accessibility review: 'By owner', 'Add an action', the
chair's controls and the pack's downloads were level 3 straight under the page's title)."""

from __future__ import annotations

import itertools

import pytest
from streamlit.testing.v1.element_tree import HeadingBase

import ui
from metrics.access.people import CHAIR, MEMBER
from tests.app.conftest import opened_in_quarter

QUARTER = "2026-27 Q2"


def heading_levels(at) -> list[int]:
    """The page's headings' levels (1 for its title), in the order they are drawn."""
    return [int(node.tag[1]) for node in at.main if isinstance(node, HeadingBase)]


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (ui.ACCOUNTABILITY_PAGE, CHAIR),
        (ui.ACTIONS_PAGE, MEMBER),
        (ui.ACTIONS_PAGE, CHAIR),
        ("pages/9_Review.py", CHAIR),
        (ui.PACKS_PAGE, CHAIR),
    ],
)
def test_headings_never_skip_a_level(fresh, path, role):
    at = opened_in_quarter(fresh, QUARTER, path, role)
    if path == ui.PACKS_PAGE:  # its downloads are drawn once a pack is made
        at.button(key="make_pack").click().run()
        assert not at.exception, at.exception
    levels = heading_levels(at)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
