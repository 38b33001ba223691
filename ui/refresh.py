"""Seeing another process's write before anyone asks: a server watches its DuckDB file, and
when the file changes (an analyst's `python -m metrics load`, a scheduled import) it reads
the new version in the background and works out what every page reads first.

DuckDB lets one process write a file, so the app lets go of it between reads (a kept
connection lingers 0.3 s: metrics/store/keeper.py) and must open it again after another
process's write to see what changed: about 40 ms of reading the catalogue, then the versions
query and the changed indicators' statuses on DuckDB's empty buffers. Paid by the first
person to open a page after a load, that made the first visit two to three times a warm one
(bench/README.md, "The cold page after an upload"). Here it is paid as soon as a command
(`python -m metrics ...`, which says it is at work on the file for as long as it runs:
metrics/store/on_disk.py, `command_at_work`) has ended (or, a command left at work, once the
file has been free and still for AT_WORK_SECONDS), or once a change made otherwise has been
still for QUIET_SECONDS; never while another process has the file open:
the versions (every cached read's key), the quarters with figures and the statuses of the
quarter a page opens on (`context.default_quarter`), which the statements, the review, the
scrutiny view and the scorecard are built from (the eight quarters before it too:
metrics/assess/status_kept.py's WINDOW), and that quarter's data quality (each indicator's
rating, on the indicator and statement pages).

What it costs others: the file is opened only when no other process holds it and no
command is at work on it, or none has been for AT_WORK_SECONDS of the file free and still
(so a command pausing longer than that between two steps may find the file held and wait
for it; never waited for here: a busy file is tried again later),
and then held for the work and the kept connection's linger, about 0.4 s, as a page's read
holds it; a command started within that waits its turn, as it does while people use the
app. Who holds the file is read from Linux's /proc/locks; where that cannot be read, a
command between two steps that leaves the file still for QUIET_SECONDS waits its turn. A
server nobody has used for ACTIVE_SECONDS does nothing (night-time imports and reminders run
alone), and its next visitor reads the change as before.

The results go into the caches the pages' own reads use (ui/reads.py), which work each
result out once while others asking for it wait. Nothing is drawn. Only a server watches
(not AppTest, whose runtime is a stand-in). A change the app made itself is
read again too: a save of commentary or an action moves the data version, so the latest
quarter's statuses are put together again in the background (from the kept statuses of
each indicator: metrics/assess/status_kept.py), and its data quality read again (about
50 ms: it is keyed on every kind of data, so any write moves it).

The threads that notice a change, and the timings named here, are ui/watches.py's (`Watch`
for a DuckDB file, `ServerWatch` for PostgreSQL); this module starts them and does the work.

On PostgreSQL there is no file to watch, and none is held: every write transaction
notifies the app servers as it commits (metrics/store/postgres_changes.py), and each
server's ServerWatch does the same work once the notifications have been quiet for
QUIET_SECONDS. Each app server behind the proxy listens for itself: its caches are its own.
The listener also lets the server keep the data versions between writes (a warm page run
then asks PostgreSQL nothing); while it reconnects every page run asks the server, and once
back it counts as a change, read here again, since a write may have been missed.
"""

from __future__ import annotations

import atexit
import threading
import time
from datetime import date
from pathlib import Path

from streamlit import runtime

from metrics.assess import status_kept
from metrics.store.on_disk import files_seen
from ui import context, reads
from ui.read_keys import QUARTERS, data_key
from ui.watches import ServerWatch, Watch, Watching

SETTLING_LOOKS = 5  # the versions are kept without opening the file once it has settled

_LOCK = threading.Lock()
_WATCHES: dict[str, Watching] = {}


def watch() -> Watching | None:
    """Start watching the app's store, once per database and process, in a server: its file
    (DuckDB) or its notifications (PostgreSQL). Every page run says the server is in use."""
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return None  # AppTest's runtime is a stand-in: its tests ask for what they read
    store = context.store()
    file = getattr(store, "file", None)
    listen = getattr(store, "listen", None)  # PostgreSQL's (PgStore), imported only there
    with _LOCK:
        found = _WATCHES.get(str(store.path))
        if found is None:
            if isinstance(file, Path):
                found = Watch(file, refresh)
            elif listen is not None:
                found = ServerWatch(listen, refresh)
            else:
                return None
            _WATCHES[str(store.path)] = found
    found.visited = time.monotonic()
    return found


def refresh() -> bool:
    """The versions, the quarters, and the statuses and data quality of the quarter a page
    opens on, as the pages read them, if the file can be opened at once (False if another
    process holds it)."""
    store = context.store()
    if not store.exists():
        return True  # nothing to read; never made here
    with store.connect_if_free() as free:
        if not free:
            return False
        key = data_key()
        quarter = context.default_quarter(reads._quarters(*data_key(*QUARTERS)))
        if quarter is not None:  # the quarter a page opens on; in memory only: the watch
            with status_kept.in_memory_only():  # writes nothing to the file it watches
                reads._status(*key, quarter)
            # Its data quality: each indicator's rating, beside the figures on the indicator
            # and statement pages; read again after every write (received returns, figures),
            # it was most of the indicator page's first visit after a load (bench/README.md).
            reads._quality(*key, quarter, date.today())
        file = getattr(store, "file", None)
        if not isinstance(file, Path):
            return True  # PostgreSQL: no file to settle; its versions are kept by the listener
        # The versions are kept without opening the file only once it has settled (on_disk's
        # 50 ms): ask once more then, while it is open and nobody else can change it.
        for _ in range(SETTLING_LOOKS):
            if files_seen(file) is not None:
                break
            time.sleep(0.02)
        store.versions()
    return True


@atexit.register
def _stop_all() -> None:
    with _LOCK:
        watches = list(_WATCHES.values())
        _WATCHES.clear()
    for one in watches:
        one.stop()
