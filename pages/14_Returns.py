"""Partners' returns: a provider sends its figures and sees what is due; an analyst accepts
them (they are then stored) or sends them back with a reason."""

import streamlit as st

import ui
from metrics.access import ANALYST, PROVIDER
from ui import reminders_view, returns_view

ui.page("Partners' returns", roles=ui.RETURNS)
charter, store, person = ui.charter(), ui.store(), ui.user()

if person.may(PROVIDER) and person.provider in charter.providers:
    provider = charter.providers[person.provider]
    st.markdown(
        f"You send figures for **{ui.markdown(provider.name)}**. The council's contact for "
        f"your returns: {ui.markdown(charter.council.contact)}."
    )
    reminders_view.my_work()  # what this provider owes, with due dates; its digests
    returns_view.sent_back_first(store, person.provider)
    returns_view.due_from(store, charter, person.provider)
    returns_view.send(store, charter, person)
    returns_view.history(store, person.provider, charter)
if person.may(ANALYST):
    returns_view.waiting(store, charter, person)
    returns_view.history(store, None, charter)
    ui.link(ui.QUALITY_PAGE, "See data quality and overdue returns")
