"""Actions: what the planning group agreed, who owns each, when it is due, and progress."""

import ui
from ui import actions_view
from ui.review_view import WRITERS

ui.page("Actions")
charter, store, person = ui.charter(), ui.store(), ui.user()
found = actions_view.filtered(store, charter)
actions_view.table(found, charter)
actions_view.progress(store, found)
if person.may(*WRITERS):
    quarters = ui.quarters()  # an action is agreed in the quarter being looked at
    chosen = ui.carried().get("quarter")
    if quarters:
        actions_view.add_form(store, charter, chosen if chosen in quarters else quarters[0])
    actions_view.update_form(store, found)
