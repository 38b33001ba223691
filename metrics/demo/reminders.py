"""The demo's reminders (issue 30), as they stand on the demo's reminders day,
`metrics.reminders.run.DEMO_DAY` (Tuesday 27 October 2026): the demo's dates are fixed, so
its "tomorrow" is too. On that day, by the shipped schedule (charter/council.yaml):

- the stories behind 2026-27 Q2's exceptions were due on 14 October and none is written:
  each owner's commentary is late, and the chair is told (escalation);
- the action "Fill the two vacant SEND caseworker posts" was due on 23 October: overdue;
- Wrenfield Community Health's speech and language therapy figure for 2026-27 Q2 is due
  on 28 October, tomorrow (it never comes: the Data quality page shows it overdue later);
- Councillor Khan's question about the autism assessment wait, asked on 12 October and
  given to the Designated Clinical Officer, is unanswered after 10 working days.

`python -m metrics remind --dry-run` on the demo database uses that day unless `--today`
says another. Fictional throughout.
"""

from __future__ import annotations

from datetime import datetime

from charter import Charter
from metrics.access.people import COUNCILLOR, DEMO, Actor
from metrics.review.common import indicator_subject
from metrics.scrutiny import questions
from metrics.store import scrutiny as question_store
from metrics.store.connection import Store, transaction

KHAN = Actor("demo-councillor", "Cllr Khan (demo)", "", DEMO, frozenset({COUNCILLOR}))
ASKED = datetime(2026, 10, 12, 18, 30)  # at the scrutiny committee's evening meeting
QUESTION = (
    "The wait for an autism assessment has grown every quarter this year. When will the "
    "second assessment provider start, and what will the wait be by March?"
)


def seed_question(store: Store, charter: Charter) -> int:
    """The councillor's unanswered question, assigned when asked."""
    ident = questions.ask(
        store, charter, KHAN, "2026-27 Q1", indicator_subject("autism-assessment-median-wait"),
        QUESTION, officer="designated-clinical-officer",
    )  # fmt: skip
    with store.connect() as con, transaction(con):
        question_store.redate_question(con, ident, ASKED)
    return ident
