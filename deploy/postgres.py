"""The throwaway PostgreSQL that `make cluster` starts when no OUTCOMES_DATABASE_URL is set:
Debian's newest installed version, in a temporary folder, as the `postgres` user when run as
root (PostgreSQL refuses root), reached on 127.0.0.1 with a password."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import subprocess
from pathlib import Path

from deploy import ClusterError

PG_INSTALLED = "/usr/lib/postgresql/*/bin/initdb"  # Debian's packages, by major version


class Postgres:
    """A throwaway PostgreSQL cluster (the newest version Debian has installed) in `folder`,
    on 127.0.0.1:`port` and a Unix socket in the folder, with a database `outcomes` owned by
    a role of the same name (password in the URL). Run as `postgres` when this runs as root."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        found = sorted(glob.glob(PG_INSTALLED), key=lambda p: int(p.split("/")[4]))
        self.bin = Path(found[-1]).parent if found else None
        self.data = folder / "data"
        self.password = secrets.token_urlsafe(24)
        self.url = f"postgresql://outcomes:{self.password}@127.0.0.1:{port}/outcomes"

    def _as_owner(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            self._as_owner(list(command)), capture_output=True, text=True, cwd=self.folder
        )
        if result.returncode != 0:
            raise ClusterError(f"{' '.join(command[:2])} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        if self.bin is None:
            raise ClusterError("PostgreSQL is not installed: `make cluster` installs it")
        if os.getuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.folder.chmod(0o700)
        bin_ = str(self.bin)
        self._run(
            f"{bin_}/initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth-local=peer",
            "--auth-host=scram-sha-256",
            "--no-sync",
            "-E",
            "UTF8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder}"
        )
        self._run(
            f"{bin_}/pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        psql = [f"{bin_}/psql", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres"]
        self._run(
            *psql,
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            f"CREATE ROLE outcomes LOGIN PASSWORD '{self.password}'",
        )
        self._run(*psql, "-c", "CREATE DATABASE outcomes OWNER outcomes")

    def check_loaded(self) -> None:
        """The demo went into this database (its store's schema_version has rows), not
        somewhere else."""
        psql = [f"{self.bin}/psql", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres"]
        query = "SELECT count(*) FROM schema_version"
        result = subprocess.run(
            self._as_owner([*psql, "-d", "outcomes", "-XtAc", query]),
            capture_output=True,
            text=True,
            cwd=self.folder,
        )
        if result.returncode != 0 or result.stdout.strip() in {"", "0"}:
            raise ClusterError(f"the demo is not in the PostgreSQL database:\n{result.stderr}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
