"""A made internal pack is offered only while the person may have it (issue 25, section 4):
in the demo, switching to a councillor takes the planning group's files off the page (and out
of the session), so no button can hand them to the wrong role."""

from __future__ import annotations

from metrics import packs as pack
from tests.app.test_packs_page import packs_page
from ui import access, pack_view


def test_an_internal_pack_is_not_offered_once_the_role_cannot_have_it(fresh):
    at = packs_page(fresh, "member")
    at.radio(key=pack_view.AUDIENCE).set_value(pack.PLANNING_GROUP)
    at.button(key=pack_view.MAKE).click().run(timeout=120)
    assert len(at.get("download_button")) == 3
    at.session_state[access.DEMO_ROLE] = "councillor"
    at.run(timeout=60)
    assert not at.exception, at.exception
    assert at.get("download_button") == []
    assert pack_view.MADE not in at.session_state


def test_the_survey_return_is_made_on_the_click_not_when_the_page_is_drawn(fresh):
    """The survey return (analysts only) went through st.download_button with its bytes, so
    its /media/ link was registered when the page was drawn and answered anyone for as long
    as the page stayed open. Now, as every staff-only download, it is handed over on the
    click (a deferred file, no link in the page), the analyst role checked then."""
    import ui

    at = fresh(ui.EVIDENCE_PAGE, **{access.DEMO_ROLE: "analyst"}).run()
    assert not at.exception, at.exception
    [survey_return] = [b for b in at.get("download_button") if "as a return for" in b.proto.label]
    assert survey_return.proto.url == ""  # nothing registered under /media/ yet
    assert survey_return.proto.deferred_file_id and survey_return.proto.ignore_rerun
