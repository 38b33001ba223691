"""Two app servers on ONE PostgreSQL database, through HAProxy (issue 29): a member saves
commentary through one server and the chair sees it through the other; the chair's sign-off
through the other freezes the member's edits; and a commentary saved through a server that is
then killed (kill -9) is there when the proxy sends its author to the other."""

from __future__ import annotations

import signal
import time

import pytest

from deploy.cluster import Cluster
from metrics.access import MEMBER, Actor
from metrics.review import commentary, report
from metrics.review.common import indicator_subject
from metrics.store.connection import Store
from metrics.store.postgres import close_pool
from tests.browser.conftest import wait_for_app
from tests.browser.saves import count_sent, why_not_saved
from tests.browser.signin import Provider, sign_in, sign_in_settings
from tests.browser.test_cluster import COOKIE, server_of

pytestmark = pytest.mark.slow

Q = "2026-27+Q2"


@pytest.fixture
def shared(tmp_path):
    """`make cluster` as it is run, on its own throwaway PostgreSQL with the demo loaded
    (deploy/demo.py), with sign-in for real so that each person is who they say."""
    provider = Provider(tmp_path / "oidc.log")
    port, options, env = sign_in_settings(tmp_path, provider)
    cluster = Cluster(
        port=port,
        app_options=options,
        app_env=env,
    )
    try:
        yield cluster.__enter__()
    finally:
        cluster.stop()
        provider.stop()
        if cluster.database_url:
            close_pool(cluster.database_url)  # this test's own connections to it


def on(browser, cluster, server, sub):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": COOKIE, "value": server, "url": cluster.url}])
    page = context.new_page()
    count_sent(page)  # connections opened and messages sent, said when a save never shows
    sign_in(page, cluster, sub)
    assert server_of(context) == server
    page.goto(f"{cluster.url}/Review?quarter={Q}")
    wait_for_app(page)
    return context, page


def save_commentary(cluster, server: str, page, title: str, subject: str, what: str) -> None:
    box = page.locator('[data-testid="stExpander"]').filter(has_text=title).first
    box.locator("summary").click()
    box.get_by_label("What is happening").fill(what)
    box.get_by_label("Why").fill("Staff changes.")
    box.get_by_label("What next").fill("Report back.")
    box.get_by_role("button", name="Save commentary").click()
    try:
        box.get_by_text("Saved (version 1).").first.wait_for()
    except Exception as err:  # say whether the save was stored, and what the page showed
        raise AssertionError(lost_save(cluster, server, page, box, subject)) from err


def lost_save(cluster, server: str, page, box, subject: str) -> str:
    """What the box, the store, the proxy and the server's log held when 'Saved' never came."""
    log = next(a for a in cluster.apps if a.name == server).log.read_text(errors="replace")
    said = why_not_saved(page, box, Store(cluster.database_url), subject, log)
    return f"{said}\nthe proxy's servers: {cluster.server_states()} ({server} served the save)"


def test_a_save_on_one_server_is_seen_and_a_sign_off_obeyed_on_the_other(shared, browser, charter):
    store = Store(shared.database_url)
    e, *others = report.build(store, charter, "2026-27 Q2").exceptions
    mo = Actor("mo", "Mo Member", "mo@x.example", "app", frozenset({MEMBER}))
    for other in others:  # the papers circulate only when every exception is written up
        subject = indicator_subject(other.indicator_id)
        texts = ("Written earlier.", "Staff changes.", "Report back.")
        commentary.save(store, charter, mo, "2026-27 Q2", subject, texts, based_on=0)
    _, meg = on(browser, shared, "app1", "meg")
    _, chris = on(browser, shared, "app2", "chris")
    subject = indicator_subject(e.indicator_id)
    save_commentary(shared, "app1", meg, e.title, subject, "Seen through the other server.")
    deadline = time.monotonic() + 3  # the data version: seen within a second or two
    while "Seen through the other server." not in chris.locator("body").text_content():
        assert time.monotonic() < deadline, "the chair's server never saw the save"
        chris.goto(f"{shared.url}/Review?quarter={Q}")
        wait_for_app(chris)
    for label in ("Move on to 'commentary drafted'", "Move on to 'circulated'",
                  "Move on to 'discussed'", "Sign the quarter off"):  # fmt: skip
        chris.get_by_role("button", name=label).click()
        wait_for_app(chris)
    chris.get_by_role("button", name="Yes, sign 2026-27 Q2 off").click()
    chris.get_by_text("2026-27 Q2: signed off on").first.wait_for()
    meg.goto(f"{shared.url}/Review?quarter={Q}")  # still app1
    wait_for_app(meg)
    assert "signed off on" in meg.locator("body").text_content()
    assert meg.get_by_role("button", name="Save commentary").count() == 0


def test_a_commentary_saved_before_its_server_is_killed_is_not_lost(shared, browser, charter):
    """kill -9 the server a member has just saved through: the proxy sends their reload to
    the other server, where they are still signed in and their commentary is there (it was
    committed to PostgreSQL before the save said so)."""
    e = report.build(Store(shared.database_url), charter, "2026-27 Q2").exceptions[0]
    meg_context, meg = on(browser, shared, "app1", "meg")
    subject = indicator_subject(e.indicator_id)
    save_commentary(shared, "app1", meg, e.title, subject, "Saved just before the server died.")
    next(a for a in shared.apps if a.name == "app1").process.send_signal(signal.SIGKILL)
    meg.goto(f"{shared.url}/Review?quarter={Q}")
    wait_for_app(meg)
    assert server_of(meg_context) == "app2"
    assert "Saved just before the server died." in meg.locator("body").text_content()
    kept = commentary.history(Store(shared.database_url), "2026-27 Q2",
                              indicator_subject(e.indicator_id))  # fmt: skip
    assert [(c.version, c.what) for c in kept] == [(1, "Saved just before the server died.")]
