"""A filter given a value that does not exist is a usage error naming the value and the
choices (or the closest of them), never an empty table that reads as "nothing there": the
review of the command line found `series --area`, `series --breakdown` and `audit --kind`
printing nothing with exit 0 for a typo, and the scorecard's filters refusing one without
saying what would do (metrics/cli/choices.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import run

SERIES = ["series", "--indicator", "ehcp-issued-20-weeks"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            [*SERIES, "--area", "e06000001"],
            "--area: 'e06000001' is not an area we know (a GSS code or an LA number); "
            "did you mean 'E06000001'",
        ),
        (
            [*SERIES, "--breakdown", "localty"],
            "--breakdown: 'localty' is not a breakdown of ehcp-issued-20-weeks; did you mean "
            "'locality'? (choices: ",
        ),
        (
            ["series", "--indicator", "ehcp-issued-20-week"],
            "--indicator: 'ehcp-issued-20-week' is not an indicator of the charter; did you "
            "mean 'ehcp-issued-20-weeks'",
        ),
        (
            ["audit", "--kind", "figure revise"],
            "--kind: 'figure revise' is not a kind of entry in the audit trail; did you mean "
            "'figure revised'? (choices: ",
        ),
        (
            ["scorecard", "--owner", "head-of-sen"],
            "--owner: 'head-of-sen' is not an owner in charter/owners.yaml; did you mean "
            "'head-of-send'",
        ),
        (
            ["scorecard", "--organisation", "counsil"],
            "--organisation: 'counsil' is not an organisation in charter/owners.yaml; did you "
            "mean 'council'? (choices: council, icb, ",
        ),
        (
            ["scorecard", "--statement", "13"],
            "--statement: '13' is not a statement of the charter; did you mean '",
        ),
        (
            ["actions", "--owner", "head-of-sen"],
            "--owner: 'head-of-sen' is not an owner in charter/owners.yaml",
        ),
        (
            ["evidence", "--indicator", "nope"],
            "--indicator: 'nope' is not an indicator of the charter (choices: active-ehc-plans, ",
        ),
    ],
)
def test_a_filter_with_a_typo_is_a_usage_error_naming_it_and_the_choices(demo_db: Path, args, said):
    result = run(*args, db=demo_db, check=False)
    assert result.returncode == 2 and not result.stdout, result
    assert f"error: {said}" in result.stderr, result.stderr


def test_the_statements_are_listed_in_their_order(demo_db: Path):
    result = run("scorecard", "--statement", "13", db=demo_db, check=False)
    assert "(choices: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)" in result.stderr


def test_a_filter_given_a_real_value_still_filters(demo_db: Path):
    out = run(*SERIES, "--area", "E06000001", db=demo_db).stdout
    assert out.startswith("period,value")
    kind = run("audit", "--kind", "figure revised", "--limit", "1", db=demo_db).stdout
    assert "figure revised:" in kind


def test_a_kind_with_no_entry_yet_is_not_a_typo(demo_db: Path):
    """`audit --kind "figure replaced"` before the first replacement (a monitoring script's
    question): no entries, said on stderr, exit 0; it was refused as not a kind at all. A
    typo of a kind in the trail is still refused."""
    result = run("audit", "--kind", "figure replaced", db=demo_db, check=False)
    assert result.returncode == 0 and "no entry of that kind (yet)" in result.stderr
    typo = run("audit", "--kind", "figure revsed", db=demo_db, check=False)
    assert typo.returncode == 2 and "did you mean 'figure revised'" in typo.stderr
