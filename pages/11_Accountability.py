"""Accountability: who leads on what, across the partnership, and what each still owes."""

import streamlit as st

import ui
from metrics.review import accountability
from ui import accountability_view as view

ui.page("Accountability")
charter, person = ui.charter(), ui.user()
quarter = ui.quarter_picker()
if quarter:
    built = ui.review(quarter)
    own = accountability.owners_of(person, charter)
    if own:
        view.section(built, charter, own, "My indicators and actions", "mine", top=True)
    st.header("By owner")
    sums = accountability.by_owner(built, charter)
    st.dataframe([s.row() for s in sums], hide_index=True, key="acc_owners")
    st.header("By organisation")
    for key, org in charter.organisations.items():
        owners = accountability.owners_at(charter, key)
        view.section(built, charter, owners, f"{org.name} ({org.kind})", key)
