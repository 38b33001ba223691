"""Charter overview: the 12 statements at a glance, each leading to its evidence."""

import streamlit as st

import ui
from ui import cards, reminders_view, sections

ui.page("Charter overview")

charter = ui.charter()
reminders_view.my_work()  # first: what the person signed in owes, with due dates
st.markdown(f"How {charter.council.name} is doing against the disabled children's charter.")
quarter = ui.quarter_picker()
if quarter:
    statements = ui.status(quarter)
    cards.summary(statements)
    cards.rule_note(charter)
    built = ui.review(quarter)  # the planning group's statuses, shown beside
    cards.statement_grid(
        statements, charter, ui.STATEMENT_PAGE, ui.carried(), quarter, agreed=built.agreed,
        held=built.held_back,
    )  # fmt: skip
    if not ui.public():  # statisticians' shorthand: councillors read the plain reasons
        sections.icon_summary(statements, quarter)
