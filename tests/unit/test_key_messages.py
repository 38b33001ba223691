"""Key messages and the chair's choice of pack sections (issue 31): versioned, audited,
frozen at sign-off, and at the front of the HTML, PDF and XLSX packs in the chosen order."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from metrics import packs as pack
from metrics.access.audit import entries
from metrics.access.people import AccessDenied, demo
from metrics.access.writing import ReviewError
from metrics.packs import free_text, shape
from metrics.review import cycle, key_messages
from tests.unit.test_review import CHRIS, sign_off

Q = "2026-27 Q2"  # open in the demo
SIGNED = "2026-27 Q1"  # signed off in the demo
TEXTS = ("Waits for EHC plans fell.", "Short breaks reached fewer families.",
         "Keyworkers: no action yet.", "Ask the ICB about autism waits.")  # fmt: skip
ADMIN = demo("admin")


def made(store, charter, audience=pack.SCRUTINY, quarter=Q, formats=("html",)):
    return pack.make(store, charter, quarter, audience, formats, demo("chair"),
                     today=date(2026, 11, 26), queue=None)  # fmt: skip


def test_key_messages_are_versioned_and_audited(demo_store):
    first = key_messages.save(demo_store, CHRIS, Q, TEXTS, based_on=0)
    second = key_messages.save(demo_store, CHRIS, Q, (*TEXTS[:3], "Ask about waits."), based_on=1)
    assert (first.version, second.version) == (1, 2)
    assert [k.version for k in key_messages.history(demo_store, Q)] == [2, 1]
    assert key_messages.current(demo_store, Q) == second
    assert key_messages.current(demo_store, Q, as_at=first.written_at) == first
    rows = entries(demo_store, ADMIN, kind=key_messages.WRITTEN)
    assert [r.name for r in rows] == ["Chris Chair", "Chris Chair"]
    assert rows[0].before is not None and "Ask the ICB about autism waits." in rows[0].before
    assert (
        rows[0].after is not None
        and "What the planning group asks of you: Ask about" in rows[0].after
    )
    with pytest.raises(key_messages.Conflict, match="changed \\(version 2\\) after you opened"):
        key_messages.save(demo_store, CHRIS, Q, TEXTS, based_on=1)  # someone saved since
    assert len(key_messages.history(demo_store, Q)) == 2


@pytest.mark.parametrize("role", ["member", "analyst", "councillor"])
def test_only_the_chair_writes_them(demo_store, role):
    with pytest.raises(AccessDenied):
        key_messages.save(demo_store, demo(role), Q, TEXTS, based_on=0)
    assert key_messages.history(demo_store, Q) == []


def test_empty_key_messages_are_refused(demo_store):
    with pytest.raises(ReviewError, match="Write at least one of the key messages"):
        key_messages.save(demo_store, CHRIS, Q, (" ", "", "", ""), based_on=0)


def test_they_are_frozen_at_sign_off_and_the_pack_keeps_what_was_signed_off(demo_store, charter):
    key_messages.save(demo_store, CHRIS, Q, TEXTS, based_on=0)
    shape.choose(demo_store, CHRIS, pack.SCRUTINY, ["key messages", "statements", "method"],
                 pack.AUDIENCES)  # fmt: skip
    review = sign_off(demo_store, charter)
    with pytest.raises(ReviewError, match="is signed off, so its key messages cannot change"):
        key_messages.save(demo_store, CHRIS, Q, ("Changed after the meeting.", "", "", ""),
                          based_on=1)  # fmt: skip
    # the chair changes the scrutiny pack's sections afterwards: for later quarters
    shape.choose(demo_store, CHRIS, pack.SCRUTINY, ["scorecard", "method"], pack.AUDIENCES)
    built, files = made(demo_store, charter)
    assert built.sections == ("key messages", "statements", "method")  # as at sign-off
    assert built.front is not None and built.front.written
    html = files["html"].decode()
    assert "Waits for EHC plans fell." in html and '<section id="scorecard">' not in html
    assert review.signed_off_at is not None
    reopened = cycle.move(demo_store, charter, CHRIS, Q, "discussed", reason="A late figure")
    assert reopened.state == "discussed"
    key_messages.save(demo_store, CHRIS, Q, ("Now open again.", "", "", ""), based_on=1)
    again, _ = made(demo_store, charter)
    assert again.sections == ("scorecard", "method")  # open: the choice in force now
    assert again.front is not None and again.front.parts[0][1] == ("Now open again.",)


def test_a_quarter_signed_off_earlier_cannot_take_key_messages(demo_store):
    with pytest.raises(ReviewError, match="is signed off"):
        key_messages.save(demo_store, CHRIS, SIGNED, TEXTS, based_on=0)


def test_the_key_messages_open_every_format_of_the_pack(demo_store, charter):
    key_messages.save(demo_store, CHRIS, Q, TEXTS, based_on=0)
    _, files = made(demo_store, charter, formats=pack.FORMATS)
    html = files["html"].decode()
    body = html[html.index("<main>") :]
    assert body.index('id="key-messages"') < body.index('id="statements"')
    assert "Ask the ICB about autism waits." in html and "Written by Chris Chair" in html
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Key messages" in pdf and "Ask the ICB about autism waits." in pdf
    cover = [c.value for c in load_workbook(io.BytesIO(files["xlsx"]))["Cover"]["A"]]
    assert "What the planning group asks of you: Ask the ICB about autism waits." in cover


def test_without_key_messages_the_front_page_is_drafted_and_says_so(demo_db, charter):
    from metrics.store.connection import Store

    built, _ = made(Store(demo_db), charter)
    assert built.front is not None and not built.front.written
    assert built.front.note.startswith("Drafted from the figures")
    better = dict(built.front.parts)["What got better"]
    assert better and all(": " in line for line in better)


def test_the_chosen_sections_and_their_order_shape_every_format(demo_store, charter):
    chosen = ["scorecard", "key messages", "actions", "method"]
    choice = shape.choose(demo_store, CHRIS, pack.PLANNING_GROUP, chosen, pack.AUDIENCES)
    assert choice.version == 1 and shape.sections_for(demo_store, pack.PLANNING_GROUP) == tuple(
        chosen
    )
    assert shape.sections_for(demo_store, pack.SCRUTINY) == shape.DEFAULT  # per audience
    _, files = made(demo_store, charter, pack.PLANNING_GROUP, formats=("html", "xlsx"))
    html = files["html"].decode()
    body = html[html.index("<main>") :]
    found = [body.index(f'id="{k.replace(" ", "-")}"') for k in chosen]
    assert found == sorted(found)
    assert 'id="statements"' not in body and 'id="measures"' not in body
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert nav.index("Scorecard") < nav.index("Key messages") < nav.index("Actions")
    sheets = load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert [s.split("_", 2)[2] for s in sheets[3:]] == ["Actions", "Scorecard"]
    rows = entries(demo_store, ADMIN, kind=shape.CHOSEN)
    assert rows[0].after == ",".join(chosen) and rows[0].object == "pack:planning group"


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        (["statements"], "Every pack keeps 'How statuses are worked out"),
        (["method", "nothing"], "There is no pack section 'nothing'"),
        (["method", "method"], "Each section can be in a pack once"),
    ],
)
def test_a_bad_choice_of_sections_is_refused(demo_store, sections, message):
    with pytest.raises(ReviewError, match=message):
        shape.choose(demo_store, CHRIS, pack.SCRUTINY, sections, pack.AUDIENCES)
    with pytest.raises(AccessDenied):
        shape.choose(demo_store, demo("member"), pack.SCRUTINY, ["method"], pack.AUDIENCES)
    assert shape.chosen(demo_store, pack.SCRUTINY) is None


def test_the_key_messages_are_checked_for_small_numbers_before_publishing(demo_store, charter):
    key_messages.save(demo_store, CHRIS, Q, ("Three children waited.", "", "", ""), based_on=0)
    found = free_text.pack_warnings(demo_store, charter, Q)
    assert any(w.where == "The key messages" for w in found)


def test_a_written_time_is_kept(demo_store):
    at = datetime(2026, 11, 20, 9, 30)
    saved = key_messages.save(demo_store, CHRIS, Q, TEXTS, based_on=0, now=at)
    assert saved.written_at == at == key_messages.current(demo_store, Q).written_at
