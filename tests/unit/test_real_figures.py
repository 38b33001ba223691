"""Who sees the real figures is one rule in the domain (metrics/access): the app's reads, its
staff-only pages, the packs and disclosure control all ask it (issue 28: the app kept a copy)."""

from __future__ import annotations

import pytest

from metrics.access import (
    ADMIN,
    ANALYST,
    CHAIR,
    COUNCILLOR,
    MEMBER,
    PROVIDER,
    STAFF,
    Actor,
    sees_real_figures,
)


@pytest.mark.parametrize(
    ("roles", "real"),
    [
        ({ANALYST}, True),
        ({MEMBER}, True),
        ({CHAIR}, True),
        ({ADMIN}, True),
        ({COUNCILLOR}, False),
        ({PROVIDER}, False),
        (set(), False),
        ({COUNCILLOR, MEMBER}, True),
    ],
)
def test_staff_see_the_real_figures_and_everyone_else_what_would_be_published(roles, real):
    assert sees_real_figures(Actor("s", "Someone", roles=frozenset(roles))) is real


def test_the_app_and_disclosure_control_use_the_one_rule():
    from metrics.publish import withheld
    from ui import registry

    assert registry.STAFF is STAFF
    assert withheld.SEES_REAL_FIGURES is STAFF
    assert withheld.sees_real_figures is sees_real_figures
