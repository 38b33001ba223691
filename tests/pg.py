"""A throwaway PostgreSQL for the tests: one cluster per test session, started here and
stopped at the end, and a fresh database per test copied from a migrated template.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user (Debian's
package creates it) on a temporary folder that user owns; as anyone else it runs as them. It
listens on a Unix socket in that folder only (no TCP port to collide with anyone's), with
durability switched off: the data is thrown away at the end. `make test` installs Debian's
`postgresql` when it is missing; without it these fixtures fail, saying so (never skip).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TEMPLATE = "outcomes_template"
_numbers = itertools.count(1)


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail(
            "PostgreSQL is not installed: run `make postgresql` (Debian's postgresql package)",
            pytrace=False,
        )
    return Path(found[-1]).parent


@dataclass
class Cluster:
    bin: Path
    folder: Path
    as_user: list[str]  # the command prefix that runs a program as the cluster's owner

    @property
    def socket(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}&port=5432"

    def run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(statement)

    def new_database(self) -> str:
        """A fresh, migrated database (a copy of the template): its URL."""
        name = f"test_{os.getpid()}_{next(_numbers)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def drop(self, url: str) -> None:
        from metrics.store.postgres import close_pool

        close_pool(url)
        name = url.split("?")[0].rsplit("/", 1)[-1]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_cluster() -> Cluster:
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="outcomes-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin_dir, folder, as_user)
    (folder / "socket").mkdir()
    if as_user:
        shutil.chown(folder / "socket", "postgres", "postgres")
    cluster.run(
        "initdb",
        "-D",
        str(folder / "data"),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    options = (
        f"-k {cluster.socket} -c listen_addresses='' -p 5432 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    cluster.run(
        "pg_ctl",
        "start",
        "-w",
        "-D",
        str(folder / "data"),
        "-l",
        str(folder / "log"),
        "-o",
        options,
    )
    cluster.admin(f"CREATE DATABASE {TEMPLATE}")
    _migrate_template(cluster)
    return cluster


def _migrate_template(cluster: Cluster) -> None:
    from metrics.store.connection import Store
    from metrics.store.postgres import close_pool

    url = cluster.url(TEMPLATE)
    with Store(url).connect():
        pass  # opening migrates it
    close_pool(url)  # a template must have no connections when it is copied


def stop_cluster(cluster: Cluster) -> None:
    try:
        cluster.run("pg_ctl", "stop", "-D", str(cluster.folder / "data"), "-m", "immediate")
    finally:
        shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh migrated PostgreSQL database for one test, dropped after it."""
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop(url)
