"""Disclosure audits kept on disk (metrics/publish/audit_cache.py): another process reads a
table's audit instead of solving it again, and nothing kept can change what is published.
Every answer is in one file (a pack audits ~350 tables: a file each was 351 files read)."""

from __future__ import annotations

import json
import subprocess
import sys

from metrics.publish import audit, audit_cache
from metrics.publish.disclosure import UNSAID, Figure, Rule
from tests.conftest import ROOT
from tests.unit.test_disclosure_audit import LOCALITY  # the locality cells

RULE = Rule(5)
ANSWER = {("locality", "North"): UNSAID, ("locality", "South"): UNSAID}


def kept(folder):
    """The answers kept in the folder's one file (none when there is no file)."""
    path = folder / "disclosure-audit" / audit_cache.FILE
    return json.loads(path.read_text()) if path.exists() else {}


def files(folder):
    return sorted(p.name for p in (folder / "disclosure-audit").glob("*"))


def test_an_audit_is_kept_and_read_by_another_process(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
    assert files(tmp_path) == [audit_cache.FILE]  # one file, no temporary left
    (rows,) = kept(tmp_path).values()  # no figure kept: a breakdown, group and reason each
    assert [r[:2] for r in rows] == [["locality", "North"], ["locality", "South"]]
    assert {r[2] for r in rows} == {UNSAID}
    # Another process answers from the file (marked here so that it shows), without solving.
    ((key, rows),) = kept(tmp_path).items()
    marked = {key: [*rows, ["locality", "East", "marked"]]}
    (tmp_path / "disclosure-audit" / audit_cache.FILE).write_text(json.dumps(marked))
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
    (key,) = kept(tmp_path)
    path = tmp_path / "disclosure-audit" / audit_cache.FILE
    deep = "[" * 200_000 + "]" * 200_000  # nested past what the JSON reader can follow
    for broken in ('{"' + key + '": [["locality", ', json.dumps({key: [["locality"]]}), deep):
        path.write_text(broken)  # cut off half way; an answer of the wrong shape; too deep
        audit._remembered.cache_clear()
        audit_cache._read.clear()  # as a fresh process finds it
        assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
        assert audit_cache.read(key) == ANSWER  # and kept whole again


def test_an_audit_kept_in_a_file_of_its_own_is_read_and_moved_into_the_one_file(
    tmp_path, monkeypatch
):
    """How audits were kept before: an upgraded installation does not solve them again."""
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    key = audit_cache.key_of((tuple(LOCALITY), RULE, True, None, ()))
    (tmp_path / "disclosure-audit").mkdir()
    alone = [["locality", "North", "marked"], ["locality", "South", "marked"]]
    (tmp_path / "disclosure-audit" / f"{key}.json").write_text(json.dumps(alone))
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == {
        ("locality", "North"): "marked",
        ("locality", "South"): "marked",
    }
    assert kept(tmp_path) == {key: alone}


def test_another_rule_or_table_is_another_audit(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    audit.protect(LOCALITY, RULE, value_is_count=True)
    audit.protect(LOCALITY, Rule(10), value_is_count=True)
    audit.protect([*LOCALITY[:1], Figure("locality", "North", 2.0), *LOCALITY[2:]], RULE, True)
    assert len(kept(tmp_path)) == 3
    assert files(tmp_path) == [audit_cache.FILE]


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
    assert list(tmp_path.rglob("*.json")) == []


def test_the_oldest_answers_go_first_when_the_file_is_full(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(audit_cache, "MOST", 2)
    for key in ("a", "b", "c", "b"):  # b written again: the newest
        audit_cache.write(key, ANSWER)
    assert list(kept(tmp_path)) == ["c", "b"]
    assert audit_cache.read("a") is None and audit_cache.read("c") == ANSWER


def test_a_kept_answer_withholding_less_than_the_rule_is_not_believed(tmp_path, monkeypatch):
    """Whoever could write the file could otherwise publish a small number: an answer that
    leaves out a figure the rule withholds is solved again (and the right answer kept)."""
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    key = audit_cache.key_of((tuple(LOCALITY), RULE, True, None, ()))
    for false in ([], [["locality", "South", "marked"]]):  # nothing; the small figure shown
        audit._remembered.cache_clear()
        audit_cache._read.clear()
        (tmp_path / "disclosure-audit").mkdir(mode=0o700, exist_ok=True)
        (tmp_path / "disclosure-audit" / audit_cache.FILE).write_text(json.dumps({key: false}))
        assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER
        assert audit_cache.read(key) == ANSWER


def test_a_folder_or_file_others_may_write_is_neither_read_nor_written(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    where = tmp_path / "disclosure-audit"
    key = audit_cache.key_of((tuple(LOCALITY), RULE, True, None, ()))
    forged = {key: [["locality", "North", "marked"], ["locality", "South", "marked"]]}
    where.mkdir()
    for folder_mode, file_mode in ((0o777, 0o600), (0o700, 0o620), (0o770, 0o644)):
        where.chmod(folder_mode)
        (where / audit_cache.FILE).write_text(json.dumps(forged))
        (where / audit_cache.FILE).chmod(file_mode)
        audit._remembered.cache_clear()
        audit_cache._read.clear()
        audit_cache._warned.clear()
        with caplog.at_level("WARNING", logger=audit_cache.__name__):
            assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER  # solved
        assert kept(tmp_path) == forged  # and nothing written into it
        assert "is not used" in caplog.text
        caplog.clear()
    # Made the app user's own again, it is used.
    where.chmod(0o700)
    (where / audit_cache.FILE).chmod(0o600)
    audit._remembered.cache_clear()
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == dict.fromkeys(
        [("locality", "North"), ("locality", "South")], "marked"
    )


def test_the_folder_is_made_for_its_owner_alone(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path / "new"))
    audit._remembered.cache_clear()
    audit.protect(LOCALITY, RULE, value_is_count=True)
    where = tmp_path / "new" / "disclosure-audit"
    assert where.stat().st_mode & 0o777 == 0o700
    assert (where / audit_cache.FILE).stat().st_mode & 0o077 == 0


def test_a_folder_above_that_others_may_write_is_not_trusted_unless_sticky(tmp_path, monkeypatch):
    """Others who may write a folder above could swap the cache folder for theirs between
    the check and the read; in a sticky folder (as /tmp) they may not rename what is ours."""
    above = tmp_path / "shared"
    above.mkdir()
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(above / "cache"))
    key = audit_cache.key_of((tuple(LOCALITY), RULE, True, None, ()))
    marked = dict.fromkeys([("locality", "North"), ("locality", "South")], "marked")
    audit_cache.write(key, marked)
    for mode, used in ((0o777, False), (0o1777, True), (0o775, False), (0o755, True)):
        above.chmod(mode)
        audit._remembered.cache_clear()
        audit_cache._read.clear()
        assert audit.protect(LOCALITY, RULE, value_is_count=True) == (marked if used else ANSWER)


def test_an_answer_in_a_file_of_its_own_that_others_may_write_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    audit._remembered.cache_clear()
    key = audit_cache.key_of((tuple(LOCALITY), RULE, True, None, ()))
    (tmp_path / "disclosure-audit").mkdir(mode=0o755)
    alone = tmp_path / "disclosure-audit" / f"{key}.json"
    alone.write_text(json.dumps([["locality", "North", "marked"], ["locality", "South", "m"]]))
    alone.chmod(0o666)
    assert audit.protect(LOCALITY, RULE, value_is_count=True) == ANSWER  # solved instead
    assert kept(tmp_path)[key] != json.loads(alone.read_text())  # and not copied in


def test_a_pass_over_many_tables_looks_at_the_folder_once(tmp_path, monkeypatch):
    """A pack reads some 350 answers: within `one_look` the folder and those above it are
    looked at once, and a folder others may write is still used for none of them."""
    monkeypatch.setenv(audit_cache.CACHE_ENV, str(tmp_path))
    keys = [audit_cache.key_of(("table", n)) for n in range(5)]
    for key in keys:
        audit_cache.write(key, ANSWER)
    looks: list[object] = []
    real = audit_cache._safe_above
    monkeypatch.setattr(
        audit_cache, "_safe_above", lambda where: looks.append(where) or real(where)
    )
    assert [audit_cache.read(k) for k in keys] == [ANSWER] * 5
    assert len(looks) == 5  # outside a pass: every time
    looks.clear()
    with audit_cache.one_look():
        assert [audit_cache.read(k) for k in keys] == [ANSWER] * 5
    assert len(looks) == 1
    where = tmp_path / "disclosure-audit"
    where.chmod(0o777)
    try:
        with audit_cache.one_look():
            assert [audit_cache.read(k) for k in keys] == [None] * 5
    finally:
        where.chmod(0o700)
