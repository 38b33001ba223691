"""The actions page's sections: the filtered list with its CSV, adding an action and logging
progress (planning-group members and the chair; every handler checks the role again)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

import ui
from charter import Charter
from metrics.dates import FORM_FORMAT, date_time
from metrics.publish.tables import csv_bytes
from metrics.review import actions
from metrics.store.connection import Store
from ui import forms
from ui.review_view import DUE_COLUMN, WRITERS, action_rows, attempt

ANY = "(any)"


def filtered(store: Store, charter: Charter) -> list[actions.Action]:
    c1, c2, c3, c4 = st.columns(4)
    owner = c1.selectbox(
        "Owner",
        [ANY, *charter.owners],
        key="actions_owner",
        format_func=lambda o: o if o == ANY else charter.owner_name(o),
    )
    org = c2.selectbox(
        "Organisation",
        [ANY, *charter.organisations],
        key="actions_org",
        format_func=lambda o: o if o == ANY else charter.organisations[o].name,
    )
    numbers = [ANY, *(str(s.number) for s in charter.statements)]
    statement = c3.selectbox("Statement", numbers, key="actions_statement")
    status = c4.selectbox("Status", [ANY, *actions.STATUSES], key="actions_status")
    overdue = st.checkbox("Only overdue actions", key="actions_overdue")
    with ui.plain_failure():
        return actions.listed(
            store, owner=None if owner == ANY else owner,
            organisation=None if org == ANY else org, charter=charter,
            statement=None if statement == ANY else int(statement),
            status=None if status == ANY else status, overdue=overdue,
        )  # fmt: skip


def table(found: list[actions.Action], charter: Charter) -> None:
    if not found:
        st.info("No actions match these filters.")
        return
    late = sum(a.overdue() for a in found)
    st.markdown(f"{len(found)} actions, {late} overdue.")
    rows = action_rows(found, charter)
    st.dataframe(rows, hide_index=True, key="actions_table", column_config=DUE_COLUMN)
    st.download_button("Download these actions (CSV)", csv_bytes(rows), "actions.csv",
                       mime="text/csv", key="actions_csv")  # fmt: skip


def _statement_name(charter: Charter, number: str) -> str:
    return (
        number if number == "(none)" else f"{number}. {charter.statement(int(number)).short_title}"
    )


ADD, UPDATE = "action_add", "action_update"
SHOWN = "_action_update_shown"  # each action's latest log entry as the page last showed it


def add_form(store: Store, charter: Charter, quarter: str) -> None:
    st.header("Add an action")
    forms.said(ADD)
    sent = forms.token(ADD)  # this drawing of the form: sent twice, it adds one action
    with st.form(forms.key(ADD, "")):
        title = st.text_input("What will be done", max_chars=300, key=forms.key(ADD, "title"))
        owner = st.selectbox("Owner", list(charter.owners), key=forms.key(ADD, "owner"),
                             format_func=charter.owner_name)  # fmt: skip
        places = {"owner": forms.under("Owner")}  # the change's keyword -> where it is said
        due = st.date_input("Due", date.today() + timedelta(days=42), format=FORM_FORMAT,
                            key=forms.key(ADD, "due"))  # fmt: skip
        places["due"] = forms.under("Due")
        numbers = ["(none)", *(str(s.number) for s in charter.statements)]
        statement = st.selectbox(
            "Statement it should change", numbers, key=forms.key(ADD, "statement"),
            format_func=lambda n: _statement_name(charter, n),
        )  # fmt: skip
        places["statement"] = forms.under("Statement it should change")
        linked = st.multiselect("Indicators it should change", list(charter.indicators),
                                format_func=lambda i: charter.indicators[i].title,
                                key=forms.key(ADD, "indicators"))  # fmt: skip
        places["indicators"] = forms.under("Indicators it should change")
        if not st.form_submit_button("Add the action"):
            return
    ident = attempt(
        WRITERS,
        "add an action",
        lambda person: actions.add(
            store, charter, person, title=title, owner=owner, due=due, quarter=quarter,
            statement=None if statement == "(none)" else int(statement), indicators=linked,
            token=sent,
        ),
        places,
    )  # fmt: skip
    if ident is not None:
        forms.saved(ADD, f"Action #{ident} added.")


def update_form(store: Store, found: list[actions.Action]) -> None:
    """Log progress. What the person saw goes with it: each action's latest log entry as the
    page showed it in the run before this one (a press of the button runs the page again,
    reading the actions anew, so this run's would include a colleague's update logged
    meanwhile). Refused as a conflict, the message is said under the form, what they typed
    is kept, and the page now shows the action as it is."""
    if not found:
        return
    st.header("Log progress on an action")
    by_id = {a.action_id: a for a in found}
    shown: dict[int, int] = st.session_state.get(SHOWN, {})
    st.session_state[SHOWN] = {a.action_id: a.version for a in found}
    forms.said(UPDATE)
    sent = forms.token(UPDATE)
    with st.form(forms.key(UPDATE, "")):
        ident = st.selectbox("Action", list(by_id), key=forms.key(UPDATE, "action"),
                             format_func=lambda i: f"#{i} {by_id[i].title}")  # fmt: skip
        status = st.selectbox("Status now", actions.STATUSES, key=forms.key(UPDATE, "status"))
        note = forms.text_box("Progress note", key=forms.key(UPDATE, "note"), required=True,
                              max_chars=500)  # fmt: skip
        # Required once "dropped" is sent (a form's widgets give what was sent).
        reason = forms.text_box("If dropped: why", key=forms.key(UPDATE, "reason"),
                                required=status == "dropped", max_chars=500)  # fmt: skip
        if not st.form_submit_button("Log progress") or forms.refused(note, reason):
            return
    logged = attempt(
        WRITERS,
        "update an action",
        lambda person: actions.update(
            store, person, ident, status, note.value, reason.value, token=sent,
            seen=shown.get(ident, by_id[ident].version),
        ),
    )  # fmt: skip
    if logged is not None:
        forms.saved(UPDATE, f"Action #{ident}: {status}.")


def progress(store: Store, found: list[actions.Action]) -> None:
    """One action's dated log of progress, for everyone who can see the actions."""
    if not found:
        return
    by_id = {a.action_id: a for a in found}
    ident = st.selectbox("See an action's progress", list(by_id), key="progress_action",
                         format_func=lambda i: f"#{i} {by_id[i].title}")  # fmt: skip
    with ui.plain_failure():
        log = actions.progress_log(store, ident)
    st.dataframe(
        [
            {"When": date_time(at, short=True), "Status": status, "Note": note, "By": who}
            for _, status, note, who, at in log
        ],
        hide_index=True,
        key="progress_log",
    )
