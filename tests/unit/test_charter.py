"""The shipped charter loads; every kind of bad file is reported as `file: key: reason`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from charter import CHARTER_DIR, CharterError, load_charter
from charter.schema import SCHEMAS, render


def test_shipped_charter_has_12_statements_and_24_indicators(charter):
    assert [s.number for s in charter.statements] == list(range(1, 13))
    assert len(charter.indicators) >= 24
    for statement in charter.statements:
        assert charter.indicators_for(statement.number), statement.number


def test_every_indicator_names_units_polarity_and_a_definition(charter):
    for ind in charter.indicators.values():
        assert ind.description and ind.definition and ind.source and ind.owner
        if ind.unit in ("percent", "rate_per_10000", "rate_per_1000"):
            assert ind.numerator and ind.denominator, ind.id


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def edit(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data))


def problems(root: Path) -> list[str]:
    with pytest.raises(CharterError) as err:
        load_charter(root)
    return err.value.problems


def test_unknown_key_is_rejected_with_file_and_key(copy):
    edit(copy / "indicators" / "active-ehc-plans.yaml", colour="red")
    assert problems(copy) == [
        "charter/indicators/active-ehc-plans.yaml: colour: Extra inputs are not permitted"
    ]


def test_unknown_statement_reference(copy):
    edit(copy / "indicators" / "local-offer-visits.yaml", statements=[4, 13])
    assert (
        "charter/indicators/local-offer-visits.yaml: statements.1: unknown statement 13"
        in problems(copy)
    )


def test_statement_without_indicator(copy):
    for path in (copy / "indicators").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        if 2 in data["statements"]:
            data["statements"] = [s for s in data["statements"] if s != 2] or [1]
            path.write_text(yaml.safe_dump(data))
    found = problems(copy)
    assert any("statements.yaml: statements.1: statement 2 has no indicator" in p for p in found)


def test_duplicate_id(copy):
    source = copy / "indicators" / "local-offer-visits.yaml"
    shutil.copy(source, copy / "indicators" / "zz-copy.yaml")
    found = problems(copy)
    assert any("zz-copy.yaml: id: duplicate id 'local-offer-visits'" in p for p in found)


def test_all_problems_reported_at_once(copy):
    edit(copy / "indicators" / "active-ehc-plans.yaml", unit="furlongs")
    edit(copy / "indicators" / "local-offer-visits.yaml", polarity="up", breakdowns=["planet"])
    (copy / "statements.yaml").write_text("statements: [\n")
    found = problems(copy)
    assert any(p.startswith("charter/indicators/active-ehc-plans.yaml: unit:") for p in found)
    assert any(p.startswith("charter/indicators/local-offer-visits.yaml: polarity:") for p in found)
    assert any(
        p.startswith("charter/statements.yaml: line") and "not valid YAML" in p for p in found
    )


def test_unknown_breakdown_dimension(copy):
    edit(copy / "indicators" / "local-offer-visits.yaml", breakdowns=["planet"])
    assert any("breakdowns.0: unknown dimension 'planet'" in p for p in problems(copy))


def test_rate_without_numerator_text_and_target_on_context_indicator(copy):
    edit(copy / "indicators" / "ehcp-mainstream.yaml", numerator=None)
    edit(copy / "indicators" / "active-ehc-plans.yaml", target=100)
    found = problems(copy)
    assert any(
        "ehcp-mainstream.yaml: (file): Value error, a percent indicator needs" in p for p in found
    )
    assert any("active-ehc-plans.yaml: (file): Value error, a neutral" in p for p in found)


def test_id_must_match_file_name(copy):
    edit(copy / "indicators" / "local-offer-visits.yaml", id="visits")
    assert any(
        "local-offer-visits.yaml: id: 'visits' must match the file name" in p
        for p in problems(copy)
    )


def test_committed_json_schemas_are_current():
    for name, model in SCHEMAS.items():
        committed = (CHARTER_DIR / "schema" / name).read_text()
        assert committed == render(model), f"run: python -m charter.schema ({name} is stale)"
        assert json.loads(committed)["type"] == "object"


def test_every_indicator_has_a_known_owner_in_a_known_organisation(charter):
    for ind in charter.indicators.values():
        owner = charter.owners[ind.owner]
        assert owner.organisation in charter.organisations
    assert charter.owner_name("head-of-send") == "Head of SEND (Wrenfield Council)"


def test_unknown_owner_and_organisation_are_named(copy):
    edit(copy / "indicators" / "short-breaks-receiving.yaml", owner="nobody-at-all")
    owners = copy / "owners.yaml"
    owners.write_text(owners.read_text().replace("organisation: icb", "organisation: nhs"))
    found = problems(copy)
    assert (
        "charter/indicators/short-breaks-receiving.yaml: owner: unknown owner 'nobody-at-all' "
        "(defined in owners.yaml)" in found
    )
    assert any(
        p.startswith(
            "charter/owners.yaml: owners.designated-clinical-officer.organisation: "
            "unknown organisation 'nhs'"
        )
        for p in found
    )
