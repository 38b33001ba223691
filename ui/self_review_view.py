"""The leadership self-review's sections: the latest answers, confidence over time (a chart
and its table), the answers below "mostly confident" with no action, and the forms: the chair
opens and signs off a review point, members and the chair answer. Every handler checks the
role again."""

from __future__ import annotations

from datetime import date

import streamlit as st

from charter import Charter
from metrics.dates import FORM_FORMAT, long_date
from metrics.leadership import self_review as sr
from metrics.publish.escape import markdown
from metrics.review import actions
from metrics.store.connection import Store
from ui import charts, forms, style
from ui.figspec import Spec
from ui.review_view import attempt

LEVEL = {c: k for k, c in enumerate(sr.CONFIDENCE)}
OPEN, ANSWER, SIGN_OFF = "self_review_open", "self_review_answer", "self_review_sign_off"


def _questions(charter: Charter) -> list[str]:
    return charter.question_ids()


def latest(
    store: Store,
    charter: Charter,
    point: sr.Point,
    found: dict[str, sr.Answer],
    headlines: dict[int, str],
) -> None:
    """Every question's answer at the point; `headlines`: evidence items' by number."""
    forms.said(OPEN)  # opening or signing off a point takes its form away: said here
    forms.said(SIGN_OFF)
    st.header(f"Answers at the review of {point.label} ({point.state})")
    titles = {a.action_id: a.title for a in actions.listed(store)}
    rows = []
    for theme in charter.self_review:
        for q in theme.every_question():
            a = found.get(q.id)
            rows.append(
                {
                    "Theme": theme.title,
                    "Question": q.text,
                    "Confidence": sr.CONFIDENCE_WORDS[a.confidence] if a else "Not answered",
                    "Evidence for it": "; ".join(
                        sr.link_words(x, charter, headlines, titles) for x in a.links
                    )
                    if a
                    else "",
                    "What we will do": a.will_do if a else "",
                    "Answered by": a.answered_by if a else "",
                }
            )
    st.dataframe(rows, hide_index=True, key="self_review_latest")


def over_time(charter: Charter, answered: dict[date, dict[str, sr.Answer]]) -> None:
    """How many questions were answered at each confidence level, at each review point."""
    st.header("How confidence has moved")
    when = sorted(answered)
    labels = [f"{d.day} {d:%b %Y}" for d in when]
    counts = {
        c: [sum(a.confidence == c for a in answered[d].values()) for d in when]
        for c in sr.CONFIDENCE
    }
    spec = Spec()
    # the house palette's colours of 3:1 or more on white (WCAG 1.4.11), each its own dash
    colours = [style.OKABE_ITO[c] for c in ("vermillion", "green", "blue", "black")]
    lines = zip(sr.CONFIDENCE, ("dot", "dash", "dashdot", "solid"), colours, strict=True)
    for c, dash, colour in lines:
        spec.add(
            {
                "type": "scatter",
                "x": labels,
                "y": counts[c],
                "mode": "lines+markers+text",
                "name": sr.CONFIDENCE_WORDS[c],
                "line": {"dash": dash, "color": colour},
                "marker": {"color": colour},
                "text": [str(v) for v in counts[c]],
                "textposition": "top center",
            }
        )
    spec.update(
        font={"color": "#1F1F1F"},  # the labels and counts: text, 16:1 on white
        plot_bgcolor="white",
        paper_bgcolor="white",
        yaxis={"title": {"text": "Questions"}, "gridcolor": style.GRID},
        height=360,
        margin={"t": 30},
        legend={"orientation": "h", "y": -0.2},
    )
    fig = spec.figure()
    alt = "Line chart of how many self-review questions leaders answered at each level of "
    alt += (
        "confidence, at each review point: "
        + "; ".join(
            f"{label}: "
            + ", ".join(f"{counts[c][k]} {sr.CONFIDENCE_WORDS[c].lower()}" for c in sr.CONFIDENCE)
            for k, label in enumerate(labels)
        )
        + "."
    )
    counted = [
        {"Review point": label, **{sr.CONFIDENCE_WORDS[c]: counts[c][k] for c in sr.CONFIDENCE}}
        for k, label in enumerate(labels)
    ]
    charts.chart_with_table(
        fig,
        alt,
        counted,
        "self-review-confidence.csv",
        "self_review",
        about="how confidence has moved",
    )
    st.markdown("**Each question at each review point**")
    st.dataframe(sr.history_rows(charter, answered), hide_index=True, key="self_review_history")


def gaps(charter: Charter, store: Store) -> None:
    st.header("Below \u201cmostly confident\u201d with no action agreed")
    order = _questions(charter)
    low = sorted(
        (a for a in sr.low_without_action(store) if a.question_id in order),  # still asked
        key=lambda a: order.index(a.question_id),
    )
    if not low:
        st.success("Every answer below \u201cmostly confident\u201d has an action agreed.")
        return
    for a in low:
        question = markdown(charter.question(a.question_id))
        st.markdown(
            f"- **{sr.CONFIDENCE_WORDS[a.confidence]}**: {question} They will: "
            f"{markdown(a.will_do)}"
        )
    st.caption("Agree an action on the Actions page and link it to the answer.")


def open_form(store: Store) -> None:
    with st.form(OPEN):
        when = st.date_input(
            "Review date", date.today(), key="self_review_date", format=FORM_FORMAT
        )
        if not st.form_submit_button("Open a review point"):
            return
    if attempt(
        sr.CHAIRS,
        "open a self-review point",
        lambda person: sr.open_point(store, person, when) or True,
    ):
        forms.saved(OPEN, f"Review point of {long_date(when)} opened.")


def answer_form(store: Store, charter: Charter, point: sr.Point, headlines: dict[int, str]) -> None:
    st.header(f"Answer a question ({point.label})")
    forms.said(ANSWER)
    titles = {a.action_id: a.title for a in actions.listed(store)}
    links = (
        [f"indicator:{i}" for i in charter.indicators]
        + [f"evidence:{n}" for n in headlines]
        + [f"action:{n}" for n in titles]
    )
    with st.form(forms.key(ANSWER, "")):
        question = st.selectbox(
            "Question",
            _questions(charter),
            format_func=charter.question,
            key=forms.key(ANSWER, "self_review_question"),
        )
        confidence = st.radio(
            "How confident are you?",
            sr.CONFIDENCE,
            horizontal=True,
            format_func=sr.CONFIDENCE_WORDS.get,
            key=forms.key(ANSWER, "self_review_confidence"),
        )
        linked = st.multiselect(
            "The evidence for it: measures, evidence items, actions",
            links,
            format_func=lambda x: sr.link_words(x, charter, headlines, titles),
            key=forms.key(ANSWER, "self_review_links"),
        )
        will_do = st.text_area(
            "What you will do", max_chars=2000, key=forms.key(ANSWER, "self_review_will_do")
        )
        if not st.form_submit_button("Save the answer"):
            return
    version = attempt(
        sr.ANSWERERS,
        "answer the self-review",
        lambda person: sr.answer(
            store, charter, person, point.held_on, question, str(confidence), linked, will_do
        ),
    )
    if version is not None:
        forms.saved(ANSWER, f"Answer saved (version {version}).")


def sign_off_form(store: Store, charter: Charter, point: sr.Point) -> None:
    with st.form(SIGN_OFF):
        st.markdown(f"Signing off freezes the answers given at the review of {point.label}.")
        if not st.form_submit_button("Sign off this review point"):
            return
    if attempt(
        sr.CHAIRS,
        "sign off the self-review",
        lambda person: sr.sign_off(store, charter, person, point.held_on) or True,
    ):
        forms.saved(SIGN_OFF, f"The review of {point.label} is signed off; its answers are frozen.")
