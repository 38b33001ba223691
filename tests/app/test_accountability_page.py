"""The Accountability page draws the sums the domain works out (metrics/review/accountability),
the same the command line's `review` prints."""

from __future__ import annotations

import ui
from metrics.access import ANALYST
from metrics.review import accountability, report
from tests.app.conftest import opened_in_quarter

Q = "2026-27 Q2"


def test_the_by_owner_table_is_the_domains(fresh, demo_store, charter):
    at = opened_in_quarter(fresh, Q, ui.ACCOUNTABILITY_PAGE, ANALYST)
    built = report.build(demo_store, charter, Q)
    expected = [o.row() for o in accountability.by_owner(built, charter)]
    shown = next(d.value for d in at.dataframe if "Overdue actions" in d.value.columns)
    assert shown.to_dict("records") == expected
