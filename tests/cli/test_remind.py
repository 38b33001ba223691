"""`python -m metrics remind`, run as a timer runs it: a separate process, on a copy of the
demo, mail through a real SMTP server on 127.0.0.1 (tests/smtp.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.smtp import mail_server


def remind(
    *args: str, db: Path | str, secrets: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OUTCOMES_SECRETS": str(secrets or "/nonexistent/secrets.toml")}
    return subprocess.run(
        [sys.executable, "-m", "metrics", "remind", *args, "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


def test_a_dry_run_on_the_demo_shows_its_four_cases_and_sends_nothing(demo_copies):
    db = demo_copies.copy()
    done = remind("--dry-run", db=db)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("would send as on 27 October 2026:")
    # one owner's commentary late (and the chair told)
    assert "To Head of SEND (Wrenfield Council) <head.of.send@wrenfield.example>" in out
    assert ("overdue: The story behind \u201cEHC annual reviews completed on time\u201d for "
            "2026-27 Q2, due 14 October 2026 (overdue)") in out  # fmt: skip
    assert "escalation: The story behind \u201cEHC annual reviews completed on time\u201d" in out
    # an overdue action
    assert ("overdue: Action 2 on \u201cEHC annual reviews completed on time\u201d, due 23 "
            "October 2026 (overdue)") in out  # fmt: skip
    # a return due tomorrow
    assert "<priya.shah@wrenfieldhealth.example>" in out
    assert ("reminder: The return of \u201cMedian wait for speech and language therapy\u201d for "
            "2026-27 Q2, due 28 October 2026 (tomorrow)") in out  # fmt: skip
    # an unanswered question, with the officer assigned
    assert "<dco@wrenfieldicb.example>" in out
    assert (
        "overdue: Question 1 on \u201cMedian wait for an autism diagnostic assessment\u201d" in out
    )
    # and the same again: nothing was recorded as sent
    assert remind("--dry-run", db=db).stdout == out
    other_day = remind("--dry-run", "--today", "2026-10-29", db=db).stdout
    assert other_day.startswith("would send as on 29 October 2026:")


def test_remind_sends_once_however_often_it_runs(demo_copies, tmp_path):
    db = demo_copies.copy()
    with mail_server(tmp_path) as server:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(server.secrets())
        first = remind(db=db, secrets=secrets)
        assert first.returncode == 0, first.stdout + first.stderr
        sent = len(server.handler.received)
        assert sent > 4 and f"{sent} sent, 0 failed" in first.stdout
        second = remind(db=db, secrets=secrets)
        assert second.returncode == 0 and "0 digests" in second.stdout
        assert len(server.handler.received) == sent


def test_without_mail_settings_a_real_run_refuses_and_records_nothing(demo_copies, tmp_path):
    db = demo_copies.copy()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "smtp.wrenfield.example"\nport = 587\nstarttls = false\n')
    done = remind(db=db, secrets=secrets)
    assert done.returncode == 2 and "unencrypted" in done.stderr
    assert remind("--dry-run", db=db).stdout.count("\nTo ") > 4  # nothing was kept as sent
