"""Free text going into a published pack, checked for small numbers and names (issue 26)."""

from __future__ import annotations

from metrics.evidence.personal import small_numbers, warnings
from metrics.packs import free_text
from metrics.store.connection import Store


def test_small_numbers_in_digits_or_words_are_found_up_to_the_threshold():
    text = (
        "Five plans were late and 3 children waited; one autistic child moved. "
        "12 families replied, it took 2 weeks, in 2026-27 Q2, and two posts were vacant."
    )
    found = [w.found for w in small_numbers(5, text)]
    assert found == ["Five plans", "3 children", "one autistic child"]
    assert [w.found for w in small_numbers(12, text)][-1] == "12 families"
    assert small_numbers(2, "three parent carers") == []


def test_names_after_a_title_are_found():
    assert [w.found for w in warnings("Mrs Okafor called; Dr Lee agreed.")] == [
        "Mrs Okafor", "Dr Lee"]  # fmt: skip


def test_the_demos_commentary_with_a_small_number_is_caught_before_the_pack(demo_db, charter):
    found = free_text.pack_warnings(Store(demo_db), charter, "2026-27 Q1")
    [w] = [w for w in found if w.where.startswith("Commentary")]
    assert w.warning.found == "Three parent carers" and w.author == "Sam Member (demo)"
    assert "parent carer forum representation" in w.sentence()


def test_agreed_reasons_and_actions_in_the_pack_are_checked_too(demo_store, charter):
    """The pack prints agreed statuses with their reasons and the open actions' titles and
    latest notes: each is checked like commentary."""
    from datetime import date

    from metrics.review import actions, agreed
    from metrics.review.common import statement_subject
    from metrics.scrutiny import view as scrutiny
    from tests.unit.test_said_the_same_way import CHRIS

    quarter = "2026-27 Q2"
    facts = scrutiny.build(demo_store, charter, quarter, public=False)
    computed = next(s.status for s in facts.statements if s.number == 5)
    status = "off_track" if computed != "off_track" else "at_risk"
    agreed.agree(demo_store, charter, CHRIS, quarter, statement_subject(5), status, computed,
                 "Mrs Okafor says two families wait")  # fmt: skip
    ident = actions.add(
        demo_store, charter, CHRIS, title="Call the 3 families on the list", owner="head-of-send",
        due=date(2027, 3, 31), quarter=quarter, statement=5, today=date(2026, 11, 26),
    )  # fmt: skip
    actions.update(demo_store, CHRIS, ident, "on track", "Four children seen so far")
    found = {(w.where, w.warning.found) for w in free_text.pack_warnings(demo_store, charter,
                                                                         quarter)}  # fmt: skip
    title = "Agreed status of 5. " + charter.statement(5).short_title
    assert (title, "Mrs Okafor") in found and (title, "two families") in found
    assert (f"Action {ident}", "3 families") in found
    assert (f"Latest note on action {ident}", "Four children") in found
