"""Disclosure audits kept on disk (metrics/publish/audit_cache.py): another process reads a
table's audit instead of solving it again, and nothing kept can change what is published."""

from __future__ import annotations

import subprocess
import sys

from metrics.publish import audit, audit_cache
from metrics.publish.disclosure import UNSAID, Figure, Rule
from tests.conftest import ROOT
from tests.unit.test_disclosure_audit import LOCALITY  # the locality cells

RULE = Rule(5)
ANSWER = {("locality", "North"): UNSAID, ("locality", "South"): UNSAID}


def kept(folder):
    return sorted((folder / "disclosure-audit").glob("*.json"))


def test_an_audit_is_kept_and_read_by_another_process(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
    (file,) = kept(tmp_path)
    assert "North" in file.read_text() and "40" not in file.read_text()  # no figure kept
    # Another process answers from the file (marked here so that it shows), without solving.
    file.write_text(file.read_text().replace("]]", '], ["locality", "East", "marked"]]'))
    code = (
        "from metrics.publish import audit\n"
        "from tests.unit.test_audit_cache import LOCALITY, RULE\n"
        "print(audit.protect(LOCALITY, RULE, value_is_count=True)[('locality', 'East')])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120, capture_output=True
    )
    assert out.stdout.decode().strip() == "marked"


def test_an_unreadable_audit_is_worked_out_again(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    audit.protect(LOCALITY, RULE, value_is_count=True)
    (file,) = kept(tmp_path)
    file.write_text('[["locality", ')  # cut off half way
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
    assert audit_cache.read(file.stem) == ANSWER  # and kept whole again


def test_another_rule_or_table_is_another_audit(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    audit.protect(LOCALITY, RULE, value_is_count=True)
    audit.protect(LOCALITY, Rule(10), value_is_count=True)
    audit.protect([*LOCALITY[:1], Figure("locality", "North", 2.0), *LOCALITY[2:]], RULE, True)
    assert len(kept(tmp_path)) == 3


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
    assert list(tmp_path.rglob("*.json")) == []
