"""Leadership self-review: leaders' confidence against the report's questions at each review
point, how it has moved, and where low confidence has no action yet."""

import streamlit as st

import ui
from metrics import evidence
from metrics.leadership import self_review as sr
from ui import self_review_view as view

ui.page("Leadership self-review", roles=ui.STAFF)
charter, store, person = ui.charter(), ui.store(), ui.user()
st.markdown(
    "Every six months or so, leaders answer the questions for directors and senior leaders: "
    "how confident they are, the evidence for it, and what they will do. Questions are kept in "
    "the charter (self_review.yaml)."
)
with ui.plain_failure():
    points = sr.points(store)
    answered = sr.answers(store)
    headlines = {x.evidence_id: x.headline() for x in evidence.listed(store)}
if not points:
    st.info("No self-review yet. The chair opens the first review point below.")
else:
    point = points[-1]
    view.latest(store, charter, point, answered.get(point.held_on, {}), headlines)
    if answered:
        view.over_time(charter, answered)
    view.gaps(charter, store)
    if point.state == sr.OPEN and person.may(*sr.ANSWERERS):
        view.answer_form(store, charter, point, headlines)
    if point.state == sr.OPEN and person.may(*sr.CHAIRS):
        view.sign_off_form(store, charter, point)
if person.may(*sr.CHAIRS) and (not points or points[-1].state == sr.SIGNED_OFF):
    view.open_form(store)
