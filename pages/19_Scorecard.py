"""Scorecard: every measure a row, the last quarters as columns, each cell its status and
figure, what needs attention first; small numbers are withheld as they would be published."""

import ui
from ui import scorecard_view as view

ui.page("Scorecard", roles=ui.READERS, reads=("scorecard",))
quarter = ui.quarter_picker()
if quarter:
    with ui.plain_failure():
        card = ui.scorecard(quarter)
    shown = view.filters(card, ui.charter())
    view.summary(shown)
    view.table(shown)
    view.measures(shown)
    view.files(shown)
