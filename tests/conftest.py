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
from metrics.demo.council import build_demo  # noqa: E402
from metrics.store.connection import Store, transaction  # noqa: E402

# The throwaway PostgreSQL (pg_cluster, pg_url) for tests that run on both backends.
pytest_plugins = ["tests.pg"]

SHARED = ROOT.parent / "shared"
# Small extracts of the real releases (tests/data/README.md), for tests that a fresh clone
# without ../shared must still run.
EXTRACTS = ROOT / "tests" / "data"


def database_at(path: Path, version: int):  # -> duckdb.DuckDBPyConnection
    """A database made by an older release of the app: migrations up to `version` only, open
    for a test to add what such a release stored (the next Store opening migrates it)."""
    import duckdb

    from metrics.store.schema import MIGRATIONS

    con = duckdb.connect(str(path))
    for number, statements in enumerate(MIGRATIONS[:version], start=1):
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [number])
    return con


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-skips",
        action="store_true",
        help="fail the run when any test is skipped (make test: CI runs every test)",
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With --no-skips, a run that skipped a test fails, even if everything else passed: a
    skip in CI is a test that no longer runs (say, ../shared went missing)."""
    if not session.config.getoption("--no-skips") or hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller sees every worker's reports and decides
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped and session.exitstatus == pytest.ExitCode.OK:
        reporter.ensure_newline()
        reporter.write_line(f"--no-skips: {skipped} skipped; CI must run every test", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture
def hartlepool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Charter:
    """A charter folder whose council is a real one in the DfE release (Hartlepool), used via
    OUTCOMES_CHARTER, to rank and reconcile against published statistics."""
    import yaml

    from charter import CHARTER_DIR

    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    council = yaml.safe_load((root / "council.yaml").read_text())
    council["council"].update(
        code="E06000001",
        name="Hartlepool (test)",
        region={"code": "E12000001", "name": "North East"},
    )
    (root / "council.yaml").write_text(yaml.safe_dump(council))
    monkeypatch.setenv("OUTCOMES_CHARTER", str(root))
    return load_charter()


def plant_unreadable_figure(store: Store) -> None:
    """A figure as an older version could store it: period label '1-02 Q1' (year 1, unpadded),
    which no parser reads."""
    with store.connect() as con, transaction(con):
        con.execute(
            "INSERT INTO periods VALUES ('1-02 Q1', 'fy_quarter', '0001-04-01', '0001-06-30')"
        )
        con.execute(
            "INSERT INTO observations SELECT nextval('obs_id_seq'), 'short-breaks-receiving', "
            "'1-02 Q1', 'E99000001', '', '', 5, NULL, NULL, NULL, 'final', NULL, 1, false, NULL, "
            "'local'"
        )
