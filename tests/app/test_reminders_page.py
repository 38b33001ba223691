"""The chair's Reminders page and "My work" on the overview, on the demo (its reminders day,
27 October 2026), with mail through a real SMTP server on 127.0.0.1 (tests/smtp.py)."""

from __future__ import annotations

import tomllib

import pytest

import ui
from metrics.reminders import choices, links, run
from tests.app.conftest import opened_in_quarter
from tests.smtp import mail_server
from ui import access

CHAIR_EMAIL = "chris.chair@wrenfield.example"


def reminders_page(fresh, role: str, secrets: dict | None = None):
    page = fresh(ui.REMINDERS_PAGE, **{access.DEMO_ROLE: role})
    if secrets:
        page.at.secrets.update(secrets)
    at = page.run()
    assert not at.exception, at.exception
    return page, at


def text(at) -> str:
    """The page's words as a reader sees them (Markdown escapes taken out)."""
    return " ".join(m.value for m in at.markdown).replace("\\", "").replace("\u2060", "")


def test_the_chair_sees_who_owes_what_and_sends_now_once(fresh, tmp_path):
    with mail_server(tmp_path) as server:
        secrets = tomllib.loads(server.secrets())
        page, at = reminders_page(fresh, "chair", secrets)
        assert page.routed and at.title[0].value == "Reminders"
        assert "Worked out as on 27 October 2026." in text(at)
        owed = at.dataframe[0].value
        assert {"What", "Owed by", "Due", "Now", "Page"} <= set(owed.columns)
        assert (owed["Now"] == "due soon").sum() >= 1 and (owed["Now"] == "overdue").sum() >= 3
        assert any(v.startswith("/Review?quarter=2026-27") for v in owed["Page"])
        assert at.dataframe[1].value.empty
        at.button(key="send_reminders_now").click().run()
        assert not at.exception, at.exception
        sent = len(server.handler.received)
        assert sent > 4 and [s.value for s in at.success] == [f"{sent} digests sent."]
        assert len(at.dataframe[1].value) == sent
        at.button(key="send_reminders_now").click().run()  # again: nothing new to send
        assert [s.value for s in at.success] == ["0 digests sent."]
        assert len(server.handler.received) == sent


def test_without_mail_settings_send_now_says_what_is_wrong(fresh):
    _, at = reminders_page(fresh, "chair")
    at.button(key="send_reminders_now").click().run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Reminders cannot be sent: no \\[smtp\\] section")


@pytest.mark.parametrize("role", ["member", "analyst", "councillor", "admin"])
def test_only_the_chair_may_open_the_reminders_page(fresh, role):
    page, at = reminders_page(fresh, role)
    assert not page.routed  # not in this person's navigation
    assert at.title[0].value == "You do not have access to this page"
    assert not [b for b in at.button if b.key == "send_reminders_now"]


def test_my_work_comes_first_on_the_overview_and_digests_can_be_turned_off(fresh):
    at = opened_in_quarter(fresh, "2026-27 Q2", ui.OVERVIEW, "member")
    assert at.header[0].value == "My work"
    said = text(at)
    assert "assigned to head.of.send@wrenfield.example (the demo's day, 27 October 2026)" in said
    mine = at.dataframe[0].value  # first on the page
    assert "Action 2 on \u201cEHC annual reviews completed on time\u201d" in set(mine["What"])
    assert "overdue" in set(mine["Now"])
    at.toggle(key="my_digests_toggle").set_value(False)
    at.button(key="save_digests").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Reminder digests off (escalations still come)."]
    assert not choices.wants_digests(fresh.store, "head.of.send@wrenfield.example")
    assert "head.of.send@wrenfield.example" not in {
        d.email for d in run.pending(fresh.store, ui.charter(), run.DEMO_DAY)
    }


def test_a_councillor_has_no_my_work(fresh):
    at = opened_in_quarter(fresh, "2026-27 Q2", ui.OVERVIEW, "councillor")
    assert "My work" not in [h.value for h in at.header]


def test_every_reminder_links_to_a_page_the_app_routes():
    routed = {entry.url_path for entry in ui.PAGES}
    assert set(links.PATHS) <= routed


def test_a_providers_person_sees_their_own_returns_owed_on_their_returns_page(fresh):
    page = fresh(ui.RETURNS_PAGE, **{access.DEMO_ROLE: "provider"})
    at = page.run()
    assert not at.exception, at.exception
    assert "My work" in [h.value for h in at.header]
    said = text(at)
    assert "assigned to priya.shah@wrenfieldhealth.example" in said
    mine = at.dataframe[0].value
    assert list(mine["What"]) == [
        "The return of \u201cMedian wait for speech and language therapy\u201d for 2026-27 Q2"
    ]
    assert list(mine["Now"]) == ["due soon"] and list(mine["Page"]) == ["/Returns"]


def test_a_message_being_sent_says_so_and_one_left_sending_says_how_to_give_it_back(fresh, charter):
    """A message a run is sending at this moment ('sending', claimed just now) was shown as
    "not known (the run stopped while sending)": it says it is being sent now, since when.
    One 'sending' for over an hour (its run may have stopped) says an operator can give
    it back, with the command and its number."""
    from datetime import datetime, timedelta

    from metrics.access.people import command_line
    from metrics.dates import date_time
    from metrics.store import reminders as stored
    from metrics.store.connection import transaction

    store = fresh.store
    long_ago = datetime.now() - timedelta(hours=2)  # over run.STOPPED_AFTER, an hour
    with store.connect() as con, transaction(con):
        stopped = stored.claim(con, "left.behind@wrenfield.example", long_ago, [("a", "overdue")])
    [first, *_] = run.pending(store, charter, run.DEMO_DAY)
    claimed = run._claim(store, command_line("timer"), first)  # a run at work: not yet sent
    assert claimed is not None
    _, at = reminders_page(fresh, "chair")
    sent = at.dataframe[1].value
    outcome = dict(zip(sent["To"], sent["Outcome"], strict=True))
    now = outcome[first.email]
    assert now.startswith("being sent now (since ") and "not known" not in now
    left = outcome["left.behind@wrenfield.example"]
    assert f"still 'sending' since {date_time(long_ago)}" in left
    assert f"python -m metrics remind --give-back {stopped} --why" in left
