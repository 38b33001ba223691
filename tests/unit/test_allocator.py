"""The C allocator gives large blocks back to the system when they are freed, in the app
server's and the command line's processes (metrics/allocator.py). Each case runs in an
interpreter of its own, with none of glibc's own settings in its environment: the setting
is the whole process's, and glibc raises its threshold for good once a large block is
freed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from metrics import allocator
from tests.conftest import ROOT

# One large block freed (glibc then raises its threshold to that size unless it was set),
# then twelve blocks of 5 MiB written and freed but the last: the memory given back to the
# system, in MiB.
GIVEN_BACK_AFTER_FREEING = """
import ctypes, json, os
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
libc.free(libc.malloc(16 * 2**20))
blocks = []
for _ in range(12):
    block = libc.malloc(5 * 2**20)
    ctypes.memset(block, 1, 5 * 2**20)
    blocks.append(block)
before = resident()
for block in blocks[:-1]:
    libc.free(block)
print(json.dumps(before - resident()))
"""
# What would set glibc's allocator from outside: the test's process must not inherit it.
GLIBCS_OWN = ("MALLOC_", "GLIBC_TUNABLES", "LD_PRELOAD")


def _given_back(set_up: str) -> float:
    """MiB given back to the system when 11 of the 12 blocks are freed, after `set_up`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(GLIBCS_OWN)}
    done = subprocess.run(
        [sys.executable, "-c", set_up + GIVEN_BACK_AFTER_FREEING],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return float(json.loads(done.stdout.splitlines()[-1]))


def test_without_the_setting_freed_blocks_stay_with_the_process():
    """What the setting is for, as glibc does it (so the tests below can fail)."""
    assert _given_back("") < 5


def test_with_the_setting_freed_blocks_go_back_to_the_system():
    set_up = "from metrics import allocator\nassert allocator.give_back_large_blocks()\n"
    assert _given_back(set_up) > 50


def test_the_command_line_sets_it():
    set_up = (
        "import contextlib, io, runpy, sys\n"
        "sys.argv = ['metrics', '--help']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        runpy.run_module('metrics', run_name='__main__', alter_sys=True)\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert _given_back(set_up) > 50


def test_the_app_server_sets_it():
    assert _given_back("import ui\n") > 50


def test_elsewhere_than_linux_nothing_is_asked_of_the_c_library(monkeypatch):
    """On Windows `ctypes.CDLL(None)` raises TypeError: the platform is asked first, so
    importing the app or the command line cannot fail there."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert allocator._glibc("mallopt") is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert allocator._glibc("malloc_trim") is None
