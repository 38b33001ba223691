"""Scrutiny: how the council is doing against the charter in plain English, for overview &
scrutiny members and anyone interested; small numbers are withheld as they would be published."""

import ui
from ui import scrutiny_view as view

ui.page("Scrutiny", roles=ui.READERS, reads=("scrutiny",))
charter = ui.charter()
quarter = ui.quarter_picker()
if quarter:
    facts = ui.scrutiny_facts(quarter)
    view.statements(facts)
    view.better_and_worse(facts)
    view.compare(facts)
    view.being_done(facts, charter)
    view.suggested(facts)
    view.asked(facts, charter)
    view.ask(facts, charter)
