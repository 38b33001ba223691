"""The chair's controls for the review's cycle: the meeting date, moving the review on (or
back, with a reason), signing the quarter off after a confirmation, and reopening it; and an
agreed status beside an exception's or statement's computed one. Shown only to the chair;
every handler checks the role again (`review_view.attempt`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from charter import Charter
from metrics.dates import FORM_FORMAT, long_date
from metrics.review import agreed, cycle, report
from metrics.review.common import SIGNED_OFF, STATES
from metrics.store.connection import Store
from metrics.text_limits import REASON, help_text
from metrics.words.narrative import STATUS_WORDS
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


AGREED_SHOWN = "_agreed_status_shown"  # each form's agreed status as the page last showed it


def agree_form(
    store: Store,
    charter: Charter,
    quarter: str,
    subject: str,
    computed: str,
    key: str,
    seen: str | None = None,
) -> None:
    """The chair's agreed status, with its mandatory reason (`seen`: the agreed status in
    force the page shows, None when none: recorded over another chair's since, refused).
    What goes with a press is what the page showed in the run before it (the agreed and the
    computed status): the press runs the page again, reading the review anew, so this run's
    would already include another chair's status recorded meanwhile, or figures changed
    (as the Actions page's log of progress does)."""
    options = ["(computed status stands)", *agreed.AGREEABLE]
    form = f"agree:{key}"
    shown: dict[str, tuple[str | None, str]] = st.session_state.setdefault(AGREED_SHOWN, {})
    drawn = f"{quarter}|{form}"
    seen_before, computed_before = shown.get(drawn, (seen, computed))
    shown[drawn] = (seen, computed)
    forms.said(form)
    with st.form(form):
        choice = st.selectbox(
            "Agreed status",
            options,
            format_func=lambda s: STATUS_WORDS.get(s, s),
            key=f"agreed:{key}",
        )
        reason = forms.text_box(
            "Reason (required)", key=f"agreed_reason:{key}", required=True, max_chars=500
        )
        if not st.form_submit_button("Record the agreed status") or forms.refused(reason):
            return
    status = None if choice == options[0] else choice
    done = attempt(
        CHAIRS,
        "agree a status",
        lambda person: agreed.agree(
            store,
            charter,
            person,
            quarter,
            subject,
            status,
            computed_before,
            reason.value,
            seen_before,
        ),
    )
    if done is None:
        return
    words = STATUS_WORDS[status].lower() if status else "the computed status stands"
    forms.saved(form, f"Recorded: {words}.", clear=(f"agreed:{key}", f"agreed_reason:{key}"))
