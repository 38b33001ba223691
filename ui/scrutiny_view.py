"""The scrutiny view's sections: plain English for councillors and residents, laid out as one
column of short blocks so that a phone shows each status word and figure without scrolling
sideways. Every piece of text a person typed is escaped."""

from __future__ import annotations

import streamlit as st

import ui
from charter import Charter
from metrics.dates import long_date, short_date
from metrics.publish.escape import markdown
from metrics.review import agreed
from metrics.review.common import subject_title
from metrics.scrutiny import questions
from metrics.scrutiny.lines import Line
from metrics.scrutiny.view import Scrutiny
from ui import forms, review_view, style

ASK, ASK_SUBJECT, ASK_TEXT = "ask_question", "scrutiny_subject", "scrutiny_question"
ASK_OFFICER = "scrutiny_officer"


def statements(view: Scrutiny) -> None:
    st.header("How we are doing")
    cards = []
    for s in view.statements:
        parts = [f"**{s.number}. {markdown(s.title)}**", style.badge(s.status)]
        if s.agreed_status:  # beside the computed status, never instead of it, with why
            parts.append(markdown(agreed.beside(s.status, s.agreed)))
        elif s.held_back:  # touches a withheld figure: why it is not published
            parts.append(review_view.note(markdown(s.agreed)))
        parts.append(f"{markdown(s.headline)}  \n{markdown(s.sentence)}")
        cards.append(style.card(parts))
    # the twelve cards one element (Streamlit's cost is per element; bench/README.md)
    st.markdown("\n\n".join(cards), unsafe_allow_html=True)


def _line_text(x: Line, moving: bool) -> str:
    how = f" This has been so {x.moving()}." if moving and x.moving_for > 1 else ""
    return f"- **{markdown(x.title)}**: {markdown(x.figure)} {markdown(x.change)}{how}"


def better_and_worse(view: Scrutiny) -> None:
    st.header("What has got better, and what has got worse")
    for heading, lines in (("Better", view.better), ("Worse", view.worse)):
        listed = "\n".join(_line_text(x, moving=True) for x in lines)
        st.markdown(f"### {heading}\n\n{listed or 'Nothing this time.'}")  # one element each
    stuck = [x for x in view.lines if x.status == "off_track"]
    if stuck:
        listed = "\n".join(f"- **{markdown(x.title)}**: {markdown(x.how_long())}" for x in stuck)
        st.markdown(f"### Short of its aim, and for how long\n\n{listed}")


def compare(view: Scrutiny) -> None:
    st.header("How we compare with England and similar councils")
    lines = [x for x in view.lines if x.compare]
    listed = "\n".join(f"- **{markdown(x.title)}**: {markdown(x.compare)}" for x in lines)
    st.markdown(listed or "No published figures to compare with yet.")


def being_done(view: Scrutiny, charter: Charter) -> None:
    st.header("What is being done")
    listed = "\n".join(
        f"- **{markdown(a.title)}**: {markdown(charter.owner_name(a.owner))}, due "
        f"{long_date(a.due)}; {markdown(a.state())}."
        for a in view.open_actions
    )
    st.markdown(listed or "No open actions.")  # one element for the list


def suggested(view: Scrutiny) -> None:
    st.header("Questions members may want to ask")
    st.caption("Worked out from the figures and actions above.")
    st.markdown("\n".join(f"1. {markdown(q.text)}" for q in view.suggested) or "None.")


def asked(view: Scrutiny, charter: Charter) -> None:
    st.header("Members' questions and answers")
    person = ui.user()
    if not view.asked:
        st.markdown("No questions recorded for this quarter or the last.")
    with ui.plain_failure():
        # who answers each question: a write changes the data version, so shared per
        # version like a chart (it opened the database in every run of the page)
        officers = (
            ui.figure("officers", build=lambda: questions.officers(ui.store()))
            if view.asked
            else {}
        )
    for q in view.asked:
        with st.container(border=True):
            st.markdown(
                f"**Question {q.question_id}** on {markdown(subject_title(charter, q.subject))} "
                f"({q.quarter})  \n{markdown(q.question)}"
            )
            officer = officers.get(q.question_id)
            to = f" To be answered by {markdown(charter.owner_name(officer))}." if officer else ""
            st.caption(f"Asked by {markdown(q.asked_by)}, {short_date(q.asked_at)}.{to}")
            for r in q.replies:
                st.markdown(f"*{r.kind.capitalize()}:* {markdown(r.text)}")
                st.caption(f"{markdown(r.written_by)}, {short_date(r.written_at)}.")
            if not q.answered and person.may(*questions.ASSIGNERS):
                _assign(q.question_id, officer, charter)
            if not q.answered and person.may(*questions.OFFICERS):
                _reply(q.question_id, questions.ANSWER, questions.OFFICERS)
            if person.may(*questions.ASKERS):
                _reply(q.question_id, questions.FOLLOW_UP, questions.ASKERS)


def _assign(question_id: int, officer: str | None, charter: Charter) -> None:
    """The chair gives the question to an officer: reminders go to them from now on."""
    form = f"assign_{question_id}"
    forms.said(form)
    owners = list(charter.owners)
    with st.form(forms.key(form, "")):
        chosen = st.selectbox(
            "Officer to answer it", owners, format_func=charter.owner_name,
            index=owners.index(officer) if officer in owners else 0,
            key=forms.key(form, "officer"),
        )  # fmt: skip
        if st.form_submit_button("Give it to this officer"):
            done = review_view.attempt(
                questions.ASSIGNERS, "assign a scrutiny question to an officer",
                lambda p: questions.assign(ui.store(), charter, p, question_id, chosen) or True,
            )  # fmt: skip
            if done is not None:
                forms.saved(form, f"Question {question_id} is now {charter.owner_name(chosen)}'s.")


def _reply(question_id: int, kind: str, roles: frozenset[str]) -> None:
    form = f"reply_{kind}_{question_id}"
    forms.said(form)
    sent = forms.token(form)  # sent twice, it is recorded once
    with st.form(forms.key(form, "")):
        text = st.text_area(f"Your {kind}", max_chars=2000, key=forms.key(form, "text"))
        if st.form_submit_button(f"Record the {kind}"):
            done = review_view.attempt(
                roles, f"record a {kind}",
                lambda p: questions.reply(ui.store(), p, question_id, kind, text, token=sent),
            )  # fmt: skip
            if done is not None:
                forms.saved(form, f"Your {kind} is recorded.")


def ask(view: Scrutiny, charter: Charter) -> None:
    if not ui.user().may(*questions.ASKERS):
        return
    st.subheader("Record a question")
    subjects = [f"statement:{s.number}" for s in charter.statements] + [
        f"indicator:{i}" for i in charter.indicators
    ]
    forms.said(ASK)
    sent = forms.token(ASK)  # sent twice, it is recorded once
    with st.form(forms.key(ASK, "")):
        subject = st.selectbox(
            "About", subjects, format_func=lambda s: subject_title(charter, s),
            key=forms.key(ASK, ASK_SUBJECT),
        )  # fmt: skip
        text = st.text_area("Question", max_chars=2000, key=forms.key(ASK, ASK_TEXT))
        officer = st.selectbox(
            "Officer to answer it (optional)", ["", *charter.owners],
            format_func=lambda o: charter.owner_name(o) if o else "Let the chair choose",
            key=forms.key(ASK, ASK_OFFICER),
        )  # fmt: skip
        if st.form_submit_button("Record the question"):
            number = review_view.attempt(
                questions.ASKERS, "record a scrutiny question",
                lambda p: questions.ask(
                    ui.store(), charter, p, view.quarter, subject, text, token=sent,
                    officer=officer or None,
                ),
            )  # fmt: skip
            if number is not None:
                forms.saved(ASK, f"Question {number} recorded; an officer will answer it.")
