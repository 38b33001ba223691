"""charter/needs.yaml and its boundaries (issue 33): every figure with its source and year,
cross-checked against the rest of the charter; each problem names file, key and reason."""

from __future__ import annotations

import copy as copying
import json
import shutil
from pathlib import Path

import pytest
import yaml

from charter import CHARTER_DIR, CharterError, load_charter
from charter.s251_models import S251_DIR, load_s251_mapping


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(CharterError) as err:
        load_charter(root)
    return err.value.problems


def edit(root: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = root / "needs.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_shipped_needs_file(charter):
    assert charter.needs is not None
    assert list(charter.needs.localities) == ["North", "South", "East", "West", "Central"]
    assert charter.needs.rate.source.startswith("DWP, Family Resources Survey")
    assert charter.needs.rate.year == "2022/23"
    assert len(charter.boundaries["features"]) == 5


def test_a_rate_without_its_source_is_refused(copy):
    edit(copy, lambda d: d["prevalence"]["frs"].pop("source"))
    assert "charter/needs.yaml: prevalence.frs.source: Field required" in problems(copy)


def test_a_rate_outside_its_interval_is_refused(copy):
    edit(copy, lambda d: d["prevalence"]["frs"].update(rate=15))
    said = problems(copy)
    assert any(
        p.startswith("charter/needs.yaml: prevalence.frs: ") and "contain" in p for p in said
    )


def test_unknown_locality_is_named(copy):
    edit(copy, lambda d: d["localities"].update(Uplands=copying.deepcopy(d["localities"]["North"])))
    said = problems(copy)
    assert any(p.startswith("charter/needs.yaml: localities.Uplands: not a locality") for p in said)


def test_expected_from_must_be_one_of_the_rates(copy):
    edit(copy, lambda d: d.update(expected_from="census-2031"))
    assert any(
        p.startswith("charter/needs.yaml: (file): ") and "'census-2031' is not one of" in p
        for p in problems(copy)
    )


def test_unknown_need_and_provider(copy):
    def change(d):  # type: ignore[no-untyped-def]
        d["provision"][0]["needs"] = ["Dyslexia"]
        d["sources"]["register"]["provider"] = "nobody"

    edit(copy, change)
    said = problems(copy)
    assert any(p.startswith("charter/needs.yaml: provision.0.needs.0: 'Dyslexia'") for p in said)
    assert "charter/needs.yaml: sources.register.provider: unknown provider 'nobody'" in said


def test_need_shares_must_add_up_to_100(copy):
    edit(copy, lambda d: d["need_mix"]["shares"].update({"Autistic spectrum disorder": 50}))
    assert any(
        p.startswith("charter/needs.yaml: need_mix.shares:") and "add up to 120" in p
        for p in problems(copy)
    )


def test_boundaries_must_draw_every_locality(copy):
    path = copy / "localities.geojson"
    data = json.loads(path.read_text())
    data["features"] = data["features"][:4]
    path.write_text(json.dumps(data))
    assert "charter/localities.geojson: features: no boundary for locality 'Central'" in problems(
        copy
    )


def test_boundaries_file_must_be_geojson(copy):
    (copy / "localities.geojson").write_text("not json")
    assert any(
        p.startswith("charter/localities.geojson: (file): not GeoJSON") for p in problems(copy)
    )


def test_the_needs_file_is_optional(copy):
    (copy / "needs.yaml").unlink()
    assert load_charter(copy).needs is None


def test_s251_mapping_names_our_services(tmp_path, charter):
    mapping = load_s251_mapping(S251_DIR / "s251-outturn.yaml", charter)
    assert set(mapping.lines.values()) <= set(charter.needs.services)
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load((S251_DIR / "s251-outturn.yaml").read_text())
    data["lines"]["Fostering services"] = "fostering"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(CharterError) as err:
        load_s251_mapping(bad, charter)
    assert "bad.yaml: lines.Fostering services: 'fostering' is not a service" in str(err.value)
