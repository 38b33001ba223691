"""Seeing another process's write before anyone asks: a server watches its DuckDB file, and
when the file changes (an analyst's `python -m metrics load`, a scheduled import, a save on
another app server's page) it reads the new version in the background and works out what
every page reads first.

DuckDB lets one process write a file, so the app lets go of it between reads (a kept
connection lingers 0.3 s: metrics/store/keeper.py) and must open it again after another
process's write to see what changed: about 40 ms of reading the catalogue, then the versions
query and the changed indicators' statuses on DuckDB's empty buffers. Paid by the first
person to open a page after a load, that made the first visit two to three times a warm one
(bench/README.md, "The cold page after an upload"). Here it is paid as soon as the loading
process lets go of the file: the versions (every cached read's key), the quarters with
figures and the latest quarter's statuses, which the statements, the review, the scrutiny
view and the scorecard are built from (the eight quarters before it too:
metrics/assess/status_kept.py's WINDOW).

The results go into the caches the pages' own reads use (ui/reads.py), which work each
result out once while others asking for it wait: a page opened during the work waits for it
rather than doing it again. Nothing is drawn. Only a server watches (not AppTest, whose
runtime is a stand-in), and only a DuckDB file: PostgreSQL serves many processes at once,
and its versions are one query away.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from streamlit import runtime

from metrics.store.on_disk import files_seen, look
from ui import context, reads
from ui.read_keys import QUARTERS, data_key

log = logging.getLogger(__name__)

# How often the file is looked at (two `stat`s, some microseconds). A load's process holds
# the file until it ends, so this is about how soon after that the work starts.
POLL_SECONDS = 0.02
SETTLING_LOOKS = 50  # a file still changing a second later is asked about by the next visit

_LOCK = threading.Lock()
_WATCHES: dict[str, Watch] = {}


class Watch:
    """A thread looking at `file` every POLL_SECONDS and calling `on_change` when a commit
    has changed it, until `stop()`."""

    def __init__(self, file: Path, on_change: Callable[[], None]) -> None:
        self.file, self.on_change = file, on_change
        self.changes = 0  # changes worked on so far (tests wait for them)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking; a refresh under way is let finish (a read cut off by the
        interpreter's end leaves DuckDB's objects behind it, as ui/prefetch.py says)."""
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        seen = look(self.file)
        while not self._stopping.wait(POLL_SECONDS):
            now = look(self.file)
            if now == seen:
                continue
            seen = now  # (a change made while we work, our own opening's too, comes next)
            try:
                self.on_change()
                # The versions are kept without opening the file only once it has settled
                # (metrics/store/on_disk.py's 50 ms): ask once more then, while it is open.
                for _ in range(SETTLING_LOOKS):
                    if files_seen(self.file) is not None or self._stopping.wait(POLL_SECONDS):
                        break
                context.store().versions()
            except Exception:  # a page's own read of the same says what went wrong
                log.debug("reading %s again after a change failed", self.file, exc_info=True)
            self.changes += 1


def watch() -> Watch | None:
    """Start watching the app's store, once per file and process, in a server."""
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return None  # AppTest's runtime is a stand-in: its tests ask for what they read
    file = getattr(context.store(), "file", None)
    if not isinstance(file, Path):
        return None  # PostgreSQL
    with _LOCK:
        if str(file) not in _WATCHES:
            _WATCHES[str(file)] = Watch(file, refresh)
        return _WATCHES[str(file)]


def refresh() -> None:
    """The versions, the quarters and the latest quarter's statuses, as the pages read them."""
    key = data_key()
    options = reads._quarters(*data_key(*QUARTERS))
    if options:
        reads._status(*key, options[0])


@atexit.register
def _stop_all() -> None:
    with _LOCK:
        watches = list(_WATCHES.values())
        _WATCHES.clear()
    for one in watches:
        one.stop()
