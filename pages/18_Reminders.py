"""Reminders: the chair's view of who owes what, what was sent, and "send reminders now"."""

import ui
from ui import reminders_view as view

ui.page("Reminders", roles=view.CHAIRS)
view.chair_page()
