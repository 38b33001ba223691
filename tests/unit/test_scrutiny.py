"""The scrutiny view's facts and generated questions, on the demo database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from metrics.publish.plain import is_plain
from metrics.scrutiny import suggestions, view as scrutiny
from metrics.store.connection import Store

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def facts(demo_db, charter):
    return scrutiny.build(Store(demo_db), charter, "2026-27 Q2", today=TODAY)


def test_every_sentence_is_plain_english(facts):
    words = [s.headline + s.sentence for s in facts.statements]
    words += [x.figure + x.change + x.real_change + x.compare + x.how_long() for x in facts.lines]
    words += [q.text for q in facts.suggested]
    assert [w for w in words if is_plain(w)] == []


def test_one_line_per_indicator_even_when_it_serves_two_statements(facts, charter):
    assert sorted(x.id for x in facts.lines) == sorted(charter.indicators)


def test_how_long_counts_periods_not_quarters_for_annual_figures(facts):
    mainstream = next(x for x in facts.lines if x.id == "ehcp-mainstream")
    assert mainstream.period_word == "year" and mainstream.status == "off_track"
    assert mainstream.how_long().startswith("Off track for")
    assert "years in a row" in mainstream.how_long()


def test_questions_come_from_the_facts_most_pressing_first(facts):
    texts = [q.text for q in facts.suggested]
    assert texts[0].startswith("The action \u201cFill the two vacant SEND caseworker posts\u201d")
    assert len({q.subject for q in facts.suggested}) == len(facts.suggested)
    assert len(texts) <= suggestions.MOST_QUESTIONS


def test_off_track_and_worse_than_england_asks_what_is_stopping_improvement(facts):
    line = next(x for x in facts.lines if x.status == "off_track" and x.status_for > 2)
    worse = replace(line, worse_than_england=True, since_records=False)
    [q, *_] = suggestions.suggest([worse], [], [], TODAY)
    assert q.text == (
        f"{line.title} has been off track for {line.status_for} {line.period_word}s and is "
        "worse than England: what is stopping improvement, and when will the actions show?"
    )
