"""What people typed reaches a terminal as text, never as control (issue 25, section 2;
security review): `review`, `actions`, `evidence` and `self-review` print a stored newline,
ANSI or OSC 8 escape, C1 control or bidirectional override as its escape, so no forged line,
colour or hidden link; their JSON escapes the same characters (it left C1 and bidirectional
ones raw). The texts are stored through the domain, as the app stores them, and printed by
the real command in its own process."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from metrics.access.people import command_line
from metrics.assess.rollup import charter_status
from metrics.evidence import items as evidence
from metrics.leadership import self_review
from metrics.periods.text import parse_period
from metrics.review import actions, commentary, cycle
from metrics.review.common import indicator_subject
from metrics.store.connection import Store
from tests.cli.test_cli_database import metrics

Q = "2026-27 Q2"  # the demo's latest quarter
# A second, forged entry on its own line; ANSI colour; an OSC 8 link; the C1 form of ESC [;
# a right-to-left override.
FORGED = (
    "Eve\n#999 forged line\r\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07click"
    "\x1b]8;;\x07 \x9b31m \u202eevil"
)
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")
ESCAPED = ("Eve\\n#999 forged line\\r\\x1b[31m", "\\x1b]8;;https://evil.example\\x07click",
           "\\x9b31m", "\\u202eevil")  # fmt: skip


@pytest.fixture
def forged_store(demo_store: Store, charter) -> Store:
    """The demo, with the forged text in every kind of typed field these commands print."""
    me = command_line("Eve")
    statuses = charter_status(demo_store, charter, parse_period(Q))
    first = cycle.exceptions(statuses)[0].id
    commentary.save(demo_store, charter, me, Q, indicator_subject(first),
                    (FORGED, FORGED, FORGED), based_on=0)  # fmt: skip
    actions.add(demo_store, charter, me, title=FORGED, owner=sorted(charter.owners)[0],
                due=date.today() + timedelta(days=30), quarter=Q, statement=3)  # fmt: skip
    values = dict(kind="family-voice", source=FORGED, summary=FORGED, on=date(2026, 9, 14),
                  statements=[7], no_personal_data=True, despite_warnings=True)  # fmt: skip
    evidence.add(demo_store, charter, me, **values)
    gone = evidence.add(demo_store, charter, me, **values)
    evidence.withdraw(demo_store, me, gone, FORGED)
    held_on = date(2026, 9, 30)  # the demo's open review point
    self_review.answer(demo_store, charter, me, held_on, charter.question_ids()[0], "not",
                       [], FORGED)  # fmt: skip
    return demo_store


COMMANDS = {
    "review": ["review", "--quarter", Q],
    "actions": ["actions"],
    "evidence": ["evidence", "--withdrawn"],
    "self-review": ["self-review"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_typed_text_is_printed_as_escapes_never_as_control(forged_store: Store, command):
    done = metrics(*COMMANDS[command], "--db", str(forged_store.path))
    assert done.returncode == 0, done.stderr
    for raw in RAW:
        assert raw not in done.stdout, (command, raw)
    assert not any(line.startswith("#999") for line in done.stdout.splitlines())
    for escaped in ESCAPED:
        assert escaped in done.stdout, (command, escaped)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_escapes_c1_and_bidirectional_characters_too(forged_store: Store, command):
    done = metrics(*COMMANDS[command], "--format", "json", "--db", str(forged_store.path))
    assert done.returncode == 0, done.stderr
    for raw in RAW:
        assert raw not in done.stdout, (command, raw)
    assert "\\u009b31m" in done.stdout and "\\u202eevil" in done.stdout
    assert FORGED in strings_in(json.loads(done.stdout))  # read back, the very text typed


def strings_in(data: object) -> set[str]:
    if isinstance(data, str):
        return {data}
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return set().union(*(strings_in(v) for v in values)) if values else set()


def test_letters_stay_readable_in_json(demo_store: Store, charter):
    actions.add(demo_store, charter, command_line("Zoë"), title="Café visits for Zoë's group",
                owner=sorted(charter.owners)[0], due=date.today() + timedelta(days=30),
                quarter=Q, statement=3)  # fmt: skip
    done = metrics("actions", "--format", "json", "--db", str(demo_store.path))
    assert "Café visits for Zoë's group" in done.stdout


def test_the_escaping_helpers_cover_line_separators_and_keep_json_valid():
    from metrics.publish.escape import json_text, terminal

    assert terminal("a\u2028b\u2029c") == "a\\u2028b\\u2029c"  # Unicode's own line breaks
    text = "x\x7f\x85\u2028\u2066\ufeffy é"
    written = json_text({"said": text})
    assert json.loads(written) == {"said": text}
    assert "\\u007f\\u0085\\u2028\\u2066\\ufeffy é" in written
