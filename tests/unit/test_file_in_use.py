"""Who else has a DuckDB file, told from Linux's /proc/locks without opening it
(metrics/store/on_disk.py): another process with the file open, and a command at work on it
between two openings. Real processes, real DuckDB files."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from metrics.store import on_disk
from metrics.store.on_disk import InUse, command_at_work, in_use_elsewhere, working_marker
from tests.conftest import ROOT

OPEN_IT = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('open', flush=True)\n"
    "sys.stdin.readline()\n"
)
AT_WORK = (
    "import sys\n"
    "from pathlib import Path\n"
    "from metrics.store.on_disk import command_at_work\n"
    "with command_at_work(Path(sys.argv[1])):\n"
    "    print('at work', flush=True)\n"
    "    sys.stdin.readline()\n"
    "print('done', flush=True)\n"
    "sys.stdin.readline()\n"
)


def _started(code: str, file: Path) -> subprocess.Popen[str]:
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert other.stdout is not None
    other.stdout.readline()
    return other


def _step(other: subprocess.Popen[str]) -> str:
    assert other.stdin is not None and other.stdout is not None
    other.stdin.write("\n")
    other.stdin.flush()
    return other.stdout.readline().strip()


def test_a_file_another_process_has_open_is_in_use(tmp_path):
    file = tmp_path / "s.duckdb"
    duckdb.connect(str(file)).close()
    assert in_use_elsewhere(file) == InUse(store=False, command=False)
    other = _started(OPEN_IT, file)
    try:
        assert in_use_elsewhere(file) == InUse(store=True, command=False)
    finally:
        _step(other)
        other.wait(timeout=30)
    assert in_use_elsewhere(file) == InUse(store=False, command=False)


def test_this_processs_own_opening_is_not_another_s(tmp_path):
    file = tmp_path / "s.duckdb"
    con = duckdb.connect(str(file))
    try:
        with command_at_work(file):
            assert in_use_elsewhere(file) == InUse(store=False, command=False)
        # looking did not drop this process's own lock: another process still cannot open it
        opened = subprocess.run(
            [sys.executable, "-c", "import sys, duckdb; duckdb.connect(sys.argv[1])", str(file)],
            capture_output=True,
            text=True,
        )
        assert opened.returncode != 0 and "lock" in opened.stderr.lower()
    finally:
        con.close()


def test_a_command_at_work_is_seen_until_it_ends_though_the_file_is_closed(tmp_path):
    file = tmp_path / "s.duckdb"
    duckdb.connect(str(file)).close()
    other = _started(AT_WORK, file)
    try:
        assert in_use_elsewhere(file) == InUse(store=False, command=True)
        assert _step(other) == "done"  # its block has ended; the process has not
        assert in_use_elsewhere(file) == InUse(store=False, command=False)
    finally:
        _step(other)
        other.wait(timeout=30)
    assert working_marker(file).exists()


def test_a_real_command_says_it_is_at_work_while_it_runs(tmp_path):
    """`python -m metrics load`: seen at work by a thread looking from before it starts,
    and not after it has returned."""
    path = tmp_path / "return.csv"
    path.write_text("indicator,period,value\nshort-breaks-receiving,2001-02 Q3,411\n")
    store = tmp_path / "s.duckdb"
    seen: list[InUse | None] = []
    stop = threading.Event()

    def looking() -> None:
        while not stop.is_set():
            seen.append(in_use_elsewhere(store))
            time.sleep(0.005)

    looker = threading.Thread(target=looking)
    looker.start()
    try:
        command = [sys.executable, "-m", "metrics", "load", str(path)]
        command += ["--db", str(store), "--user", "t"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    finally:
        stop.set()
        looker.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert any(s is not None and s.command for s in seen)
    assert any(s is not None and s.store for s in seen)
    assert in_use_elsewhere(store) == InUse(store=False, command=False)


def test_without_proc_locks_nothing_is_told(tmp_path, monkeypatch):
    file = tmp_path / "s.duckdb"
    duckdb.connect(str(file)).close()
    monkeypatch.setattr(on_disk, "LOCKS", tmp_path / "no-such-locks")
    assert in_use_elsewhere(file) is None


def test_a_marker_that_cannot_be_made_says_nothing_and_the_command_runs(tmp_path):
    missing = tmp_path / "no-such-folder" / "s.duckdb"
    ran = []
    with command_at_work(missing):
        ran.append(1)
    assert ran == [1] and not missing.parent.exists()


def test_a_link_left_where_the_marker_goes_is_not_followed(tmp_path):
    file = tmp_path / "s.duckdb"
    elsewhere = tmp_path / "elsewhere"
    working_marker(file).symlink_to(elsewhere)
    ran = []
    with command_at_work(file):  # said nothing; the command runs all the same
        ran.append(1)
    assert ran == [1] and not elsewhere.exists()


def test_another_persons_command_can_say_it_is_at_work_on_the_marker_one_made():
    """The marker is made readable by all (less the umask, here the usual 022): a second
    account's command (a scheduled job's, an analyst's) locks it read-only, as
    `command_at_work` does, and the server sees it. As root, the second account is `nobody`
    (util-linux's flock, which opens read-only and takes a shared lock: nobody cannot run
    this project's Python)."""
    # in /tmp whatever TMPDIR says: nobody must reach it, and pytest's own folders are 0700
    with tempfile.TemporaryDirectory(dir="/tmp") as made:
        folder = Path(made)
        folder.chmod(0o755)  # nobody may reach the store's folder
        _second_account(folder / "s.duckdb")


def _second_account(file: Path) -> None:
    duckdb.connect(str(file)).close()
    usual = os.umask(0o022)
    try:
        with command_at_work(file):
            pass
    finally:
        os.umask(usual)
    assert working_marker(file).stat().st_mode & 0o777 == 0o644  # all may read it
    if os.geteuid() != 0:
        return  # no second account to be without root; the mode above is what it needs
    other = subprocess.Popen(
        ["runuser", "-u", "nobody", "--", "flock", "-s", "-n", str(working_marker(file)),
         "-c", "echo locked; read line"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert other.stdout is not None
        said = other.stdout.readline().strip()
        assert said == "locked", other.communicate(timeout=30)[1]
        assert in_use_elsewhere(file) == InUse(store=False, command=True)
    finally:
        if other.returncode is None:  # not already ended (and read) by the failure above
            other.communicate("\n", timeout=30)
    assert other.returncode == 0
