"""Reminders in the app (issue 30): "My work" for the person signed in, first on the overview,
with their choice of digests; the chair's page of who owes what, what was sent, and "send
reminders now" (the same path as `python -m metrics remind`). The work is worked out in
metrics/reminders/; this draws it. Nothing a person typed is shown here (an item's words are
the charter's), and tables show text as text."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import streamlit as st

import ui
from metrics.access import PROVIDER, Actor
from metrics.dates import COLUMN_DATE, COLUMN_DATETIME, long_date
from metrics.deployment import SettingError
from metrics.publish.escape import markdown
from metrics.reminders import choices, links, mail, run, work
from metrics.reminders.mail import MailSettings
from metrics.reminders.run import RemindError
from metrics.reminders.schedule import ESCALATION, OVERDUE, REMINDER
from ui import access
from ui.arrow_tables import arrow_of
from ui.work_reads import owed, wants_digests

CHAIRS = ui.CHAIRS
DIGESTS, SAVE_DIGESTS, SEND_NOW = "my_digests", "save_digests", "send_reminders_now"
NOW_WORDS = {REMINDER: "due soon", OVERDUE: "overdue", ESCALATION: "late: with the chair", None: ""}


def address(person: Actor) -> str:
    """The person's address: their sign-in's; in the demo, the access list's address for the
    role they chose (or their provider's contact), so every role has work to look at."""
    if person.email or person.via != "demo":
        return person.email.strip().lower()
    if person.may(PROVIDER) and person.provider in ui.charter().providers:
        return ui.charter().providers[person.provider].contact.email
    people = access.access_list_or_empty().people
    role = next(iter(sorted(person.roles - {"member"})), "member")
    return next((a for a, roles in people.items() if role in roles), "")


def _rows(items: list[work.Item], today: date, owner: bool) -> list[dict[str, object]]:
    return [
        {
            "What": i.what,
            **({"Owed by": i.who} if owner else {}),
            "Due": i.due,
            "Now": NOW_WORDS[i.stage],
            "Page": i.link,
        }
        for i in items
    ]


def _table(items: list[work.Item], today: date, key: str, owner: bool = False) -> None:
    st.dataframe(
        arrow_of(_rows(items, today, owner)), hide_index=True, key=key,
        column_config={
            "Due": st.column_config.DateColumn(format=COLUMN_DATE),
            "Page": st.column_config.LinkColumn(display_text="Open"),
        },
    )  # fmt: skip


def my_work() -> None:
    """The signed-in person's work, with due dates, and their digests on or off."""
    person = ui.user()
    if not person.roles & (ui.STAFF | {PROVIDER}):  # councillors are not assigned work
        return
    email = address(person)
    st.header("My work")
    if ui.charter().reminders is None:
        st.caption("No reminders are set up (charter/council.yaml has no reminders: section).")
        return
    if not email:
        st.caption("Nothing is assigned to you: work is assigned by email address.")
        return
    with ui.plain_failure():
        today, items = owed()
    mine = work.mine(items, email)
    demo = f" (the demo's day, {long_date(today)})" if today != date.today() else ""
    if not mine:
        st.markdown(f"Nothing is assigned to {markdown(email)} today{demo}.")
    else:
        late = sum(i.due < today for i in mine)
        st.markdown(
            f"{len(mine)} thing{'s' if len(mine) != 1 else ''} assigned to {markdown(email)}"
            f"{demo}, {late} late."
        )
        _table(mine, today, "my_work_table")
    _digests(dataclasses.replace(person, email=email))


def _digests(person: Actor) -> None:
    wanted = wants_digests(person.email)
    with st.form(DIGESTS):
        on = st.toggle(
            "Send me a reminder digest by email", value=wanted, key=f"{DIGESTS}_toggle",
            help="One email a run with everything due; escalations to the chair still come.",
        )  # fmt: skip
        if st.form_submit_button("Save my reminder setting", key=SAVE_DIGESTS):
            with ui.plain_failure():
                try:
                    choices.choose(ui.store(), person, on)
                except ValueError as err:
                    st.error(markdown(err))
                    return
            st.success("Reminder digests " + ("on." if on else "off (escalations still come)."))


def _settings() -> MailSettings:
    """`[smtp]` and `[app]` as Streamlit loaded the secrets (the file the app reads)."""
    loaded = st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    return mail.settings(loaded)


def chair_page() -> None:
    """Who owes what, send now, and what was sent."""
    if ui.charter().reminders is None:
        st.info("No reminders are set up: charter/council.yaml has no reminders: section.")
        return
    with ui.plain_failure():
        today, items = owed()
    st.markdown(f"Worked out as on {long_date(today)}.")
    st.header("Who owes what")
    _table(items, today, "owed_table", owner=True)
    st.header("Send reminders now")
    st.caption(
        "Sends today's digests now, as the scheduled run does: each reminder goes once, so "
        "nobody is sent the same one twice."
    )
    if st.button("Send reminders now", key=SEND_NOW):
        _send(today)
    st.header("What was sent")
    person = ui.require(CHAIRS, "see the reminders sent")
    with ui.plain_failure():
        sent = run.messages(ui.store(), person)
    now = datetime.now()  # as the messages' times are kept (metrics/reminders/run.py)
    st.dataframe(
        [{"When": m.at, "To": m.recipient, "Outcome": m.said(now),
          "Items": m.items,
          "Why it failed": m.error or ""} for m in sent],
        hide_index=True, key="sent_table",
        column_config={"When": st.column_config.DatetimeColumn(format=COLUMN_DATETIME)},
    )  # fmt: skip


def _send(today: date) -> None:
    person = ui.require(CHAIRS, "send reminders")
    try:
        settings = _settings()
    except SettingError as err:
        st.error(f"Reminders cannot be sent: {markdown(err)}")
        return
    with ui.plain_failure():
        try:
            done = run.remind(ui.store(), ui.charter(), person, today, settings)
        except RemindError as err:
            st.error(markdown(err))
            return
    if done.failed:
        st.warning(f"{done.sent} sent; {done.failed} not sent (tried again next run).")
    else:
        st.success(f"{done.sent} digest{'s' if done.sent != 1 else ''} sent.")


__all__ = ["CHAIRS", "address", "chair_page", "links", "my_work"]
