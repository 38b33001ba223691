"""The leadership self-review: the questions as charter data, a review point's cycle (open,
answer, change an answer, sign off, frozen), its history over time and the list of low
confidence with no action."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from charter import CharterError, load_charter
from metrics.access import ANALYST, CHAIR, COUNCILLOR, MEMBER, AccessDenied, Actor, audit
from metrics.access.people import command_line
from metrics.access.writing import ReviewError
from metrics.leadership import self_review as sr
from metrics.review import actions
from tests.unit.test_evidence import add as add_evidence

MEG = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
CHRIS = Actor("chris", "Chris Chair", "chris@x.example", "app", frozenset({CHAIR, MEMBER}))
ANA = Actor("ana", "Ana Analyst", "", "app", frozenset({ANALYST}))
CLEO = Actor("cleo", "Cleo Councillor", "", "app", frozenset({COUNCILLOR}))
SPRING, AUTUMN = date(2026, 3, 31), date(2026, 9, 30)


def every_question(charter) -> list[str]:
    return charter.question_ids()


def answer_all(store, charter, when, confidence, links=()) -> None:
    for q in every_question(charter):
        sr.answer(store, charter, MEG, when, q, confidence, list(links), "Keep going.")


def test_the_questions_ship_with_the_reports_two_themes(charter):
    titles = [t.title for t in charter.self_review]
    assert titles == ["Focusing on results and outcomes", "Leading collaboratively"]
    subs = [q.about for t in charter.self_review for m in t.questions for q in m.sub_questions]
    assert subs == ["front line", "partners", "voluntary sector", "political figures"]
    assert "gathering evidence from all relevant stakeholders" in charter.question(
        "evidence-from-stakeholders"
    )
    assert "key players" in charter.question("key-players")


def test_a_broken_questions_file_is_named(tmp_path: Path):
    from shutil import copytree

    root = tmp_path / "charter"
    copytree(Path(__file__).resolve().parents[2] / "charter", root)
    data = yaml.safe_load((root / "self_review.yaml").read_text())
    data["themes"][1]["questions"][0]["sub_questions"][0]["id"] = "data-to-plan"
    data["themes"][0]["questions"][1]["about"] = "the press"
    (root / "self_review.yaml").write_text(yaml.safe_dump(data))
    inspection = yaml.safe_load((root / "inspection.yaml").read_text())
    inspection["themes"][0]["statements"] = [99]
    inspection["themes"][1]["statements"] = [2, 3, 4]  # 1, 5 and 8 now in no theme
    (root / "inspection.yaml").write_text(yaml.safe_dump(inspection))
    with pytest.raises(CharterError) as err:
        load_charter(root)
    text = str(err.value)
    assert "charter/self_review.yaml: themes.0.questions.1.about: Input should be" in text
    assert "charter/inspection.yaml: themes.0.statements.0: unknown statement 99" in text
    assert "charter/inspection.yaml: themes: statements 1, 5, 8 in no theme" in text
    data["themes"][0]["questions"][1]["about"] = None
    (root / "self_review.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(CharterError, match="question id 'data-to-plan' is used twice"):
        load_charter(root)


def test_a_review_point_from_opening_to_frozen(store, charter):
    with pytest.raises(AccessDenied):
        sr.open_point(store, MEG, SPRING)
    sr.open_point(store, CHRIS, SPRING)
    with pytest.raises(ReviewError, match="still open"):
        sr.open_point(store, CHRIS, AUTUMN)
    for who in (ANA, CLEO):
        with pytest.raises(AccessDenied):
            sr.answer(store, charter, who, SPRING, "front-line", "partly", [], "Visit more.")
    cases = [
        (dict(question_id="nope"), "no self-review question 'nope'"),
        (dict(confidence="very"), "Confidence is one of"),
        (dict(will_do=" "), "what you will do"),
        (dict(links=["indicator:nope"]), "no indicator 'nope'"),
        (dict(links=["evidence:9"]), "no evidence '9'"),
        (dict(links=["action:9"]), "no action '9'"),
        (dict(links=["minutes:1"]), "say indicator:<id>"),
        (dict(held_on=AUTUMN), "no self-review point on 30 September 2026"),
    ]
    base = dict(held_on=SPRING, question_id="front-line", confidence="partly", links=[],
                will_do="Visit more.")  # fmt: skip
    for change, message in cases:
        with pytest.raises(ReviewError, match=message):
            sr.answer(store, charter, MEG, **(base | change))
    assert sr.answer(store, charter, MEG, **base) == 1
    with pytest.raises(ReviewError, match="still to answer before sign-off"):
        sr.sign_off(store, charter, CHRIS, SPRING)
    answer_all(store, charter, SPRING, "mostly")
    evidence_id = add_evidence(store, charter)
    links = ["indicator:short-breaks-satisfaction", f"evidence:{evidence_id}"]
    assert (
        sr.answer(store, charter, CHRIS, SPRING, "front-line", "fully", links, "Monthly visits.")
        == 3
    )
    latest = sr.answers(store)[SPRING]["front-line"]
    assert (latest.confidence, latest.linked("evidence"), latest.answered_by) == (
        "fully", [str(evidence_id)], "Chris Chair"
    )  # fmt: skip
    with pytest.raises(AccessDenied):
        sr.sign_off(store, charter, MEG, SPRING)
    sr.sign_off(store, charter, CHRIS, SPRING)
    with pytest.raises(ReviewError, match="signed off: its answers are frozen"):
        sr.answer(store, charter, CHRIS, **base)
    assert sr.points(store)[0].state == sr.SIGNED_OFF
    trail = [(e.kind, e.before, e.after) for e in audit.entries(store, command_line())]
    assert trail[0] == ("self-review signed off", "open", "signed off")
    assert ("self-review answered", "Mostly confident", "Fully confident") in trail
    assert ("self-review opened", None, "open") in trail


def test_history_and_low_confidence_without_action(store, charter):
    sr.open_point(store, CHRIS, SPRING)
    answer_all(store, charter, SPRING, "partly")
    sr.sign_off(store, charter, CHRIS, SPRING)
    sr.open_point(store, CHRIS, AUTUMN)
    answer_all(store, charter, AUTUMN, "mostly")
    ident = actions.add(store, charter, MEG, title="Leaders visit a short break each month",
                        owner="head-of-send", due=date(2027, 3, 31), quarter="2026-27 Q2",
                        statement=12, today=AUTUMN)  # fmt: skip
    sr.answer(store, charter, MEG, AUTUMN, "front-line", "not", [f"action:{ident}"], "Visit.")
    sr.answer(store, charter, MEG, AUTUMN, "political-figures", "partly", [], "Brief them.")
    rows = sr.history(store, charter)
    front = next(r for r in rows if r["Question"] == charter.question("front-line"))
    assert (front["31 Mar 2026"], front["30 Sep 2026"]) == ("Partly confident", "Not confident")
    assert len(rows) == len(every_question(charter))
    # at the latest point: only the low answer with no live action is listed
    assert [a.question_id for a in sr.low_without_action(store)] == ["political-figures"]
    actions.update(store, MEG, ident, "dropped", "Stopped", "No capacity")
    assert sorted(a.question_id for a in sr.low_without_action(store)) == [
        "front-line", "political-figures"
    ]  # fmt: skip
