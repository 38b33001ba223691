"""The demo council's evidence: what families, young people, front-line staff and partners
told Wrenfield over the last two years, including three years of the parent carer forum's
short breaks survey (the same figures the indicator holds). Fictional throughout, and no
personal data."""

from __future__ import annotations

from datetime import date

from charter import Charter
from metrics.access.people import EVERY_ROLE, Actor
from metrics.evidence.attachments import Attachment
from metrics.evidence.items import Survey, add
from metrics.store.connection import Store

ANALYST = Actor("demo-analyst", "Ana Analyst (demo)", "", "cli", EVERY_ROLE)
SHORT_BREAKS_QUESTION = "Overall, are you satisfied with the short breaks your child receives?"
LISTENED_QUESTION = "Do you feel listened to when decisions are made about your child's support?"

# (kind, date, source, summary, statements, indicators, survey)
ITEMS: list[tuple[str, date, str, str, list[int], list[str], Survey | None]] = [
    ("survey", date(2024, 3, 12), "Parent carer forum short breaks survey 2024",
     "The annual short breaks survey, run with the parent carer forum.", [7, 3],
     ["short-breaks-satisfaction"], Survey(SHORT_BREAKS_QUESTION, 60, 68)),
    ("survey", date(2025, 3, 11), "Parent carer forum short breaks survey 2025",
     "The annual short breaks survey. Comments were mostly about holiday schemes filling "
     "quickly.", [7, 3], ["short-breaks-satisfaction"], Survey(SHORT_BREAKS_QUESTION, 56, 70)),
    ("survey", date(2026, 3, 10), "Parent carer forum short breaks survey 2026",
     "The annual short breaks survey. Families praised the new Saturday club and asked for "
     "more places in the north of the borough.", [7, 3], ["short-breaks-satisfaction"],
     Survey(SHORT_BREAKS_QUESTION, 63, 70)),
    ("survey", date(2025, 11, 20), "Parent carer forum annual survey 2025",
     "Part of the forum's annual survey of its members.", [3, 2], [],
     Survey(LISTENED_QUESTION, 212, 48)),
    ("survey", date(2026, 6, 18), "Parent carer forum mid-year survey 2026",
     "The same question asked again mid-year, after co-production training for caseworkers.",
     [3, 2], [], Survey(LISTENED_QUESTION, 164, 55)),
    ("family-voice", date(2026, 7, 8), "Young people's SEND forum",
     "Young people said the youth club in the town centre is the first place they have felt "
     "welcome, but that buses after 6pm are not accessible, so they cannot get home.",
     [9, 2], [], None),
    ("family-voice", date(2026, 5, 14), "Parent carer forum coffee morning, north locality",
     "Parents said the Local Offer website is hard to search on a phone and that they rely on "
     "other parents for information about what is available.", [4], ["local-offer-visits"],
     None),
    ("front-line-visit", date(2026, 6, 3), "Director's visit to the autism assessment team",
     "Clinicians described referrals up by a third since the schools' awareness campaign. "
     "Triage is working, but families wait on average over a year for a first appointment.",
     [5], ["autism-assessment-median-wait", "autism-assessment-waiting"], None),
    ("front-line-visit", date(2026, 8, 12), "Visit to the summer holiday scheme",
     "Staff said the extra places filled within a day again, and that the scheme turned away "
     "children who need two-to-one support because of staffing.", [7],
     ["short-breaks-receiving"], None),
    ("case-study", date(2026, 4, 22), "Keyworker service case study",
     "A family with three services involved had one keyworker from January. Appointments "
     "were combined, the family told their story once, and school attendance improved.",
     [6], ["keyworker-complex-needs"], None),
    ("partner-feedback", date(2026, 9, 9), "SENCO network meeting",
     "SENCOs said EHC plans arrive with outcomes that are hard to measure, and that advice "
     "from speech and language therapy is often late.", [5, 10],
     ["ehcp-issued-20-weeks", "speech-therapy-median-wait"], None),
    ("partner-feedback", date(2026, 7, 1), "Integrated care board quality review",
     "The ICB reported that speech and language therapy waits rose after two therapists left, "
     "and that agency cover starts in October.", [10], ["speech-therapy-median-wait"], None),
    ("audit-finding", date(2026, 9, 24), "Audit of twenty EHC plans (council quality team)",
     "Fourteen of twenty plans were good or better. Preparation for adulthood outcomes were "
     "missing from five plans for young people aged 14 or over.", [5, 11],
     ["pfa-review-14-plus"], None),
]  # fmt: skip


def one_page_pdf(text: str) -> bytes:
    """A small, valid one-page PDF holding one line of text (the demo's attachment)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 50 780 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed_evidence(store: Store, charter: Charter, today: date) -> dict[str, int]:
    """Add the demo's evidence items; returns their numbers by source."""
    out = {}
    for kind, on, source, summary, statements, indicators, survey in ITEMS:
        attachment = None
        if kind == "audit-finding":
            attachment = Attachment(
                "ehc-plan-audit-summary.pdf", "application/pdf",
                one_page_pdf("EHC plan audit, September 2026: summary of findings (demo)"),
            )  # fmt: skip
        out[source] = add(
            store, charter, ANALYST, kind=kind, source=source, summary=summary, on=on,
            statements=statements, indicators=indicators, survey=survey,
            no_personal_data=True, attachment=attachment, today=today,
        )  # fmt: skip
    return out
