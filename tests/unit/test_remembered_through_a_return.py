"""The reads every cold page makes that no return changes (the review's state, scrutiny
questions, their replies and assignments, the people's digest choices) are remembered by the
version of their own kinds (metrics/store/remembered.py, issue 34): after an upload of a
return they are the very same answers (not read again), and a write of their own kind is
seen at once; on both backends (the demo store runs on each)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from metrics.ingest import load_file
from metrics.store import reminders, review, scrutiny
from metrics.store.connection import Store, transaction

QUARTER = "2026-27 Q1"  # the demo's signed-off quarter, with a question about it


def _reads(store: Store) -> dict[str, object]:
    with store.connect() as con:
        return {
            "review": review.quarter_review(con, QUARTER),
            "questions": scrutiny.questions(con, [QUARTER]),
            "every question": scrutiny.questions(con, None),
            "replies": scrutiny.replies(con),
            "assignments": scrutiny._assigned(con),
            "choices": reminders._choices(con),
        }


def test_a_return_leaves_them_remembered_and_their_own_writes_are_seen(
    demo_store, charter, tmp_path: Path
):
    before = _reads(demo_store)
    path = tmp_path / "r.csv"
    path.write_text("indicator,period,value\nshort-breaks-receiving,2001-02 Q3,411\n")
    assert load_file(demo_store, charter, path.name, path.read_bytes(), by="t").outcome == "loaded"
    after = _reads(demo_store)
    for name, found in after.items():
        assert found is before[name], name  # not read again
    at = datetime(2026, 11, 2, 10, 0)
    with demo_store.connect() as con, transaction(con):
        asked = scrutiny.add_question(con, QUARTER, "overall", "Why?", "cllr", at)
        scrutiny.add_reply(con, asked, "answer", "Because.", "officer", at)
        scrutiny.assign_question(con, asked, "owner-x", "chair", at)
        reminders.choose_digests(con, "new@example.org", False, "new@example.org", at)
        review.save_quarter_review(
            con, QUARTER, state="discussed", meeting=None, signed_at=at, signed_by="chair",
            snapshot=None, at=at, by="chair",
        )  # fmt: skip
    now = _reads(demo_store)
    assert now["review"][0] == "discussed"  # type: ignore[index]
    assert asked in {q[0] for q in now["questions"]}  # type: ignore[attr-defined]
    assert asked in {q[0] for q in now["every question"]}  # type: ignore[attr-defined]
    assert (asked, 1) in {(r[0], r[1]) for r in now["replies"]}  # type: ignore[attr-defined]
    assert (asked, "owner-x") in {(r[0], r[1]) for r in now["assignments"]}  # type: ignore[attr-defined]
    assert ("new@example.org", False) in now["choices"]  # type: ignore[operator]
