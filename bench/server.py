"""Start a real `streamlit run` server on a free port, for the browser tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`streamlit run app.py` (or another `app`) against `db`, healthy before the constructor
    returns. It serves the demo (OUTCOMES_DEMO=1) unless `env` says otherwise. `db` is a
    DuckDB file, or a postgresql:// URL (then `log` says where the server's log goes)."""

    def __init__(
        self,
        db: Path | str,
        port: int | None = None,
        timeout: float = 60,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
        app: Path = ROOT / "app.py",
        log: Path | None = None,
    ):
        self.db, self.port = db, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if isinstance(db, str):
            if log is None:
                raise ValueError("a server on a database URL needs a log file")
            chosen = {"OUTCOMES_DATABASE_URL": db}
        else:
            chosen = {"OUTCOMES_DB": str(db)}
        self.log = log or Path(db).with_suffix(".log")
        # Only the database chosen here: the other setting, left in the shell, is dropped.
        inherited = {
            k: v for k, v in os.environ.items() if k not in {"OUTCOMES_DB", "OUTCOMES_DATABASE_URL"}
        }
        env = {**inherited, **chosen, "OUTCOMES_DEMO": "1", **(env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *(args or []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
