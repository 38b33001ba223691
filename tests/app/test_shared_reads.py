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


def _reload_mid_run() -> None:
    import streamlit as st

    from ui import context
    from ui.reads import data_key

    first, key = context.charter(), data_key()
    if not st.session_state.get("reloaded"):
        st.session_state.reloaded = first, key
        context.forget_charter()  # an administrator's reload while this run goes on
        st.write(f"same charter {context.charter() is first}, same key {data_key() == key}")
    else:
        before, before_key = st.session_state.reloaded
        st.write(f"same charter {first is before}, same key {key == before_key}")


def test_a_charter_reload_mid_run_is_seen_by_the_next_run_and_every_read_keyed_on_it(
    demo_store, monkeypatch
):
    """The shared reads' keys name the loading of the charter a run uses (its disclosure
    rules): a run keeps one charter throughout, and what it worked out (a chart built from
    what it read before the reload included) is never served to a run of the new one."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    at = AppTest.from_function(_reload_mid_run, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "same charter True, same key True"
    at.run()
    assert at.markdown[0].value == "same charter False, same key False"
