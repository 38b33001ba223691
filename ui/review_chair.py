"""The chair's controls for the review's cycle: the meeting date, moving the review on (or
back, with a reason), signing the quarter off after a confirmation, and reopening it. Shown
only to the chair; every handler checks the role again (`review_view.attempt`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from charter import Charter
from metrics.dates import FORM_FORMAT, long_date
from metrics.review import cycle, report
from metrics.review.common import SIGNED_OFF, STATES
from metrics.store.connection import Store
from metrics.text_limits import REASON, help_text
from ui import forms
from ui.review_view import CHAIRS, CONFIRM, MOVE, attempt


def chair_controls(store: Store, charter: Charter, built: report.Report) -> None:
    """Move the review on (or back, with a reason), set the meeting date, sign off, reopen."""
    review = built.review
    st.header("Chair: the review's progress")
    forms.said(MOVE)
    here = STATES.index(review.state)
    with st.form("review_move"):
        meeting = st.date_input("Meeting date", review.meeting_date or date.today(),
                                key="review_meeting", format=FORM_FORMAT)  # fmt: skip
        saving = st.form_submit_button("Save the meeting date")
    if saving:  # a signed-off quarter's date is refused by the cycle's rules
        moved = attempt(
            CHAIRS,
            "set the meeting date",
            lambda person: cycle.set_meeting(store, person, review.quarter, meeting),
        )
        if moved is not None:
            forms.saved(MOVE, f"Meeting date saved: {long_date(meeting)}.")
    if here + 1 < len(STATES):
        step = STATES[here + 1]
        label = "Sign the quarter off" if step == SIGNED_OFF else f"Move on to '{step}'"
        if st.button(label, key="review_next", type="primary"):
            if step == SIGNED_OFF:
                st.session_state[CONFIRM] = review.quarter  # it freezes the quarter: ask first
            else:
                _move(store, charter, review.quarter, step, "")
        if step == SIGNED_OFF and st.session_state.get(CONFIRM) == review.quarter:
            _confirm_sign_off(store, charter, review.quarter)
    if here > 0:
        back = STATES[here - 1]
        what = "Reopen the quarter" if review.state == SIGNED_OFF else f"Move back to '{back}'"
        with st.form("review_back"):
            reason = forms.text_box(
                f"{what}: why? (required)", key="review_back_reason", required=True,
                max_chars=REASON, help=help_text(REASON),
            )  # fmt: skip
            if st.form_submit_button(what) and not forms.refused(reason):
                _move(store, charter, review.quarter, back, reason.value)


def _confirm_sign_off(store: Store, charter: Charter, quarter: str) -> None:
    """Signing off freezes the quarter, so the chair confirms it first (or cancels)."""
    with st.container(border=True):
        st.warning(
            f"Sign {quarter} off? Its figures are pinned as they stand now, and its "
            "commentary, agreed statuses and review stage can no longer change; only the "
            "chair can reopen it, with a reason that is recorded."
        )
        yes, no = st.columns(2)
        if yes.button(f"Yes, sign {quarter} off", key="review_sign_off_yes", type="primary"):
            st.session_state.pop(CONFIRM, None)
            _move(store, charter, quarter, SIGNED_OFF, "")
        if no.button("Cancel", key="review_sign_off_no"):
            st.session_state.pop(CONFIRM, None)
            st.rerun()


def _move(store: Store, charter: Charter, quarter: str, to: str, reason: str) -> None:
    moved = attempt(
        CHAIRS,
        "move the review on",
        lambda person: cycle.move(store, charter, person, quarter, to, reason),
    )
    if moved is not None:
        st.rerun()
