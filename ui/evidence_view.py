"""What families and front-line staff tell us: evidence items shown (on their own page and
beside the statement or indicator they speak to), added with the personal-data checks, and
withdrawn. Attachments are offered only to the roles that may open them; every handler
checks the role again."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from charter import Charter
from metrics import evidence
from metrics.access import Actor
from metrics.dates import FORM_FORMAT, long_date
from metrics.evidence import attachments, personal, survey
from metrics.evidence.items import AUTHORS, EvidenceItem
from metrics.ingest.survey import survey_return
from metrics.publish.escape import markdown
from metrics.publish.policy import SurveyCells
from metrics.store.connection import Store
from ui import downloads, forms
from ui.review_view import attempt

HEADING = "What families and front-line staff tell us"
ADD, WITHDRAW = "evidence_add", "evidence_withdraw"


def item(found: EvidenceItem, key: str) -> None:
    """One item: what, when and from where; the summary as plain text; the survey result;
    the attachment for staff."""
    said = [f"**{markdown(found.headline())}**", markdown(found.summary)]
    if found.survey is not None:
        [shown] = ui.policy().publish(SurveyCells([found.survey]), ui.audience())
        said.append(markdown(f"Survey: {shown.words(found.survey.question)}"))
    st.markdown("\n\n".join(said))  # one element (Streamlit's cost is per element)
    if found.attachment is not None:
        name, media_type, size = found.attachment
        person = ui.user()
        if person.may(*attachments.READERS):
            store, ident = ui.store(), found.evidence_id

            def content() -> bytes:  # read when clicked, checked again for the person shown it
                return evidence.opened(store, person, ident).content

            downloads.button(f"Open the attachment: {markdown(name)} ({size / 1024:,.0f} KB)",
                             content, name, mime=media_type, key=f"{key}_file_{found.evidence_id}",
                             roles=attachments.READERS)  # fmt: skip
        else:
            st.caption("An attachment goes with this item; staff can open it.")


def beside(statement: int, until: date | None = None) -> None:
    """The section on a statement page: recent items about it."""
    with ui.plain_failure():
        found = ui.evidence_about(statement, until)
    items_beside(found)


def items_beside(found: list[EvidenceItem]) -> None:
    """The section on a statement or indicator page: the latest of the items about it."""
    st.subheader(HEADING)
    if not found:
        st.caption("No evidence from families or staff has been added for this in the last year.")
        return
    for x in found[:5]:
        item(x, "beside")
    if len(found) > 5:
        st.caption(f"{len(found) - 5} more on the Evidence page.")
    ui.link(ui.EVIDENCE_PAGE, "All evidence", ui.carried())


def add_form(store: Store, charter: Charter) -> None:
    st.header("Add evidence")
    forms.said(ADD)
    sent = forms.token(ADD)  # sent twice, it is saved once
    with st.expander("What the personal-data check looks for, and what it does not"):
        st.markdown("Checked: " + "; ".join(personal.CHECKED) + ".")
        st.markdown("Not checked: " + "; ".join(personal.NOT_CHECKED) + ".")
    with st.form(forms.key(ADD, "")):
        kind = st.selectbox("Kind", list(evidence.KINDS), format_func=evidence.KINDS.__getitem__,
                            key=forms.key(ADD, "evidence_kind"))  # fmt: skip
        on = st.date_input(
            "Date heard", date.today(), key=forms.key(ADD, "evidence_date"), format=FORM_FORMAT
        )
        source = st.text_input("Source (a group or event, not a person)", max_chars=200,
                               key=forms.key(ADD, "evidence_source"))  # fmt: skip
        summary = st.text_area("What we heard, in a few sentences", max_chars=2000,
                               key=forms.key(ADD, "evidence_summary"))  # fmt: skip
        numbers = st.multiselect(
            "Charter statements it speaks to", [s.number for s in charter.statements],
            format_func=lambda n: f"{n}. {charter.statement(n).short_title}",
            key=forms.key(ADD, "evidence_statements"),
        )  # fmt: skip
        linked = st.multiselect("Indicators it explains (optional)", list(charter.indicators),
                                format_func=lambda i: charter.indicators[i].title,
                                key=forms.key(ADD, "evidence_indicators"))  # fmt: skip
        st.markdown("For a survey result only:")
        question = st.text_input(
            "Survey question", max_chars=300, key=forms.key(ADD, "evidence_question")
        )
        answered = st.number_input("Number who answered", min_value=0, step=1,
                                   key=forms.key(ADD, "evidence_answered"))  # fmt: skip
        share = st.number_input("Percentage who agreed", min_value=0.0, max_value=100.0,
                                step=1.0, key=forms.key(ADD, "evidence_share"))  # fmt: skip
        upload = st.file_uploader(
            f"Attachment (optional): a PDF, PNG or JPEG up to "
            f"{attachments.MAX_BYTES // 1024 // 1024} MB", type=["pdf", "png", "jpg", "jpeg"],
            key=forms.key(ADD, "evidence_file"),
            max_upload_size=attachments.MAX_BYTES // 1024 // 1024,  # its hint says the same
        )  # fmt: skip
        clean = st.checkbox("It holds no personal data about any child or family",
                            key=forms.key(ADD, "evidence_clean"))  # fmt: skip
        despite = st.checkbox("I have read any personal-data warnings: they are not personal data",
                              key=forms.key(ADD, "evidence_despite"))  # fmt: skip
        if not st.form_submit_button("Save the evidence"):
            return
    for w in personal.warnings(source, summary, question):
        st.warning(markdown(w.sentence()))

    def save(person: Actor) -> int:
        poll = evidence.Survey(question, int(answered), float(share)) if kind == "survey" else None
        attached = evidence.checked(upload.name, upload.getvalue()) if upload else None
        return evidence.add(
            store, charter, person, kind=kind, source=source, summary=summary, on=on,
            statements=numbers, indicators=linked, survey=poll, no_personal_data=clean,
            despite_warnings=despite, attachment=attached, token=sent,
        )  # fmt: skip

    ident = attempt(AUTHORS, "add evidence", save)
    if ident is not None:
        forms.saved(ADD, f"Evidence item {ident} saved.")


def withdraw_form(store: Store, found: list[EvidenceItem]) -> None:
    if not found:
        return
    st.header("Withdraw an item")
    forms.said(WITHDRAW)
    by_id = {x.evidence_id: x for x in found}
    with st.form("evidence_withdraw"):
        ident = st.selectbox("Item", list(by_id), key="withdraw_item",
                             format_func=lambda i: f"#{i} {by_id[i].headline()}")  # fmt: skip
        reason = forms.text_box("Why it is withdrawn", key="withdraw_reason", required=True,
                                max_chars=500)  # fmt: skip
        if not st.form_submit_button("Withdraw it") or forms.refused(reason):
            return
    done = attempt(
        AUTHORS, "withdraw evidence",
        lambda person: evidence.withdraw(store, person, ident, reason.value) or True,
    )  # fmt: skip
    if done:
        forms.saved(WITHDRAW, f"Evidence item {ident} withdrawn; it is kept in the audit trail.")


def surveys(charter: Charter, found: list[EvidenceItem]) -> None:
    """Each repeated survey question as a series, and its return for the indicator it feeds."""
    series = [s for s in survey.series(found) if len(s.points) > 1]
    if not series:
        return
    st.header("Surveys asked more than once")
    for k, s in enumerate(series):
        st.markdown(f"**{markdown(s.question)}**")
        shown = ui.policy().publish(SurveyCells(s.points), ui.audience())  # [c] for a handful
        st.dataframe(
            [{"Date": long_date(p.result.on), "Answered": p.answered,
              "Agreed (%)": p.agreed_share, "Source": p.result.source} for p in shown],
            hide_index=True, key=f"survey_{k}",
        )  # fmt: skip
        for ind in s.indicators:
            if ui.user().may(ui.ANALYST) and charter.indicators[ind].unit == "percent":
                with ui.plain_failure():  # a return that cannot be made says so on the page
                    content = survey_return(charter, [s], ind)
                # Analysts only: handed over on the click, role checked then, link short-lived.
                downloads.button(
                    f"Download as a return for {charter.indicators[ind].title} (CSV, to upload)",
                    downloads.ready(content), f"survey-{ind}.csv", mime="text/csv",
                    key=f"survey_csv_{k}_{ind}", roles=frozenset({ui.ANALYST}),
                )  # fmt: skip
