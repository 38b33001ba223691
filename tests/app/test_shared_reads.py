"""The cached reads are shared by every session as they are (ui/shared_cache.py): a page, the
disclosure policy or a read built on another that changed what it was given would change it
for everyone, a councillor's withheld figures in an analyst's page or the other way round.
Every page is run here by readers of every kind, one after another on the same caches, with
each result's pickle kept as it was stored; afterwards none may differ."""

from __future__ import annotations

import pytest

import ui
from metrics.access import ANALYST, CHAIR, COUNCILLOR
from ui import access, keys, shared_cache
from ui.registry import allowed

QUARTER = "2026-27 Q2"
# Staff, the planning group's chair and a public reader (withheld small numbers).
READERS = (ANALYST, COUNCILLOR, CHAIR)


@pytest.fixture
def watching():
    shared_cache.watch()
    try:
        yield
    finally:
        shared_cache.watch(False)


def test_no_page_changes_a_shared_read(fresh, watching):
    opened = 0
    for role in READERS:
        for entry in allowed([role]):
            page = fresh(entry.file, **{access.DEMO_ROLE: role})
            page.at.query_params.update(
                {"quarter": QUARTER, "statement": "5", "indicator": "consultation-participation"}
            )
            at = page.run()
            assert not at.exception, (role, entry.file, at.exception)
            if entry.file == ui.INDICATOR_PAGE:  # the breakdown re-read with the policy
                at.selectbox(key=keys.DIMENSION).set_value("age_band").run()
                assert not at.exception, (role, entry.file, at.exception)
            opened += 1
    assert opened > 3 * 10
    assert shared_cache.watched() > 20, "the reads are no longer watched: nothing is checked"
    assert shared_cache.changed() == {}
