"""Shared fixtures: the shipped charter, fresh stores, and the demo database built once."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from charter import Charter, load_charter  # noqa: E402
from metrics.demo import build_demo  # noqa: E402
from metrics.store import Store  # noqa: E402

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def charter() -> Charter:
    return load_charter()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "test.duckdb")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, charter: Charter) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(Store(path), charter)
    return path


@pytest.fixture
def demo_store(demo_db: Path, tmp_path: Path) -> Store:
    """A private copy of the demo database, so a test may change it."""
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    return Store(copy)
