"""Evidence beyond the numbers: each kind saved and listed, the personal-data warnings, the
author's confirmation, attachments (cap, type, who may open them), withdrawal, and a repeated
survey becoming a series that feeds its indicator through an ordinary return."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfWriter

from metrics import evidence
from metrics.access import ADMIN, ANALYST, COUNCILLOR, MEMBER, AccessDenied, Actor, audit
from metrics.access.people import PROVIDER, command_line
from metrics.evidence import personal, survey
from metrics.ingest import load_file
from metrics.ingest.survey import survey_return
from metrics.store.queries import series

MEG = Actor("meg", "Meg Member", "meg@x.example", "app", frozenset({MEMBER}))
ANA = Actor("ana", "Ana Analyst", "ana@x.example", "app", frozenset({ANALYST}))
CLEO = Actor("cleo", "Cleo Councillor", "", "app", frozenset({COUNCILLOR}))
DEE = Actor("dee", "Dee Admin", "", "app", frozenset({ADMIN}))
TOM = Actor("tom", "Tom Provider", "", "app", frozenset({PROVIDER}), provider="short-breaks-trust")
TODAY = date(2026, 11, 26)


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    """A real PNG: attachments are decoded whole (issue 25), so a header alone is refused."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 160)).save(out, "PNG")
    return out.getvalue()


PNG = png_bytes()


def add(store, charter, who=MEG, **kw) -> int:
    values = dict(
        kind="family-voice",
        source="Parent carer forum coffee morning",
        summary="Families said the holiday schemes filled within a day of opening.",
        on=date(2026, 9, 14),
        statements=[7],
        no_personal_data=True,
        today=TODAY,
    )
    values.update(kw)
    return evidence.add(store, charter, who, **values)


@pytest.mark.parametrize("kind", sorted(evidence.KINDS))
def test_each_kind_of_evidence_is_saved_and_listed_under_its_statements(store, charter, kind):
    poll = (
        evidence.Survey("Were you satisfied with your short break?", 87, 62)
        if kind == "survey"
        else None
    )
    ident = add(store, charter, kind=kind, statements=[7, 3], indicators=["short-breaks-receiving"],
                survey=poll)  # fmt: skip
    [item] = evidence.listed(store, statement=3)
    assert (item.evidence_id, item.kind, item.statements) == (ident, kind, (7, 3))
    assert item.kind_name == evidence.KINDS[kind]
    assert item.indicators == ("short-breaks-receiving",)
    assert evidence.listed(store, statement=5) == []
    assert [i.evidence_id for i in evidence.listed(store, indicator="short-breaks-receiving")] == [
        ident
    ]
    assert (item.survey is not None) == (kind == "survey")
    [entry] = [e for e in audit.entries(store, command_line()) if e.kind == "evidence added"]
    assert entry.name == "Meg Member" and evidence.KINDS[kind] in entry.summary


def test_what_evidence_needs(store, charter):
    cases = [
        (dict(kind="rumour"), "kind is one of"),
        (dict(statements=[]), "which charter statement"),
        (dict(statements=[42]), "no statement 42"),
        (dict(indicators=["nope"]), "Unknown indicator: nope"),
        (dict(on=date(2026, 12, 1)), "in the future"),
        (dict(summary="  "), "summary"),
        (dict(kind="survey"), "needs its question"),
        (dict(kind="survey", survey=evidence.Survey("Q?", 0, 50)), "at least 1"),
        (dict(kind="survey", survey=evidence.Survey("Q?", 10, 120)), "0 to 100"),
        (dict(survey=evidence.Survey("Q?", 10, 50)), "Only a survey result"),
        (dict(no_personal_data=False), "Confirm that the evidence holds no personal data"),
    ]
    for change, message in cases:
        with pytest.raises(evidence.EvidenceError, match=message):
            add(store, charter, **change)
    assert evidence.listed(store, withdrawn=True) == []


def test_only_authors_add_evidence(store, charter):
    for who in (CLEO, DEE, TOM):
        with pytest.raises(AccessDenied):
            add(store, charter, who)
    assert add(store, charter, ANA) == 1


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Email jo.bloggs@example.org for the notes", "an email address"),
        ("Mum said ring her on 07700 900123", "a phone number"),
        ("Office line +44 20 7946 0958", "a phone number"),
        ("DOB 03/04/2015, waiting since May", "a date of birth"),
        ("He was born on 3 March 2015", "a date of birth"),
        ("NHS number 943 476 5919", "an NHS number"),
        ("Lives near WR1 2AB", "a postcode"),
        ("My son Jack waited two years", "a child's name"),
        ("my daughter, Amira, loves the club", "a child's name"),
    ],
)
def test_each_personal_data_pattern_is_caught(store, charter, text, what):
    found = personal.warnings(text)
    assert [w.what for w in found] == [what]
    with pytest.raises(evidence.EvidenceError, match="may hold personal data"):
        add(store, charter, summary=text)
    ident = add(store, charter, summary=text, despite_warnings=True)  # the author checked it
    [entry] = [e for e in audit.entries(store, command_line()) if e.object == f"evidence {ident}"]
    assert "personal-data warning" in entry.summary


def test_ordinary_evidence_is_not_flagged():
    clean = (
        "Families waited 18 weeks on average; 62% of 87 agreed in the survey of 12/03/2026. "
        "My son is happier since the keyworker started. Ref 1234567890, 2,345 children, "
        "call the SEND team on the number on the Local Offer. Year 9 reviews: 14 of 20."
    )
    assert personal.warnings(clean) == []
    assert not personal.nhs_number_valid("1234567890") and personal.nhs_number_valid("9434765919")


def test_attachments_are_capped_typed_and_for_staff_only(store, charter):
    pdf = evidence.checked("visit-notes.pdf", pdf_bytes())
    ident = add(store, charter, kind="front-line-visit", attachment=pdf)
    [item] = evidence.listed(store)
    assert item.attachment == ("visit-notes.pdf", "application/pdf", pdf.size)
    for who in (MEG, ANA, DEE):
        assert evidence.opened(store, who, ident).content == pdf.content
    for who in (CLEO, TOM):
        with pytest.raises(AccessDenied):
            evidence.opened(store, who, ident)
    assert evidence.checked("photo.PNG", PNG).media_type == "image/png"
    with pytest.raises(evidence.EvidenceError, match="at most 5 MB"):
        evidence.checked("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(evidence.EvidenceError, match="named as a PDF but is not one"):
        evidence.checked("notes.pdf", b"MZ\x90\x00 a program")
    with pytest.raises(evidence.EvidenceError, match="must be a PDF, a PNG image or a JPEG"):
        evidence.checked("notes.docx", b"PK\x03\x04")
    with pytest.raises(evidence.EvidenceError, match="has no attachment"):
        evidence.opened(store, MEG, add(store, charter))


def test_withdrawn_evidence_is_kept_but_not_shown(store, charter):
    ident = add(store, charter, attachment=evidence.checked("a.png", PNG))
    with pytest.raises(evidence.EvidenceError, match="why the evidence is withdrawn"):
        evidence.withdraw(store, MEG, ident, "")
    evidence.withdraw(store, MEG, ident, "Added to the wrong statement")
    assert evidence.listed(store) == []
    [kept] = evidence.listed(store, withdrawn=True)
    assert kept.withdrawn_why == "Added to the wrong statement"
    with pytest.raises(evidence.EvidenceError, match="already withdrawn"):
        evidence.withdraw(store, MEG, ident, "again")
    with pytest.raises(evidence.EvidenceError, match="withdrawn"):
        evidence.opened(store, MEG, ident)
    kinds = [e.kind for e in audit.entries(store, command_line())]
    assert kinds[:2] == ["evidence withdrawn", "evidence added"]


def test_a_repeated_survey_becomes_a_series_that_feeds_its_indicator(store, charter):
    question = "Overall, how satisfied are you with your child's short breaks?"
    results = [(date(2024, 3, 10), 74, 71.0), (date(2025, 3, 9), 81, 66.0),
               (date(2026, 3, 15), 87, 62.0)]  # fmt: skip
    for on, answered, share in results:
        asked = (
            question
            if on.year != 2025
            else "  overall, how SATISFIED are you with your child's short breaks "
        )
        add(store, charter, kind="survey", on=on, statements=[7],
            indicators=["short-breaks-satisfaction"],
            survey=evidence.Survey(asked, answered, share))  # fmt: skip
    add(
        store, charter, kind="survey", survey=evidence.Survey("Was the Local Offer useful?", 40, 55)
    )
    found = survey.series(evidence.listed(store))
    assert [len(s.points) for s in found] == [3, 1]
    points = found[0].points
    assert [(p.on, p.answered, p.agreed) for p in points] == [
        (date(2024, 3, 10), 74, 53), (date(2025, 3, 9), 81, 53), (date(2026, 3, 15), 87, 54)
    ]  # fmt: skip
    content = survey_return(charter, found, "short-breaks-satisfaction")
    report = load_file(store, charter, "survey.csv", content, by="Ana Analyst")
    assert report.ok, [e.as_text() for e in report.errors]
    stored = series(store, "short-breaks-satisfaction", charter.council.code)
    assert [(r.period, r.value) for r in stored] == [
        ("2023-24", 72),
        ("2024-25", 65),
        ("2025-26", 62),
    ]
    with pytest.raises(evidence.EvidenceError, match="not a percentage"):
        survey_return(charter, found, "autism-assessment-median-wait")
    with pytest.raises(evidence.EvidenceError, match="No survey result is tied"):
        survey_return(charter, found, "annual-reviews-on-time")


def test_a_statement_without_figures_is_evidenced_by_what_families_and_staff_tell_us(
    store, charter
):
    from metrics.assess.rollup import charter_status
    from metrics.periods.text import parse_period

    add(store, charter, statements=[7, 2])
    add(store, charter, kind="front-line-visit", statements=[7], on=date(2026, 5, 2))
    add(store, charter, statements=[9], on=date(2025, 6, 1))  # over a year before: not recent
    withdrawn = add(store, charter, statements=[4])
    evidence.withdraw(store, MEG, withdrawn, "wrong statement")
    by_number = {s.number: s for s in charter_status(store, charter, parse_period("2026-27 Q2"))}
    seven = by_number[7]
    assert (seven.status, seven.evidence) == ("not_evidenced", 2)
    assert "evidenced by what families and staff tell us: 2 evidence items in the last year" in (
        seven.reason
    )
    assert "family or young person's voice, front-line visit" in seven.reason
    assert by_number[2].evidence == 1
    for number in (4, 9, 1):
        assert by_number[number].evidence == 0
        assert "families and staff" not in by_number[number].reason
    before = {
        s.number: s.evidence for s in charter_status(store, charter, parse_period("2025-26 Q1"))
    }
    assert (before[7], before[9]) == (0, 1)  # as the evidence stood then
