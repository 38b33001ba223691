"""Accountability's sums live in the domain (metrics/review/accountability.py), where the
Accountability page and the command line's `review` both read them (issue 28: the page held
them, out of the command line's reach)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

from metrics.access.people import Actor, command_line
from metrics.review import accountability, actions, commentary, report
from metrics.review.common import indicator_subject
from tests.cli.test_cli_database import metrics

Q = "2026-27 Q2"  # the demo's open quarter: exceptions without commentary, open actions


def _sums(store, charter):
    built = report.build(store, charter, Q)
    return {o.owner: o for o in accountability.by_owner(built, charter)}


def test_writing_commentary_and_adding_an_action_move_only_that_owners_sums(demo_store, charter):
    built = report.build(demo_store, charter, Q)
    gap = next(e for e in built.exceptions if e.commentary_state == "missing")
    owner = charter.indicators[gap.indicator_id].owner
    before = _sums(demo_store, charter)
    me = command_line("Sam Analyst")
    commentary.save(demo_store, charter, me, Q, indicator_subject(gap.indicator_id),
                    ("What", "Why", "Next"), based_on=0)  # fmt: skip
    actions.add(demo_store, charter, me, title="Ring the families back", owner=owner,
                due=date.today() + timedelta(days=30), quarter=Q, statement=3)  # fmt: skip
    after = _sums(demo_store, charter)
    assert after[owner].missing_commentary == before[owner].missing_commentary - 1
    assert after[owner].open_actions == before[owner].open_actions + 1
    assert after[owner].overdue_actions == before[owner].overdue_actions
    assert {k: v for k, v in after.items() if k != owner} == {
        k: v for k, v in before.items() if k != owner
    }


def test_owners_sums_add_up_to_the_reviews_own(demo_store, charter):
    built = report.build(demo_store, charter, Q)
    sums = accountability.by_owner(built, charter)
    owned = {i for i, ind in charter.indicators.items() if ind.owner in charter.owners}
    missing = {e.indicator_id for e in built.exceptions if e.commentary_state == "missing"}
    open_ = [a for a in built.actions if a.status not in actions.CLOSED]
    assert sum(o.indicators for o in sums) == len(owned)
    assert sum(o.missing_commentary for o in sums) == len(missing & owned)
    assert sum(o.open_actions for o in sums) == len(open_)
    assert sum(o.overdue_actions for o in sums) == sum(a.overdue() for a in open_) > 0
    rows = accountability.indicator_rows(built, charter, {sums[0].owner})
    assert len(rows) == sums[0].indicators
    assert sum(r["Commentary"] == "missing" for r in rows) == sums[0].missing_commentary


def test_a_person_owns_what_names_their_email_and_nobody_owns_by_an_empty_one(charter):
    key = sorted(charter.owners)[0]
    owners = dict(charter.owners)
    owners[key] = owners[key].model_copy(update={"contact": "Jo.Lead@wrenfield.example"})
    named = dataclasses.replace(charter, owners=owners)
    jo = Actor(subject="jo", name="Jo", email="  jo.lead@WRENFIELD.example ")
    assert accountability.owners_of(jo, named) == {key}
    assert accountability.owners_of(Actor(subject="x", name="X"), named) == set()
    org = charter.owners[key].organisation
    assert key in accountability.owners_at(charter, org)
    assert all(
        charter.owners[k].organisation == org for k in accountability.owners_at(charter, org)
    )


def test_the_command_lines_review_gives_the_sums_by_owner(demo_store, charter):
    built = report.build(demo_store, charter, Q)
    expected = accountability.by_owner(built, charter)
    db = str(demo_store.path)
    done = metrics("review", "--quarter", Q, "--format", "json", "--db", db)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["by_owner"] == [o.as_json() for o in expected]
    text = metrics("review", "--quarter", Q, "--db", db).stdout
    assert f"By owner ({len(expected)}):" in text
    for o in expected:
        assert f"- {o.name}: {o.line()}" in text
