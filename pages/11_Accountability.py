"""Accountability: who leads on what, across the partnership, and what each still owes."""

import streamlit as st

import ui
from ui import accountability_view as view

ui.page("Accountability")
charter, person = ui.charter(), ui.user()
quarter = ui.quarter_picker()
if quarter:
    built = ui.review(quarter)
    own = view.mine(person, charter)
    if own:
        view.section(built, charter, own, "My indicators and actions", "mine")
    st.subheader("By owner")
    st.dataframe(view.summary(built, charter), hide_index=True, key="acc_owners")
    st.header("By organisation")
    for key, org in charter.organisations.items():
        owners = {k for k, o in charter.owners.items() if o.organisation == key}
        view.section(built, charter, owners, f"{org.name} ({org.kind})", key)
