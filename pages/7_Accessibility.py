"""Accessibility statement, as public sector bodies must publish one."""

import streamlit as st

import ui
from ui import accessibility_statement as statement

ui.page("Accessibility statement", roles=ui.EVERYONE)

st.markdown(statement.accessibility_statement(ui.charter().council))
