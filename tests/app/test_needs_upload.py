"""The Upload page's needs and finance returns (issue 33): chosen beside the quarterly
return, checked by the command line's own functions, the errors by row as a table, a
preview, then stored all at once and audited with the person signed in."""

from __future__ import annotations

import csv
import io

import pytest

import ui
from metrics.access import audit as audit_trail, command_line
from metrics.demo.needs import SPEND, YEAR, needs_rows
from metrics.leadership.needs import baseline
from metrics.periods.text import parse_period
from metrics.store import needs as stored
from metrics.store.queries import uploads
from tests.app.test_access import signed_in
from ui import ees_view, keys, needs_upload_view as view

QUARTER = "2026-27 Q3"  # after the demo's latest needs return (2026-27 Q2)


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(header), *rows])
    return out.getvalue().encode()


def needs_file(charter) -> bytes:
    rows = [r for r in needs_rows(charter, parse_period(QUARTER)) if r[0] == QUARTER]
    return _csv(("quarter", "source", "month", "locality", "need", "children"), rows)


def opened_as_analyst(fresh, kind: str):
    at = signed_in(fresh(ui.UPLOAD_PAGE), roles=["analyst"]).run()
    assert not at.exception, at.exception
    at.radio(key=view.KIND).set_value(kind).run()
    assert not at.exception, at.exception
    return at


def upload(at, kind: str, name: str, content: bytes):
    at.file_uploader(key=view.FILE[kind]).upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def last_audit(fresh):
    return audit_trail.entries(fresh.store, command_line())[0]


def test_a_good_needs_return_is_previewed_stored_and_audited(fresh, charter):
    at = opened_as_analyst(fresh, view.NEEDS)
    assert baseline(fresh.store, charter).quarter == "2026-27 Q2"
    upload(at, view.NEEDS, "needs-q3.csv", needs_file(charter))
    preview = at.dataframe[0].value
    assert set(preview["Quarter"]) == {QUARTER}
    assert "moves-in" in set(preview["Source"]) and "Dec 2026" in set(preview["As at"])
    assert baseline(fresh.store, charter).quarter == "2026-27 Q2"  # checked, not yet stored
    at.button(key=view.STORE).click().run()
    assert not at.exception, at.exception
    assert any("rows loaded" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == view.STORE]  # stored: no second button
    assert baseline(fresh.store, charter).quarter == QUARTER  # the page's figures follow
    assert uploads(fresh.store)[0]["uploaded_by"] == "Pat Person"
    row = last_audit(fresh)
    assert (row.name, row.kind) == ("Pat Person", "upload") and "needs-q3.csv" in row.object


def test_a_good_finance_return_is_stored_and_audited(fresh):
    at = opened_as_analyst(fresh, view.FINANCE)
    rows = [["2026-27", s, str(spend + 1000), str(n)] for s, (spend, n) in SPEND.items()]
    upload(at, view.FINANCE, "finance.csv", _csv(("year", "service", "spend", "children"), rows))
    assert list(at.dataframe[0].value["Service"]) == list(SPEND)
    at.button(key=view.STORE).click().run()
    assert not at.exception, at.exception
    with fresh.store.connect() as con:
        spend = {(y, s): (p, n) for y, s, p, n in stored.spend(con)}
    assert spend[("2026-27", "short-breaks")] == (2_451_000, 1_180)
    row = last_audit(fresh)
    assert (row.name, row.kind) == ("Pat Person", "upload") and "finance.csv" in row.object


def test_a_finance_return_replacing_stored_spend_asks_why_and_shows_before_and_after(fresh):
    """The demo's year sent again with other figures: the page shows each figure it replaces
    (stored now, from this file) and asks why; stored without a reason it is refused and
    nothing changes; with one, stored and audited with the values before and after."""
    at = opened_as_analyst(fresh, view.FINANCE)
    rows = [[YEAR, s, str(spend + 1000), str(n)] for s, (spend, n) in SPEND.items()]
    upload(at, view.FINANCE, "finance-again.csv",
           _csv(("year", "service", "spend", "children"), rows))  # fmt: skip
    said = f"replaces {len(SPEND)} stored figures"
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]
    shown = at.dataframe[1].value  # after the preview
    assert all(s.startswith("£") for s in shown["Stored now"]) and len(shown) == len(SPEND)
    at.button(key=view.STORE).click().run()
    assert any("nothing was stored" in e.value for e in at.error)
    problems = [p for d in at.dataframe if "Problem" in d.value for p in d.value["Problem"]]
    assert any("would be replaced" in p for p in problems), problems
    with fresh.store.connect() as con:
        assert {(s, p) for y, s, p, _ in stored.spend(con) if y == YEAR} == {
            (s, spend) for s, (spend, _) in SPEND.items()
        }  # nothing stored
    at.text_input(key=view.REASON).input("Year-end accruals added").run()
    at.button(key=view.STORE).click().run()
    assert not at.exception and any("rows loaded" in s.value for s in at.success)
    replaced = audit_trail.entries(fresh.store, command_line(), kind="figure replaced")
    assert len(replaced) == len(SPEND) and all(r.name == "Pat Person" for r in replaced)
    assert all(r.before != r.after and "Year-end accruals" in r.summary for r in replaced)


def test_a_bad_needs_return_shows_its_row_errors_and_stores_nothing(fresh, charter):
    at = opened_as_analyst(fresh, view.NEEDS)
    with fresh.store.connect() as con:
        before = stored.counts(con)
    hostile = "**Uplands** <b>x</b>"
    bad = _csv(
        ("quarter", "source", "month", "locality", "need", "children"),
        [
            [QUARTER, "register", "Dec 2026", hostile, "Hearing impairment", "4"],
            [QUARTER, "register", "Dec 2026", "North", "Hearing impairment", "-3"],
        ],
    )
    upload(at, view.NEEDS, "bad.csv", bad)
    assert "Rejected: 2 problem(s)" in at.error[0].value
    errors = at.dataframe[0].value
    assert list(zip(errors["Row"], errors["Column"], strict=True)) == [
        (2, "locality"),
        (3, "children"),
    ]
    assert list(errors["Value"]) == [hostile, "-3"]  # a table cell: never rendered
    assert not any("<b>" in m.value or "**Uplands" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == view.STORE]
    with fresh.store.connect() as con:
        assert stored.counts(con) == before
    assert uploads(fresh.store)[0]["outcome"] == "rejected"  # the attempt is logged


@pytest.mark.parametrize("role", ["councillor", "chair", "member"])
def test_a_role_that_may_not_upload_never_sees_the_choice(fresh, role):
    opened = signed_in(fresh(ui.UPLOAD_PAGE), roles=[role])
    at = opened.run()
    assert not opened.routed
    assert at.title[0].value == "You do not have access to this page"
    assert not [r for r in at.radio if r.key == view.KIND]
    assert not at.get("file_uploader") and not at.get("download_button")


def test_the_quarterly_return_stays_the_first_choice(fresh):
    at = signed_in(fresh(ui.UPLOAD_PAGE), roles=["analyst"]).run()
    assert at.radio(key=view.KIND).value == view.QUARTERLY
    assert [u.key for u in at.get("file_uploader")] == [keys.UPLOAD, ees_view.FILE]
