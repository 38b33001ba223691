"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest
import yaml

from charter.ees_models import load_mapping


@pytest.fixture
def budgets(tmp_path, charter):
    """A mapping for the one measure column of the small EES files in test_ees.py."""
    path = tmp_path / "pb.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": "Personal budgets",
                "file": "test.csv",
                "source": "test release",
                "measures": [
                    {"indicator": "personal-budgets-in-place", "value": "PersonalBudgets"}
                ],
            }
        )
    )
    return load_mapping(path, charter)


@pytest.fixture(scope="session", params=["duckdb", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The domain and store suite runs on both backends: every test using the shared `store`,
    `demo_db` or `demo_store` fixtures (tests/conftest.py) runs once on each."""
    return str(request.param)
