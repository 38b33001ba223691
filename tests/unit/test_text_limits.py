"""Every free-text field has a limit, shown by its box and enforced in the domain (issue 25,
section 6): a provider's send-back reason once stored 1 MB; revision reasons, submitted file
names and the rest had no bound. Each is refused (or, for a file name, cleaned and cut) with a
plain message, whichever path the text came by."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from charter.ees_models import load_mapping, shipped_mappings
from metrics import evidence, text_limits
from metrics.access import ADMIN, CHAIR, MEMBER, Actor, audit, command_line
from metrics.access.people import PROVIDER
from metrics.access.writing import ReviewError
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.ingest.published.read import EesError
from metrics.partners.submissions import SubmissionError, return_to_provider, submit
from metrics.review import actions, agreed, cycle
from metrics.review.common import statement_subject
from metrics.store.queries import uploads
from tests.conftest import ROOT

CHRIS = Actor("chris", "Chris Chair", "c@x.example", "app", frozenset({CHAIR, MEMBER}))
DEE = Actor("dee", "Dee Admin", "d@x.example", "app", frozenset({ADMIN}))
TOM = Actor("tom", "Tom Okafor", "tom.okafor@brightside.example", "app",
            frozenset({PROVIDER}), "short-breaks-trust")  # fmt: skip
RETURN = b"indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n"
Q = "2026-27 Q2"


def over(limit: int) -> str:
    return "x" * (limit + 1)


def test_every_text_box_in_the_app_has_a_limit():
    """Found by reading the source: each st.text_input / st.text_area / st.chat_input call in
    app.py, pages/ and ui/ passes max_chars (Streamlit counts characters by the box)."""
    unbounded = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("text_input", "text_area", "chat_input")
                    and "max_chars" not in {k.arg for k in node.keywords}):  # fmt: skip
                unbounded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unbounded == []


def test_a_send_back_reason_is_bounded(store, charter):
    sent = submit(store, charter, "short-breaks-trust", "r.csv", RETURN, by=TOM)
    with pytest.raises(SubmissionError, match="Shorten why the return goes back to 1,000"):
        return_to_provider(store, sent.upload_id, "x" * 1024 * 1024, by="Ana Analyst")
    back = return_to_provider(store, sent.upload_id, "y" * text_limits.SEND_BACK, by="Ana")
    assert len(back.reason or "") == text_limits.SEND_BACK


def test_a_revision_reason_is_bounded(store, charter):
    with pytest.raises(text_limits.TextTooLong, match="the reason for the revision to 500"):
        load_file(store, charter, "r.csv", RETURN, by=command_line(), reason=over(500))
    assert uploads(store) == []


def test_submitted_file_names_are_cleaned_and_cut(store, charter):
    name = "return\u202e" + "q" * 400 + "vsc.csv"
    report = submit(store, charter, "short-breaks-trust", name, RETURN, by=TOM)
    assert report.file_name == report.file_name.strip() and len(report.file_name) == 120
    assert "\u202e" not in report.file_name and report.file_name.endswith(".csv")
    assert uploads(store)[0]["file_name"] == report.file_name


def test_review_reasons_titles_and_notes_are_bounded(demo_store, charter):
    due = date.today() + timedelta(days=30)
    with pytest.raises(ReviewError, match="Shorten the action's title to 300"):
        actions.add(demo_store, charter, CHRIS, title=over(300), owner="head-of-send", due=due,
                    quarter=Q, statement=5)  # fmt: skip
    ident = actions.add(demo_store, charter, CHRIS, title="Recruit", owner="head-of-send",
                        due=due, quarter=Q, statement=5)  # fmt: skip
    with pytest.raises(ReviewError, match="Shorten a progress note to 500"):
        actions.update(demo_store, CHRIS, ident, "on track", over(500))
    with pytest.raises(ReviewError, match="Shorten why the action is dropped to 500"):
        actions.update(demo_store, CHRIS, ident, "dropped", "Stopped.", reason=over(500))
    with pytest.raises(ReviewError, match="the reason for the agreed status to 500"):
        agreed.agree(demo_store, charter, CHRIS, Q, statement_subject(5), "off_track",
                     "on_track", over(500))  # fmt: skip
    cycle.move(demo_store, charter, CHRIS, Q, "commentary drafted")
    with pytest.raises(ReviewError, match="Shorten why the review goes back to 500"):
        cycle.move(demo_store, charter, CHRIS, Q, "open", reason=over(500))
    assert len(actions.progress_log(demo_store, ident)) == 1


def test_evidence_fields_are_bounded(store, charter):
    base = dict(
        kind="partner-feedback", source="Parent forum", summary="Families said waits are long.",
        on=date(2026, 11, 1), statements=[5], indicators=[], no_personal_data=True,
    )  # fmt: skip
    with pytest.raises(evidence.EvidenceError, match="Shorten a short summary to 2,000"):
        evidence.add(store, charter, CHRIS, **{**base, "summary": over(2000)})
    ident = evidence.add(store, charter, CHRIS, **base)
    with pytest.raises(evidence.EvidenceError, match="why the evidence is withdrawn to 500"):
        evidence.withdraw(store, CHRIS, ident, over(500))


def test_an_older_release_reason_and_an_audit_search_are_bounded(store, charter):
    mapping = load_mapping(next(p for p in shipped_mappings() if p.name == "sen2-mi.yaml"), charter)
    with pytest.raises(EesError, match="Shorten the reason to 500"):
        import_ees(store, charter, "x.csv", b"a,b\n1,2\n", mapping, by=command_line(),
                   older_release=over(500))  # fmt: skip
    with pytest.raises(text_limits.TextTooLong, match="the words searched for to 200"):
        audit.entries(store, DEE, text=over(200))


def test_file_names_keep_their_ending_when_cut():
    assert text_limits.file_name("a" * 300 + ".xlsx") == "a" * 115 + ".xlsx"
    assert text_limits.file_name("b" * 300) == "b" * 120
    assert text_limits.file_name(Path("/tmp/../x/\u2067evil\u2069.csv").as_posix()) == "evil.csv"
