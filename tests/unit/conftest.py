"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from charter import Charter
from charter.ees_models import load_mapping
from metrics.store.connection import Store
from tests.conftest import DemoCopies, demo_copies_for, private_demo


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


# The shared demo fixtures of tests/conftest.py, defined again here so that the unit tests'
# (over both backends) and the other tests' (DuckDB) are cached apart: see tests/conftest.py.
@pytest.fixture(scope="session")
def demo_copies(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    charter: Charter,
    request: pytest.FixtureRequest,
) -> DemoCopies:
    return demo_copies_for(backend, tmp_path_factory, charter, request)


@pytest.fixture(scope="session")
def demo_db(demo_copies: DemoCopies) -> Path | str:
    return demo_copies.original


@pytest.fixture
def demo_store(demo_copies: DemoCopies) -> Iterator[Store]:
    yield from private_demo(demo_copies)
