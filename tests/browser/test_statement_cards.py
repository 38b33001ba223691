"""The overview's statement cards (ui/cards.py, laid out by `style.CARD_GRID`'s grid): three
to a row on a wide screen and one on a phone, each card's text directly above its own link,
in statement order, as a reader sees, tabs through and hears them."""

from __future__ import annotations

import pytest

from tests.browser import pages


def card_boxes(page) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Open statement 12").wait_for()
    return [
        tuple(b)
        for b in page.evaluate(
            "() => [...document.querySelector('.st-key-statement_cards').children].map(c => {"
            " const r = c.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
        )
    ]


@pytest.mark.parametrize(("width", "per_row"), [(1280, 3), (390, 1)])
def test_cards_in_rows_each_text_above_its_link(server, browser, charter, width, per_row):
    v = pages.visit(browser, f"{server.url}/?quarter=2026-27+Q2", width=width)
    boxes = card_boxes(v.page)
    texts, links = boxes[0::2], boxes[1::2]
    assert len(texts) == len(links) == len(charter.statements)
    for n, (text, link) in enumerate(zip(texts, links, strict=True)):
        assert link[0] == pytest.approx(text[0], abs=1)  # the same column
        assert link[2] == pytest.approx(text[2], abs=1)  # as wide as its card
        assert link[1] == pytest.approx(text[1] + text[3], abs=1)  # straight below, joined
        row, column = divmod(n, per_row)
        first_in_row = texts[row * per_row]
        assert text[1] == pytest.approx(first_in_row[1], abs=1)  # a row starts level
        if column:  # left to right within the row
            assert text[0] > texts[n - 1][0] + texts[n - 1][2]
    rows = {round(t[1]) for t in texts}
    assert len(rows) == len(texts) // per_row
    # the page's order, card by card, is the statements' order (what is read aloud)
    said = v.page.locator('.st-key-statement_cards [data-testid="stPageLink"] a').all_inner_texts()
    assert said == [f"Open statement {s.number}" for s in charter.statements]
    v.page.close()
