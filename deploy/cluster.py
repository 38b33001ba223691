"""`make cluster`: on one machine, a throwaway database, N app servers and HAProxy in front.

    python -m deploy.cluster [--servers N] [--port 8500] [--duckdb-copies]

The database is PostgreSQL: OUTCOMES_DATABASE_URL when set, otherwise a throwaway PostgreSQL
cluster (Debian's: 15 on Debian 12) in a temporary folder, run as the `postgres` user
(PostgreSQL refuses root), with the demo loaded into it. With --duckdb-copies each app
server gets its own copy of the demo DuckDB file instead: no shared data (a change made
through one server is not seen through another), but the proxy, stickiness, WebSockets and
failover are the same, so the proxy can be tried without PostgreSQL. Each app server is
`serve.py` on its own 127.0.0.1 port; the proxy (deploy/haproxy.cfg) is the only way in.
Ctrl-C stops all of it and removes its folders.

It always serves the demo (anyone may act as any role), so the proxy listens on a loopback
address only: any other address is refused, as serve.py refuses a demo on a network address.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy import ClusterError
from deploy.postgres import Postgres
from metrics import config
from metrics.deployment import is_loopback

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().with_name("haproxy.cfg")
DEMO_DB = ROOT / "data" / "outcomes.duckdb"
URL_ENV = "OUTCOMES_DATABASE_URL"
DB_ENV = "OUTCOMES_DB"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def haproxy_config(bind: str, run_dir: Path, servers: list[tuple[str, int]], base: str = "") -> str:
    """deploy/haproxy.cfg with its @...@ fields filled: one `server` line per app server,
    named as its sticky cookie says."""
    lines = [f"    server {name} 127.0.0.1:{port} check cookie {name}" for name, port in servers]
    text = TEMPLATE.read_text(encoding="utf-8")
    for field_, value in {
        "@BIND@": bind,
        "@RUN_DIR@": str(run_dir),
        "@BASE@": base,
        "@SERVERS@": "\n".join(lines),
    }.items():
        text = text.replace(field_, value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ClusterError("deploy/haproxy.cfg has a field cluster.py does not fill")
    return text


@dataclass
class Child:
    """A process the cluster started, with its own log file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, command: list[str], log: Path, env: dict[str, str] | None = None) -> Child:
    # Its own session: Ctrl-C reaches this script only, which then stops everything in order.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Child(name, process, log)


@dataclass
class Cluster:
    """The whole cluster; `with Cluster(...) as c:` starts it and always stops it."""

    servers: int = 2
    port: int = 8500
    address: str = "127.0.0.1"
    duckdb_copies: bool = False
    database_url: str | None = None
    source_db: Path = DEMO_DB
    # More for every app server: streamlit run's options (e.g. --secrets.files for sign-in)
    # and environment (e.g. OUTCOMES_DEMO=0 with OUTCOMES_CHARTER), as one installation has.
    app_options: list[str] = field(default_factory=list)
    app_env: dict[str, str] = field(default_factory=dict)
    apps: list[Child] = field(default_factory=list)
    proxy: Child | None = None
    postgres: Postgres | None = None
    run_dir: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="outcomes-cluster-"))
    )

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        if not is_loopback(self.address):
            raise ClusterError(
                f"the cluster serves the demo (anyone may act as any role): it listens on "
                f"127.0.0.1 or localhost only, not {self.address}"
            )
        if self.servers < 1:
            raise ClusterError(f"--servers must be 1 or more, not {self.servers}")
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            raise ClusterError("HAProxy is not installed: `make cluster` installs it")
        cookie_secret = secrets.token_urlsafe(48)  # one for all servers: see haproxy.cfg
        databases = self._databases()
        ports = [free_port() for _ in range(self.servers)]
        for number, (port, database) in enumerate(zip(ports, databases, strict=True), start=1):
            # Only the database this cluster chose: an OUTCOMES_DB or OUTCOMES_DATABASE_URL
            # left in the shell must not send a server elsewhere.
            inherited = {k: v for k, v in os.environ.items() if k not in {URL_ENV, DB_ENV}}
            env = {
                **inherited,
                **database,
                "OUTCOMES_DEMO": "1",
                "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
                **self.app_env,
            }
            command = [
                sys.executable,
                str(ROOT / "serve.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                *self.app_options,
            ]
            self.apps.append(start(f"app{number}", command, self.run_dir / f"app{number}.log", env))
        for app, port in zip(self.apps, ports, strict=True):
            self._wait(app, f"http://127.0.0.1:{port}")
        config = self.run_dir / "haproxy.cfg"
        names = [(app.name, port) for app, port in zip(self.apps, ports, strict=True)]
        config.write_text(haproxy_config(f"{self.address}:{self.port}", self.run_dir, names))
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
        if check.returncode != 0:
            raise ClusterError(f"HAProxy refuses {config}:\n{check.stderr.decode()}")
        self.proxy = start(
            "haproxy", [haproxy, "-db", "-f", str(config)], self.run_dir / "haproxy.log"
        )
        self._wait(self.proxy, self.url)

    def _databases(self) -> list[dict[str, str]]:
        """Each app server's database setting: its own DuckDB copy, or the one shared URL."""
        if self.duckdb_copies:
            if not self.source_db.exists():
                demo = [sys.executable, "-m", "metrics", "demo", "--db", str(self.source_db)]
                subprocess.run(demo, cwd=ROOT, check=True)
            copies = []
            for number in range(1, self.servers + 1):
                copy = self.run_dir / f"app{number}.duckdb"
                shutil.copy(self.source_db, copy)
                copies.append({DB_ENV: str(copy)})
            return copies
        if getattr(config, "DATABASE_URL_ENV", None) != URL_ENV:
            # Fail closed: app servers that ignore the URL would each open the default DuckDB
            # file instead, and `demo --db URL` would make a file named like the URL.
            raise ClusterError(
                f"this build has no PostgreSQL backend ({URL_ENV} is not read): "
                "use --duckdb-copies (make cluster DUCKDB_COPIES=1)"
            )
        url = self.database_url or os.environ.get(URL_ENV)
        if not url:
            folder = Path(tempfile.mkdtemp(prefix="outcomes-postgres-"))
            self.postgres = Postgres(folder, free_port())
            self.postgres.start()
            url = self.postgres.url
            # deploy/demo.py: `metrics demo` builds (and may replace) a DuckDB file only.
            demo = [sys.executable, "-m", "deploy.demo", url]
            result = subprocess.run(demo, cwd=ROOT, capture_output=True, text=True)
            if result.returncode != 0:
                raise ClusterError(
                    "loading the demo into PostgreSQL failed:\n"
                    + result.stdout
                    + result.stderr[-3000:]
                )
            self.postgres.check_loaded()
        self.database_url = url  # the one database every app server uses, for the caller
        return [{URL_ENV: url}] * self.servers

    def _wait(self, child: Child, url: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise ClusterError(f"{child.name} stopped:\n{child.log.read_text()[-3000:]}")
            if healthy(url):
                return
            time.sleep(0.3)
        raise ClusterError(f"{child.name} was not healthy in {timeout:.0f} s; see {child.log}")

    def _stats(self) -> list[list[str]]:
        """The proxy's `show stat` rows for the app servers (its runtime API)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.run_dir / "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        rows = [line.split(",") for line in data.decode().splitlines() if line and line[0] != "#"]
        return [r for r in rows if r[0] == "app_servers" and r[1] != "BACKEND"]

    def server_states(self) -> dict[str, str]:
        """Each app server's state as the proxy's health checks see it (UP, DOWN, ...)."""
        return {row[1]: row[17] for row in self._stats()}

    def sessions_served(self) -> dict[str, int]:
        """How many connections the proxy has sent to each app server so far (health checks
        not counted)."""
        return {row[1]: int(row[7]) for row in self._stats()}

    def stop(self) -> None:
        """The proxy first (no new requests), then the app servers, then the database."""
        try:
            for child in [c for c in [self.proxy, *self.apps] if c is not None]:
                try:
                    child.stop()
                except Exception:  # stop the rest all the same, then say what went wrong
                    child.process.kill()
                    raise
        finally:
            try:
                if self.postgres is not None:
                    self.postgres.stop()
            finally:
                if self.postgres is not None:
                    shutil.rmtree(self.postgres.folder, ignore_errors=True)
                shutil.rmtree(self.run_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.cluster", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="the proxy's port (default 8500)")
    parser.add_argument("--address", default="127.0.0.1", help="the proxy's address (loopback)")
    parser.add_argument(
        "--duckdb-copies",
        action="store_true",
        help="each app server on its own copy of the demo DuckDB file",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=DEMO_DB,
        help="with --duckdb-copies: the demo file to copy (built if missing)",
    )
    args = parser.parse_args(argv)
    cluster = Cluster(args.servers, args.port, args.address, args.duckdb_copies, source_db=args.db)

    def stop_on_signal(*_: object) -> None:
        # A second Ctrl-C while stopping must not leave servers behind: ignored from here.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        with cluster:
            where = "its own DuckDB copy each" if args.duckdb_copies else "one PostgreSQL database"
            print(
                f"{cluster.url}  ({args.servers} app servers on {where}; logs in "
                f"{cluster.run_dir}; Ctrl-C stops it all)",
                flush=True,
            )
            reported: set[str] = set()
            while cluster.proxy is not None and cluster.proxy.process.poll() is None:
                for app in cluster.apps:
                    if app.process.poll() is not None and app.name not in reported:
                        reported.add(app.name)
                        print(f"{app.name} has stopped; the proxy sends its users on", flush=True)
                time.sleep(1)
            print("the proxy stopped: stopping the cluster", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except ClusterError as err:
        print(f"make cluster: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
