"""Keeping the server's long-lived objects out of Python's full garbage collections.

A full collection walks every object the collector tracks, holding Python's lock the whole
time: with a crowd, every session waits for it. The libraries and modules a server imports
live as long as it does, so they are moved out of the collector's sight (the standard
library's `gc.freeze`) once imported. `ui` does it when it is first imported, but the pages
import more afterwards (their views, the domain's modules, statistics libraries): on the
demo, some 900 modules more, and the full collections during a crowd walked 49,000–86,000
objects, 21–56 ms each (bench/README.md, "Pages: what a crowd visit pays that the floor's
does not"). So a run that finds more modules imported than at the last freeze freezes again.

What is frozen is still freed when nothing refers to it (reference counting); only a cycle
among frozen objects is never collected. Freezing comes when the server has imported
something new (a few times in its life) and after a collection, so the garbage of that
moment is not frozen with it; what other sessions' runs hold at that moment is, and a cycle
among those would stay (a one-off, bounded by one crowd's runs).
"""

from __future__ import annotations

import atexit
import gc
import sys
import threading

_LOCK = threading.Lock()
_frozen_with = 0  # how many modules were imported at the last freeze


def freeze_imported() -> bool:
    """Freeze everything the collector tracks now, if modules were imported since the last
    freeze; True if it did. Cheap when nothing is new: one length compared."""
    global _frozen_with
    if len(sys.modules) == _frozen_with:
        return False
    with _LOCK:
        modules = len(sys.modules)
        if modules == _frozen_with:
            return False
        gc.collect()
        gc.freeze()
        _frozen_with = modules
    return True


# Hand the frozen objects back at exit: frozen objects escape the collections at shutdown, so
# DuckDB's module objects outlived the interpreter and its bindings (nanobind) printed some 40
# "leaked instance/type/function" lines every time the app or a test run stopped.
atexit.register(gc.unfreeze)
