"""The review side's named queries (metrics/store/review.py, actions.py, scrutiny.py,
leadership.py, evidence.py, audit.py, once.py): what they return, written against `Store`
and `Connection` only so that a second backend can run them, and a scan that their SQL stays
portable and that the domain modules they serve hold none."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from metrics.store import actions, leadership, review, scrutiny
from metrics.store.connection import Store, transaction

ROOT = Path(__file__).resolve().parents[2]
STORE_MODULES = ["review", "actions", "scrutiny", "leadership", "evidence", "audit", "once"]
DOMAIN_MODULES = [
    *(ROOT / "metrics" / "review").glob("*.py"),
    *(ROOT / "metrics" / "scrutiny").glob("*.py"),
    ROOT / "metrics" / "leadership" / "self_review.py",
    *(ROOT / "metrics" / "evidence").glob("*.py"),
    *(ROOT / "metrics" / "access").glob("*.py"),
    *(ROOT / "metrics" / "publish").rglob("*.py"),
]
T = datetime(2026, 10, 1, 9, 0)


@pytest.fixture
def any_store(tmp_path) -> Store:
    return Store(tmp_path / "review_queries.duckdb")


def test_questions_are_read_for_the_quarters_asked_about(any_store):
    with any_store.connect() as con, transaction(con):
        for quarter in ("2026-27 Q1", "2026-27 Q2", "2026-27 Q3"):
            scrutiny.add_question(con, quarter, "statement:1", f"About {quarter}?", "Cllr A", T)
    with any_store.connect() as con:
        every = [r[1] for r in scrutiny.questions(con, None)]
        two = [r[1] for r in scrutiny.questions(con, ["2026-27 Q3", "2026-27 Q1"])]
        none = scrutiny.questions(con, [])
    assert every == ["2026-27 Q1", "2026-27 Q2", "2026-27 Q3"]
    assert two == ["2026-27 Q1", "2026-27 Q3"]
    assert none == []


def test_replies_are_numbered_within_their_question(any_store):
    with any_store.connect() as con, transaction(con):
        first = scrutiny.add_question(con, "2026-27 Q1", "statement:1", "Why?", "Cllr A", T)
        second = scrutiny.add_question(con, "2026-27 Q1", "statement:2", "How?", "Cllr A", T)
        numbers = [
            scrutiny.add_reply(con, first, "answer", "Because.", "Officer", T),
            scrutiny.add_reply(con, second, "answer", "Like so.", "Officer", T),
            scrutiny.add_reply(con, first, "follow-up", "And?", "Cllr A", T),
        ]
    assert numbers == [1, 1, 2]
    with any_store.connect() as con:
        assert scrutiny.question_exists(con, first) and not scrutiny.question_exists(con, 99)


def test_commentary_in_force_is_each_subjects_newest_version_as_at_a_moment(any_store):
    def row(subject: str, version: int, at: datetime) -> dict[str, object]:
        return {"quarter": "2026-27 Q1", "subject": subject, "version": version,
                "what": f"v{version}", "why": "w", "next": "n", "by": "A", "at": at,
                "figure_period": None, "figure_value": None, "figure_shown": None,
                "copied_from": None}  # fmt: skip

    with any_store.connect() as con, transaction(con):
        review.add_commentary(con, row("indicator:a", 1, T))
        review.add_commentary(con, row("indicator:a", 2, T.replace(hour=11)))
        review.add_commentary(con, row("indicator:b", 1, T))
    with any_store.connect() as con:
        now = {r[2]: r[3] for r in review.commentary_in_force(con, "2026-27 Q1", None)}
        then = {r[2]: r[3] for r in review.commentary_in_force(con, "2026-27 Q1", T)}
        assert review.latest_commentary_version(con, "2026-27 Q1", "indicator:a") == 2
        assert review.latest_commentary_version(con, "2026-27 Q1", "indicator:c") == 0
    assert now == {"indicator:a": 2, "indicator:b": 1}
    assert then == {"indicator:a": 1, "indicator:b": 1}


def test_an_action_is_listed_once_with_its_latest_update(any_store):
    with any_store.connect() as con, transaction(con):
        ident = actions.next_action_id(con)
        actions.add_action(con, ident, title="Shorter waits", statement=3, indicators="",
                           owner="health", due=date(2027, 1, 31), quarter="2026-27 Q1",
                           by="A", at=T)  # fmt: skip
        actions.add_update(con, ident, 1, "not started", "Agreed", "A", T)
        actions.add_update(con, ident, 2, "on track", "Going", "A", T.replace(hour=12))
    with any_store.connect() as con:
        [now] = actions.actions_with_latest_update(con, None)
        [then] = actions.actions_with_latest_update(con, T)
        assert actions.latest_statuses(con) == {ident: "on track"}
        assert [r[0] for r in actions.log(con, ident)] == [1, 2]
        assert actions.exists(con, ident) and not actions.exists(con, ident + 1)
    assert (now[0], now[9]) == (ident, "on track")
    assert (then[0], then[9]) == (ident, "not started")


def test_a_self_review_answer_is_versioned(any_store):
    held = date(2026, 9, 30)
    with any_store.connect() as con, transaction(con):
        assert leadership.last_answer(con, held, "q1") == (0, None)
        leadership.open_point(con, held, "Chair", T)
        for version, confidence in ((1, "partly"), (2, "mostly")):
            leadership.add_answer(con, held, "q1", version, confidence=confidence, links="",
                                  will_do="More", by="A", at=T)  # fmt: skip
    with any_store.connect() as con:
        assert leadership.last_answer(con, held, "q1") == (2, "mostly")
        assert [r[3] for r in leadership.latest_answers(con)] == ["mostly"]
        assert leadership.point_state(con, held) == "open"
        assert leadership.open_points(con) == [held]


# DuckDB-only constructs the review side's SQL no longer needs (metrics/store/dialect.md).
NOT_PORTABLE = re.compile(
    r"\bQUALIFY\b|\bmax_by\b|\blist_contains\b|\bINSERT\s+OR\s+REPLACE\b|\bstrftime\b"
    r"|\bUSING\s*\(|=\s*\?|\(\?|,\s*\?",
    re.IGNORECASE,
)


SQL = re.compile(r"\b(SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
                 re.IGNORECASE | re.DOTALL)  # fmt: skip


def sql_texts(path: Path) -> list[str]:
    """The string literals (f-strings' fixed parts too) of a module that are SQL."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    texts += [
        "x".join(v.value for v in n.values if isinstance(v, ast.Constant))
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr)
    ]
    return [t for t in texts if isinstance(t, str) and SQL.search(t)]


def test_the_review_sides_sql_is_portable():
    paths = [ROOT / "metrics" / "store" / f"{m}.py" for m in STORE_MODULES] + DOMAIN_MODULES
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in paths
        for text in sql_texts(p)
        for m in NOT_PORTABLE.finditer(text)
    ]
    assert found == []


def test_the_domain_modules_run_no_sql_and_the_store_modules_import_no_domain():
    calls = [
        f"{p.relative_to(ROOT)}:{node.lineno}"
        for p in DOMAIN_MODULES
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in {"execute", "executemany", "arrow"}
    ]
    assert calls == []
    allowed = ("metrics.store", "metrics.config", "metrics.dates", "metrics.rounding",
               "metrics.text_limits", "metrics.periods")  # fmt: skip
    domain = [
        f"{m}: {node.module}"
        for m in STORE_MODULES
        for node in ast.walk(ast.parse((ROOT / "metrics" / "store" / f"{m}.py").read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("metrics")
        and not (node.module or "").startswith(allowed)
    ]  # fmt: skip
    assert domain == []


def test_the_scan_can_fail():
    assert sql_texts(ROOT / "metrics" / "store" / "review.py")
    assert not sql_texts(ROOT / "metrics" / "evidence" / "personal.py")
    assert NOT_PORTABLE.search("SELECT 1 QUALIFY row_number() OVER () = 1")
    assert NOT_PORTABLE.search("WHERE action_id = ?")
    assert NOT_PORTABLE.search("VALUES (?, ?)")
    assert NOT_PORTABLE.search("JOIN b USING (id)")
    assert not NOT_PORTABLE.search("WHERE action_id = $id AND x IS NULL")
