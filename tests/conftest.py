"""Shared fixtures: the shipped charter, fresh stores, and the demo database built once."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from charter import Charter, load_charter  # noqa: E402
from metrics.demo.council import build_demo  # noqa: E402
from metrics.store.connection import Store, transaction  # noqa: E402
from tests.pg import TEMPLATE  # noqa: E402

# The throwaway PostgreSQL (pg_cluster, pg_url) for tests that run on both backends.
pytest_plugins = ["tests.pg"]
DEMO_TEMPLATE = "demo_template"

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


@pytest.fixture(scope="session")
def backend() -> str:
    """The store's backend for the shared fixtures below. The app and command-line tests run
    on the DuckDB file (what `make run` uses); tests/unit/conftest.py overrides this with both
    backends, so the whole domain and store suite runs on DuckDB and on PostgreSQL."""
    return "duckdb"


@contextmanager
def empty_store(backend: str, file: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh, empty store on `backend`: the DuckDB `file`, or a new PostgreSQL database
    dropped afterwards."""
    if backend == "duckdb":
        yield Store(file)
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    try:
        yield Store(url)
    finally:
        cluster.drop(url)


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh, empty store on the test's backend."""
    with empty_store(backend, tmp_path / "test.duckdb", request) as made:
        yield made


@pytest.fixture
def duckdb_store(tmp_path: Path) -> Store:
    """A fresh DuckDB file, for tests about the file itself (its lock, lingering, replacing
    it, the keeper, a file an older release made): they have no PostgreSQL counterpart."""
    return Store(tmp_path / "test.duckdb")


class DemoCopies:
    """The demo built once per backend, and private copies of it for tests that change it: a
    copied file (DuckDB) or `CREATE DATABASE ... TEMPLATE demo_template` (PostgreSQL)."""

    def __init__(self, backend: str, folder: Path, charter: Charter, cluster=None):
        self.backend = backend
        self.folder = folder
        self.cluster = cluster
        self.made: list[str] = []
        if backend == "duckdb":
            self.original: Path | str = folder / "demo.duckdb"
            build_demo(Store(self.original), charter)
            return
        from metrics.store.postgres import close_pool

        cluster.admin(f"CREATE DATABASE {DEMO_TEMPLATE} TEMPLATE {TEMPLATE}")
        template = cluster.url(DEMO_TEMPLATE)
        build_demo(Store(template), charter)
        close_pool(template)  # a template must have no connections when it is copied
        self.original = self.copy()  # the shared read-only demo: the template stays idle

    def copy(self) -> Path | str:
        """A new private copy of the demo: its file's path or its database's URL."""
        name = f"demo_{os.getpid()}_{len(self.made) + 1}"
        self.made.append(name)
        if self.backend == "duckdb":
            path = self.folder / f"{name}.duckdb"
            shutil.copy(self.original, path)
            return path
        self.cluster.admin(f"CREATE DATABASE {name} TEMPLATE {DEMO_TEMPLATE}")
        return self.cluster.url(name)

    def drop(self, copy: Path | str) -> None:
        if self.backend == "duckdb":
            Path(copy).unlink(missing_ok=True)
        else:
            self.cluster.drop(str(copy))


# The demo built for each backend in this process. pytest sets a session fixture up again
# whenever the `backend` parameter it depends on changes back (duckdb, postgresql, duckdb,
# ...); the demo is kept, not built again (PostgreSQL's template database already exists).
_DEMOS: dict[str, DemoCopies] = {}


def demo_copies_for(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    charter: Charter,
    request: pytest.FixtureRequest,
) -> DemoCopies:
    if backend not in _DEMOS:
        cluster = request.getfixturevalue("pg_cluster") if backend == "postgresql" else None
        folder = tmp_path_factory.mktemp(f"demo-{backend}")
        _DEMOS[backend] = DemoCopies(backend, folder, charter, cluster)
    return _DEMOS[backend]


def private_demo(demo_copies: DemoCopies) -> Iterator[Store]:
    copy = demo_copies.copy()
    try:
        yield Store(copy)
    finally:
        demo_copies.drop(copy)


# tests/unit/conftest.py defines these three again, over both backends. Each definition keeps
# its own cache: were the unit tests to share these, pytest would hand an app test that runs
# in the same process after them the demo it cached for `backend` = postgresql (a session
# fixture's cache does not know which `backend` fixture it was built with).
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
    """The demo, built once per backend and shared read-only: a file's path (DuckDB) or a
    database's URL (PostgreSQL); `Store(demo_db)` opens either."""
    return demo_copies.original


@pytest.fixture
def demo_store(demo_copies: DemoCopies) -> Iterator[Store]:
    """A private copy of the demo database, so a test may change it."""
    yield from private_demo(demo_copies)


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
        comparators=[],  # none: the demo's are chosen for the fictional council
    )
    council["council"].pop("comparators_note", None)
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
