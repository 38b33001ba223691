"""Quarterly review: the story behind each exception, agreed statuses, actions, sign-off."""

import streamlit as st

import ui
from metrics.publish.escape import markdown
from metrics.review.commentary import Figure
from metrics.review.common import SIGNED_OFF, indicator_subject, statement_subject
from metrics.review.cycle import changed_words
from ui import lazy, review_chair, review_view as view, style

ui.page("Quarterly review", reads=("review extras",))
charter, store, person = ui.charter(), ui.store(), ui.user()
quarter = ui.quarter_picker()
if quarter:
    built = ui.review(quarter)
    view.headline(built)
    frozen = built.review.state == SIGNED_OFF
    may_write = person.may(*view.WRITERS) and not frozen
    if person.may(*view.CHAIRS):
        review_chair.chair_controls(store, charter, built)
    for ident, (pin, now) in built.revised.items():
        title = markdown(charter.indicators[ident].title)
        st.warning(f"{title}: {markdown(changed_words(pin, now))} ({pin.period}).")
    extras = ui.review_extras(quarter)
    previous = extras.previous
    st.header(f"Exceptions ({len(built.exceptions)})")
    for e in built.exceptions:
        subject = indicator_subject(e.indicator_id)
        # keyed: its label changes once commentary is saved, which must not close a writer's
        # (a reader's, drawn only when opened, does close: Streamlit keys it by label too);
        # always drawn for a writer, so what they type is never lost
        label = f"{e.title}: {e.why_exception}, {e.commentary_state}"
        if (box := lazy.opened(label, subject, lazy=not may_write)) is None:
            continue
        with box:
            owner = view.note(f"Owner: {markdown(e.owner)}")  # as a caption
            lead = [f"{style.badge(e.status)} {markdown(e.reason)}", owner]
            # a public reader's: none touching [c]; else status, owner, agreed status and story
            if not view.held_back_lead(built, subject, lead):  # in one element
                agreed = view.agreed_text(built.agreed.get(subject), e.status)
                view.story(e.commentary, e.stale, lead=[*lead, *agreed])
                view.earlier_versions(extras.versions.get(subject, []))
            if may_write:
                figure = Figure(e.period, e.value, e.shown)
                last = previous.get(subject)
                view.editor(store, charter, quarter, subject, e.commentary, figure, last)
            if person.may(*view.CHAIRS) and not frozen:
                shown = built.agreed.get(subject)  # the agreed status in force, as shown
                review_chair.agree_form(store, charter, quarter, subject, e.status, e.indicator_id,
                                shown.status if shown else None)  # fmt: skip
    st.header("Statements")
    for s in built.statements:
        subject = statement_subject(s.number)
        label = f"{s.number}. {s.short_title}"
        if (box := lazy.opened(label, subject, lazy=not may_write)) is None:
            continue
        with box:
            lead = [style.badge(s.status)]
            if not view.held_back_lead(built, subject, lead):  # status, agreed, story: one
                agreed = view.agreed_text(built.agreed.get(subject), s.status)
                view.story(built.commentary.get(subject), False, lead=[*lead, *agreed])
            if may_write:
                mine, last = built.commentary.get(subject), previous.get(subject)
                view.editor(store, charter, quarter, subject, mine, None, last)
            if person.may(*view.CHAIRS) and not frozen:
                shown = built.agreed.get(subject)
                review_chair.agree_form(store, charter, quarter, subject, s.status, f"s{s.number}",
                                shown.status if shown else None)  # fmt: skip
    view.last_meeting(extras.last_meeting, charter)
