"""Free text going into a published pack, checked for small numbers and names (issue 26)."""

from __future__ import annotations

from metrics.evidence.personal import small_numbers, warnings
from metrics.publish import free_text
from metrics.store import Store


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
