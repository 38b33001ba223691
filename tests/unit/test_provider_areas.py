"""A provider sends only its own council's area (issue 25, section 6): England's, the region's
or another council's figures for its own indicator are refused, saying whose area each row is
and how to send ours; a layout may name other areas it sends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from charter import CHARTER_DIR, load_charter
from metrics.access.people import PROVIDER, Actor
from metrics.partners.submissions import submit
from metrics.store.queries import uploads

BREAKS = Actor("tom", "Tom Okafor", "tom.okafor@brightside.example", "app",
               frozenset({PROVIDER}), "short-breaks-trust")  # fmt: skip
HEALTH = Actor("priya", "Priya Shah", "priya.shah@wrenfieldhealth.example", "app",
               frozenset({PROVIDER}), "community-health")  # fmt: skip
HARTLEPOOL = "E06000001"  # a real council, known from DfE's releases


def template(area: str, indicator: str = "short-breaks-receiving") -> bytes:
    return f"indicator,period,value,area\n{indicator},2026-27 Q2,140,{area}\n".encode()


@pytest.mark.parametrize(
    ("area", "whose"),
    [("E92000001", "England"), ("E12000002", "North West"), (HARTLEPOOL, "another council's area")],
)
def test_a_provider_cannot_send_another_areas_figures(store, charter, area, whose):
    report = submit(store, charter, "short-breaks-trust", "r.csv", template(area), by=BREAKS)
    assert report.outcome == "rejected"
    [error] = report.errors
    assert error.column == "area" and error.value == area
    assert error.problem == (
        f"{area} is {whose}: Brightside Short Breaks (charity) sends figures for "
        f"{charter.council.name} only."
    )
    assert "Leave the area empty" in error.fix
    assert [u["outcome"] for u in uploads(store)] == ["rejected"]


def test_its_own_councils_area_is_accepted_empty_or_written(store, charter):
    for area in ("", charter.council.code):
        report = submit(store, charter, "short-breaks-trust", "r.csv", template(area), by=BREAKS)
        assert report.outcome == "submitted", [e.as_text() for e in report.errors]


def test_a_layout_may_name_other_areas_it_sends(store, tmp_path: Path, monkeypatch):
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    layout = root / "providers" / "community-health.yaml"
    layout.write_text(layout.read_text() + f"areas: [{HARTLEPOOL}]\n")
    charter = load_charter(root)
    assert charter.layouts["community-health"].areas == [HARTLEPOOL]
    sent = template(HARTLEPOOL, "autism-assessment-waiting")  # our template, not its layout
    report = submit(store, charter, "community-health", "r.csv", sent, by=HEALTH)
    assert report.outcome == "submitted", [e.as_text() for e in report.errors]
    report = submit(store, charter, "community-health", "r.csv", template("E92000001",
                    "autism-assessment-waiting"), by=HEALTH)  # fmt: skip
    assert report.outcome == "rejected" and "E92000001 is England" in report.errors[0].problem
