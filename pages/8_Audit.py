"""Audit trail (administrators): every write, with who, when, where from and what changed."""

import ui
from ui import audit_view

ui.page("Audit trail", roles=ui.ADMINS)
store = ui.store()
audit_view.trail(store)
audit_view.charter_reload(store)
