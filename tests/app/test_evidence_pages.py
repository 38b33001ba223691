"""Evidence and the leadership self-review in the app, on the demo database (issue 16): who
sees what, adding evidence through the personal-data checks, attachments for staff only,
evidence beside statements and indicators; the self-review page's answers, history and gaps,
answering, signing off and opening the next point."""

from __future__ import annotations

import ui
from metrics import evidence
from metrics.leadership import self_review as sr
from tests.app.test_returns import table, texts
from ui import access


def as_role(role: str) -> dict[str, str]:
    return {access.DEMO_ROLE: role}


def keyed(widgets, name: str):
    """The add-evidence form's widget named `name` (its key changes with each drawing of the
    form: ui/forms.py)."""
    return next(w for w in widgets if f":{name}:" in (w.key or ""))


def submit(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_everyone_reads_the_evidence_and_only_staff_get_attachments(fresh):
    councillor = fresh(ui.EVIDENCE_PAGE, **as_role("councillor")).run()
    assert not councillor.exception, councillor.exception
    shown = texts(councillor)
    assert "Director's visit to the autism assessment team" in shown
    assert "staff can open it" in "\n".join(c.value for c in councillor.caption)
    assert not [b for b in councillor.get("download_button") if "attachment" in b.proto.label]
    assert "Add evidence" not in [h.value for h in councillor.header]
    member = fresh(ui.EVIDENCE_PAGE, **as_role("member")).run()
    # labels are Markdown: the file name is escaped, so read them as shown
    labels = [b.proto.label.replace("\\", "") for b in member.get("download_button")]
    assert any(x.startswith("Open the attachment: ehc-plan-audit-summary.pdf") for x in labels)
    assert "Add evidence" in [h.value for h in member.header]
    analyst = fresh(ui.EVIDENCE_PAGE, **as_role("analyst")).run()
    labels = [b.proto.label for b in analyst.get("download_button")]
    assert any("as a return for Parents satisfied with short breaks" in x for x in labels)


def test_a_member_adds_evidence_through_the_personal_data_checks(fresh):
    opened = fresh(ui.EVIDENCE_PAGE, **as_role("member"))
    at = opened.run()
    keyed(at.selectbox, "evidence_kind").set_value("front-line-visit")
    keyed(at.text_input, "evidence_source").input("Visit to the north locality team")
    keyed(at.text_area, "evidence_summary").input("Workers said my son Jack waits too long.")
    keyed(at.multiselect, "evidence_statements").set_value([5])
    submit(at, "Save the evidence")
    assert "Confirm that the evidence holds no personal data" in texts(at)
    keyed(at.checkbox, "evidence_clean").check()
    submit(at, "Save the evidence")
    assert "a child's name" in "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "may hold personal data" in texts(at)
    keyed(at.text_area, "evidence_summary").input("Workers said waits for assessment are long.")
    submit(at, "Save the evidence")
    assert any("saved" in s.value for s in at.success), texts(at)
    [item] = [x for x in evidence.listed(fresh.store) if x.source.startswith("Visit to the north")]
    assert item.statements == (5,) and item.kind == "front-line-visit"


def test_statement_and_indicator_pages_show_what_families_and_staff_tell_us(fresh):
    statement = fresh(ui.STATEMENT_PAGE, **as_role("councillor"))
    statement.at.query_params["statement"] = "5"
    at = statement.run()
    assert not at.exception, at.exception
    assert "What families and front-line staff tell us" in [h.value for h in at.subheader]
    assert "Fourteen of twenty plans were good or better" in texts(at)
    indicator = fresh(ui.INDICATOR_PAGE, **as_role("member"))
    indicator.at.query_params["indicator"] = "short-breaks-satisfaction"
    at = indicator.run()
    assert not at.exception, at.exception
    assert "70% of 63 agreed" in texts(at)


def test_the_self_review_page_for_leaders(fresh):
    refused = fresh(ui.SELF_REVIEW_PAGE, **as_role("councillor")).run()
    assert "You do not have access to this page" in [t.value for t in refused.title]
    opened = fresh(ui.SELF_REVIEW_PAGE, **as_role("chair"))
    at = opened.run()
    assert not at.exception, at.exception
    latest = table(at, "Confidence")
    assert len(latest) == 10 and "Partly confident" in set(latest["Confidence"])
    history = table(at, "31 Mar 2026")
    assert list(history.columns[-2:]) == ["31 Mar 2026", "30 Sep 2026"]
    assert at.get("plotly_chart") and "Line chart of how many self-review questions" in (
        "\n".join(c.value for c in at.caption).replace("\\", "")
    )
    assert "lead member and elected members" in texts(at)  # low, no action
    keyed(at.selectbox, "self_review_question").set_value("political-figures")
    keyed(at.radio, "self_review_confidence").set_value("mostly")
    keyed(at.text_area, "self_review_will_do").input("The lead member joins the planning group.")
    submit(at, "Save the answer")
    assert any("Answer saved (version 2)" in s.value for s in at.success), texts(at)
    submit(at, "Sign off this review point")
    assert any("signed off" in s.value for s in at.success), texts(at)
    points = sr.points(fresh.store)
    assert points[-1].state == sr.SIGNED_OFF
    again = fresh(ui.SELF_REVIEW_PAGE, **as_role("chair")).run()
    assert "Save the answer" not in [b.label for b in again.button]  # frozen
    assert "Open a review point" in [b.label for b in again.button]


def test_a_survey_of_a_handful_is_withheld_from_councillors(fresh, charter):
    from datetime import date

    from metrics.access.people import demo

    evidence.add(
        fresh.store, charter, demo("analyst"), kind="survey", source="Young carers group",
        summary="A short poll at the group.", on=date(2026, 9, 2), statements=[2],
        survey=evidence.Survey("Did the group help?", 4, 75), no_personal_data=True,
        today=date(2026, 11, 26),
    )  # fmt: skip
    councillor = texts(fresh(ui.EVIDENCE_PAGE, **as_role("councillor")).run())
    assert "[c], answered by 5 or fewer" in councillor and "75% of 4" not in councillor
    member = texts(fresh(ui.EVIDENCE_PAGE, **as_role("member")).run())
    assert "75% of 4 agreed" in member


def test_the_attachment_uploader_takes_what_its_label_says(fresh):
    """Its label said 'up to 5 MB' while Streamlit's own hint beside it said 50MB (the
    server's limit for returns): the uploader takes no more than the label says."""
    at = fresh("pages/16_Evidence.py", **{access.DEMO_ROLE: "member"}).run()
    protos = [getattr(n, "proto", None) for n in at.main]
    [uploader] = [p for p in protos if p is not None and p.DESCRIPTOR.name == "FileUploader"]
    mb = evidence.attachments.MAX_BYTES // 1024 // 1024
    assert f"up to {mb} MB" in uploader.label and uploader.max_upload_size_mb == mb
