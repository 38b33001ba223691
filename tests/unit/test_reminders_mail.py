"""Reminders through a real SMTP server on 127.0.0.1 (aiosmtpd, tests/smtp.py): STARTTLS with
a certificate made for the test, a login, and the server failing in each way it can."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from metrics.access import audit
from metrics.access.people import ADMIN, COUNCILLOR, AccessDenied, Actor, command_line
from metrics.deployment import SettingError
from metrics.reminders import mail, run
from metrics.store import reminders as stored
from tests.conftest import ROOT
from tests.smtp import free_port, mail_server, silent_server

DAY = run.DEMO_DAY
APP = "https://outcomes.wrenfield.example"
ADMIN_ACTOR = Actor("admin", "Ada Admin", roles=frozenset({ADMIN}))
OPERATOR = command_line("timer")


def settings(server, tmp_path, **smtp):
    path = tmp_path / "secrets.toml"
    path.write_text(server.secrets(APP, **smtp))
    return mail.settings(mail.read_secrets([path]))


@pytest.fixture
def server(tmp_path):
    with mail_server(tmp_path) as s:
        yield s


def _words_left(text: str, charter) -> str:
    """The body less what may carry digits: dates, quarters, addresses, item numbers and
    the indicators' own titles ("within 20 weeks")."""
    for ind in charter.indicators.values():
        text = text.replace(ind.title, "")
    text = re.sub(r"https?://\S+|&#x?[0-9a-f]+;|charset=\S+", "", text)
    text = re.sub(r"\d+ things?|\d+ late|<[^>]*>", "", text)  # item counts; HTML tags
    text = re.sub(r"\d{1,2} [A-Z][a-z]+ \d{4}", "", text)
    text = re.sub(r"\d{4}-\d{2} Q\d", "", text)
    return re.sub(r"(Action|Question) \d+", "", text)


def test_each_person_gets_one_digest_with_links_and_no_figures(
    demo_store, charter, server, tmp_path
):
    done = run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    assert done.failed == 0 and done.sent == len(server.handler.received) > 4
    assert server.handler.logins  # it logged in (after STARTTLS: the server allows no other)
    by_to = {r.recipients[0]: r for r in server.handler.received}
    assert all(len(r.recipients) == 1 for r in server.handler.received)
    assert len(by_to) == len(server.handler.received)  # one digest a person
    head = by_to["head.of.send@wrenfield.example"]
    assert head.message["Subject"] == "Wrenfield Council (demo): 3 things to do, 3 late"
    assert head.message["From"] == "outcomes@wrenfield.example"
    text, html = head.part("plain"), head.part("html")
    assert (
        f"{APP}/Review?quarter=2026-27+Q2" in text and f"{APP}/Actions?quarter=2026-27+Q1" in text
    )
    assert f'href="{APP}/Review?quarter=2026-27+Q2"' in html
    priya = by_to["priya.shah@wrenfieldhealth.example"].part("plain")
    assert "due 28 October 2026 (tomorrow)" in priya and f"{APP}/Returns" in priya
    assert "Review" not in priya and "story behind" not in priya  # nothing of the review
    dco = by_to["dco@wrenfieldicb.example"].part("plain")
    assert "Question 1 on" in dco and "second assessment provider" not in dco  # not its text
    chair = by_to["chris.chair@wrenfield.example"].part("plain")
    assert "Late, and now with you as chair" in chair and "owed by Head of SEND" in chair
    for r in server.handler.received:
        for part in (r.part("plain"), r.part("html")):
            assert not re.search(r"\d", _words_left(part, charter)), part  # no figure at all


def test_a_second_run_sends_nothing_new_and_every_message_is_audited(
    demo_store, charter, server, tmp_path
):
    mail_ = settings(server, tmp_path)
    first = run.remind(demo_store, charter, OPERATOR, DAY, mail_)
    again = run.remind(demo_store, charter, OPERATOR, DAY, mail_)
    assert first.sent > 0 and again.outcomes == []
    assert len(server.handler.received) == first.sent
    rows = audit.entries(demo_store, ADMIN_ACTOR, kind="reminder sent")
    assert sorted(r.object for r in rows) == sorted(o.digest.email for o in first.outcomes)
    for r in rows:
        assert r.name == "timer" and r.summary.startswith("Message ")
        assert "Dear" not in r.summary and APP not in r.summary  # to whom and about what only
    # two days on, only what is new: the return due tomorrow is now overdue
    [late] = run.remind(demo_store, charter, OPERATOR, DAY.replace(day=29), mail_).outcomes
    assert late.digest.email == "priya.shah@wrenfieldhealth.example"
    assert [n.stage for n in late.digest.notices] == ["overdue"]


@pytest.mark.parametrize("failure", ["refused", "4xx", "timeout"])
def test_a_failing_server_leaves_the_reminders_for_the_next_run(
    demo_store, charter, server, tmp_path, failure
):
    good = settings(server, tmp_path)
    if failure == "refused":
        bad = settings(server, tmp_path, port=free_port())
        failed = run.remind(demo_store, charter, OPERATOR, DAY, bad)
        said = "cannot reach the mail server"
    elif failure == "4xx":
        server.handler.answer = "451 4.3.0 Try again later"
        failed = run.remind(demo_store, charter, OPERATOR, DAY, good)
        server.handler.answer = "250 OK"
        said = "451"
    else:
        with silent_server() as port:
            bad = settings(server, tmp_path, port=port, timeout_seconds=1)
            failed = run.remind(demo_store, charter, OPERATOR, DAY, bad)
        said = "did not answer within 1 s"
    assert failed.sent == 0 and failed.failed == len(failed.outcomes) > 0
    assert all(said in (o.error or "") for o in failed.outcomes)
    rows = audit.entries(demo_store, ADMIN_ACTOR, kind="reminder failed")
    assert len(rows) == failed.failed and all("tried again next run" in r.summary for r in rows)
    with demo_store.connect() as con:
        assert stored.sent(con) == set()
    retried = run.remind(demo_store, charter, OPERATOR, DAY, good)
    assert retried.sent == failed.failed and retried.failed == 0
    assert len(server.handler.received) == retried.sent


def after_the_lock_is_let_go(remind: Callable[[], run.Run]) -> run.Run:
    """`remind`, once the run lock of a process killed is let go (PostgreSQL: when the server
    sees its connection gone, a moment after the kill)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return remind()
        except run.RemindError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_run_stopped_once_the_server_has_a_message_never_sends_it_again(
    demo_store, charter, server, tmp_path
):
    """`remind` killed (kill -9) as the server takes its first message, before it can record
    anything more: the message was recorded before it went, so the next run sends everyone
    else theirs and that person no second one (it was sent again: the message was recorded
    only after the server took it). The chair sees it as 'sending': it may have gone."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(server.secrets(APP))
    command = [sys.executable, "-m", "metrics", "remind", "--today", DAY.isoformat(),
               "--db", str(demo_store.path)]  # fmt: skip
    env = {**os.environ, "OUTCOMES_SECRETS": str(secrets)}
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as remind:  # fmt: skip
        server.handler.on_message = lambda _: os.kill(remind.pid, signal.SIGKILL)
        remind.communicate(timeout=300)
    server.handler.on_message = None
    assert remind.returncode == -signal.SIGKILL and len(server.handler.received) == 1
    [first] = server.handler.received[0].recipients
    again = after_the_lock_is_let_go(
        lambda: run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    )
    assert again.failed == 0 and again.sent > 3
    to = [r.recipients[0] for r in server.handler.received]
    assert sorted(to) == sorted(set(to)) and first in to  # one each, the first one included
    assert first not in {o.digest.email for o in again.outcomes}
    by_outcome = {(m.recipient, m.outcome) for m in run.messages(demo_store, OPERATOR)}
    assert (first, "sending") in by_outcome and (first, "sent") not in by_outcome
    [claimed] = audit.entries(demo_store, ADMIN_ACTOR, kind="reminder sending", text=first)
    assert claimed.name != "timer" and claimed.summary.startswith("Message ")


def test_an_untrusted_certificate_or_a_wrong_password_sends_nothing(
    demo_store, charter, server, tmp_path
):
    untrusted = settings(server, tmp_path)
    untrusted = dataclasses.replace(untrusted, ca_file=None)  # the test's CA not trusted
    refused = run.remind(demo_store, charter, OPERATOR, DAY, untrusted)
    assert refused.sent == 0 and all("CERTIFICATE_VERIFY_FAILED" in (o.error or "")
                                     for o in refused.outcomes)  # fmt: skip
    wrong = settings(server, tmp_path, password="not the password")
    refused = run.remind(demo_store, charter, OPERATOR, DAY, wrong)
    assert refused.sent == 0 and all("535" in (o.error or "") for o in refused.outcomes)
    assert not any("not the password" in (o.error or "") for o in refused.outcomes)
    assert server.handler.received == [] and server.handler.logins == []


def test_while_one_run_sends_another_sends_nothing(demo_store, charter, server, tmp_path):
    from metrics.store import locks

    with locks.holding(demo_store) as held:
        assert held.take(run.LOCK)
        with pytest.raises(run.RemindError, match="another run is sending"):
            run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    assert server.handler.received == []
    assert run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path)).sent > 0


def test_only_the_chair_sends_and_the_chair_sees_what_went(demo_store, charter, server, tmp_path):
    cllr = Actor("c", "Cllr", roles=frozenset({COUNCILLOR}))
    with pytest.raises(AccessDenied):
        run.remind(demo_store, charter, cllr, DAY, settings(server, tmp_path))
    assert server.handler.received == []
    run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    sent = run.messages(demo_store, OPERATOR)
    assert {m.outcome for m in sent} == {"sent"} and len(sent) == len(server.handler.received)
    with pytest.raises(AccessDenied):
        run.messages(demo_store, cllr)


@pytest.mark.parametrize(
    ("secrets", "said"),
    [
        ("", "no [smtp] section"),
        ('[smtp]\nhost = "mail.example"\n', "[smtp] port"),
        ('[smtp]\nhost = "mail.example"\nport = 587\nstarttls = false\n', "unencrypted"),
        ('[smtp]\nhost = "mail.example"\nport = 587\nstarttls = "yes"\n', "true or false"),
        ('[smtp]\nhost = "m.example"\nport = 587\nstarttls = true\nsender = "x"\n',
         "sender 'x' is not an email address"),
        ('[smtp]\nhost = "m.example"\nport = 587\nstarttls = true\nsender = "a@b.example"\n'
         'username = "u"\n', "[smtp] password is missing"),
        ('[smtp]\nhost = "m.example"\nport = 587\nstarttls = true\nsender = "a@b.example"\n'
         'username = "u"\npassword = "p"\n', "no [app] section"),
        ('[smtp]\nhost = "m.example"\nport = 587\nstarttls = true\nsender = "a@b.example"\n'
         'username = "u"\npassword = "p"\n[app]\nurl = "http://outcomes.example"\n',
         "use https://"),
        ("[smtp\n", "does not parse"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_mail_settings_fails_closed(tmp_path, secrets, said):
    path = tmp_path / "secrets.toml"
    path.write_text(secrets)
    with pytest.raises(SettingError) as err:
        mail.settings(mail.read_secrets([path]))
    assert said in str(err.value) and "p\n" not in str(err.value)


def test_the_command_line_reads_the_file_outcomes_secrets_names(tmp_path, monkeypatch):
    (tmp_path / "mine.toml").write_text("[app]\n")
    monkeypatch.setenv(mail.SECRETS_ENV, str(tmp_path / "mine.toml"))
    assert mail.secrets_files() == [tmp_path / "mine.toml"]
    monkeypatch.delenv(mail.SECRETS_ENV)
    assert mail.secrets_files() == [mail.DEFAULT_SECRETS]


@pytest.mark.parametrize(("value", "said"), [("", "is set but empty"), ("absent", "not a file")])
def test_outcomes_secrets_naming_no_file_is_refused_naming_it(tmp_path, monkeypatch, value, said):
    monkeypatch.setenv(mail.SECRETS_ENV, str(tmp_path / value) if value else " ")
    with pytest.raises(SettingError, match=f"OUTCOMES_SECRETS.*{said}"):
        mail.secrets_files()


@pytest.mark.parametrize("timeout", ["inf", "1e300", "0", "-1", "nan"])
def test_a_timeout_no_socket_can_take_is_refused(server, tmp_path, timeout):
    """timeout_seconds = inf passed the check and overflowed the socket's (a traceback)."""
    with pytest.raises(SettingError, match="timeout_seconds must be a number above 0 and at"):
        settings(server, tmp_path, timeout_seconds=float(timeout))


def test_a_message_that_cannot_be_made_gives_its_reminders_back(
    demo_store, charter, server, tmp_path
):
    """A sender the mail library refuses (a line break in it): the run stops with the error,
    and the message it had claimed is recorded as not sent, its reminders given back (they
    were left 'sending' and never tried again)."""
    broken = dataclasses.replace(settings(server, tmp_path), sender="outcomes@\nwrenfield.example")
    with pytest.raises(ValueError):
        run.remind(demo_store, charter, OPERATOR, DAY, broken)
    [(_, _, _, outcome, _, error)] = run_messages(demo_store)
    assert outcome == "failed" and "could not be made" in error
    with demo_store.connect() as con:
        assert stored.sent(con) == set()  # every reminder given back
    done = after_the_lock_is_let_go(
        lambda: run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    )
    assert done.failed == 0 and done.sent == len(server.handler.received) > 4


def test_an_operator_gives_back_a_message_left_sending(demo_store, charter, server, tmp_path):
    """A run stopped after claiming a message and before the server took it: the operator
    says so (`remind --give-back N --why ...`), audited with who and why, and the next run
    sends that person their reminders. A settled message, or no reason, is refused."""
    [first, *_] = run.pending(demo_store, charter, DAY)
    claimed = run._claim(demo_store, OPERATOR, first)  # what a run does first, then stopped
    assert claimed is not None
    number = claimed[1]
    command = [sys.executable, "-m", "metrics", "remind", "--db", str(demo_store.path),
               "--give-back", str(number)]  # fmt: skip
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2 and "say why" in refused.stderr
    done = subprocess.run([*command, "--why", "the mail server was down; nothing arrived",
                           "--user", "ops"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    [entry] = audit.entries(demo_store, ADMIN_ACTOR, kind="reminder failed", text=first.email)
    assert entry.name == "ops" and "the mail server was down" in entry.summary
    again = subprocess.run([*command, "--why", "twice"], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "is failed" in again.stderr
    sent = run.remind(demo_store, charter, OPERATOR, DAY, settings(server, tmp_path))
    assert first.email in {o.digest.email for o in sent.outcomes if o.outcome == "sent"}


def test_a_message_its_run_sends_after_it_was_given_back_says_so(demo_store, charter):
    """An operator gave back a message whose run was still at work (a slow mail server); the
    server then took it. The run wrote "reminder sent" to the audit trail although the
    message stayed given back: the trail said sent, the message not sent, and nothing said
    its reminders would go twice. Now the message and the trail say what happened."""
    [first, *_] = run.pending(demo_store, charter, DAY)
    claimed = run._claim(demo_store, OPERATOR, first)
    assert claimed is not None
    number = claimed[1]
    run.give_back(demo_store, ADMIN_ACTOR, number, "looked stuck")
    run._settle(demo_store, OPERATOR, first, number, None)  # the run's send went through
    [message] = [m for m in run_messages(demo_store) if m[0] == number]
    assert message[3] == "failed" and "then sent by its run after all" in message[5]
    assert not audit.entries(demo_store, ADMIN_ACTOR, kind="reminder sent", text=first.email)
    [entry] = audit.entries(
        demo_store, ADMIN_ACTOR, kind="reminder sent after it was given back", text=first.email
    )
    assert "go again in the next run" in entry.summary


def run_messages(store):  # type: ignore[no-untyped-def]
    with store.connect() as con:
        return stored.messages(con)
