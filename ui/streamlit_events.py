"""Streamlit's hand-over of a script's elements to the server's event loop, one wake-up per
burst instead of one per element, for a crowd.

Every element a script draws goes from its script thread to the event loop through
`AppSession._call_soon_on_event_loop`, which calls `loop.call_soon_threadsafe` once per
element: a write to the loop's wake-up socket each time. On the loop, queueing the element
for the browser calls `Runtime._enqueued_some_message`, another `call_soon_threadsafe`, and
so a second write, although it already runs on the loop. py-spy on `make bench`'s crowd of
24 (quiet machine, bench/README.md) found the script threads in that first write for a fifth
of their time; a page of ours draws 50 to 150 elements.

Below, a session's callbacks still run on the loop in the order they were made, but they
wait in one queue per session and the loop is woken once for all that have arrived before it
gets to them (the "drain"). `_enqueued_some_message`, called on the loop itself, sets the
runtime's event directly (what the scheduled call would have done a moment later). Only the
version it was checked against is changed: another version keeps Streamlit's own, and
tests/app/test_streamlit_events.py fails until this is looked at again.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import streamlit
from streamlit.runtime import app_session, runtime

CHECKED_WITH = "1.67.0"
STREAMLITS_OWN = app_session.AppSession._call_soon_on_event_loop  # kept for the tests
STREAMLITS_OWN_WAKE = runtime.Runtime._enqueued_some_message


class Batched:
    """One session's callbacks for the event loop, in order, with at most one wake-up of
    the loop outstanding at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: deque[Callable[[], None]] = deque()
        self.lock = threading.Lock()
        self.scheduled = False  # a drain is due on the loop: no need to wake it again

    def call_soon(self, callback: Callable[[], None]) -> None:
        with self.lock:
            self.waiting.append(callback)
            if self.scheduled:
                return
            self.scheduled = True
        try:
            self.loop.call_soon_threadsafe(self.drain)
        except RuntimeError:  # the loop is closed (shutdown): dropped, as Streamlit does
            if not self.loop.is_closed():
                raise

    def drain(self) -> None:
        with self.lock:
            ready, self.waiting = self.waiting, deque()
            self.scheduled = False
        for callback in ready:
            try:
                callback()
            except Exception as err:  # as the loop reports a failed callback, and goes on
                self.loop.call_exception_handler(
                    {"message": "Exception in a session's callback", "exception": err}
                )


_BATCHES_LOCK = threading.Lock()  # one Batched per session, made once


def _call_soon_on_event_loop(self: Any, callback: Callable[[], None]) -> None:
    batched = getattr(self, "_ui_batched", None)
    if batched is None or batched.loop is not self._event_loop:
        with _BATCHES_LOCK:
            batched = getattr(self, "_ui_batched", None)
            if batched is None or batched.loop is not self._event_loop:
                batched = Batched(self._event_loop)
                self._ui_batched = batched
    batched.call_soon(callback)


def _enqueued_some_message(self: Any) -> None:
    objs = self._get_async_objs()
    try:
        on_loop = asyncio.get_running_loop() is objs.eventloop
    except RuntimeError:  # no loop running in this thread: a script thread
        on_loop = False
    if on_loop:
        objs.need_send_data.set()
    else:
        objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)


def _rebind(server: Any) -> None:
    """Hand the running server's sessions the changed `_enqueued_some_message`.

    The runtime gives its session manager the method bound when the server started
    (`message_enqueued_callback=self._enqueued_some_message`), and the manager gives it to
    every session it makes: changing the class afterwards (`ui` is first imported by the first
    script run, long after the start) reaches none of them. py-spy on a crowd still found
    Streamlit's own there, waking the loop from the loop for every element (6 % of the
    server's samples). So the manager and the sessions it holds get the method bound anew."""
    manager = getattr(server, "_session_mgr", None)
    if manager is None:  # AppTest's stand-in runtime (a Mock of Runtime): no sessions to hand
        return
    bound = server._enqueued_some_message  # now the changed one, bound to the server
    if hasattr(manager, "_message_enqueued_callback"):
        manager._message_enqueued_callback = bound
    for info in manager.list_active_sessions():
        info.session._message_enqueued_callback = bound


def batch_wakeups() -> bool:
    """Make sessions wake the event loop once per burst of elements; True if done."""
    if streamlit.__version__ != CHECKED_WITH:
        return False
    app_session.AppSession._call_soon_on_event_loop = _call_soon_on_event_loop  # type: ignore[method-assign]
    runtime.Runtime._enqueued_some_message = _enqueued_some_message  # type: ignore[method-assign]
    if runtime.Runtime.exists():  # a server already running (`streamlit run`)
        _rebind(runtime.Runtime.instance())
    return True
