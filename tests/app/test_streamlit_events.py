"""A session's elements reach the event loop in order, with one wake-up of the loop per burst
(ui/streamlit_events.py), on a real asyncio loop in its own thread."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import streamlit
from streamlit.runtime import app_session, runtime

import ui  # noqa: F401  (importing ui is what the app does first: it makes the change)
from ui import streamlit_events


class CountingLoop(asyncio.SelectorEventLoop):
    """A real event loop that counts how often another thread wakes it."""

    wakeups = 0

    def call_soon_threadsafe(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.wakeups += 1
        return super().call_soon_threadsafe(*args, **kwargs)


def running_loop() -> tuple[CountingLoop, threading.Thread]:
    loop = CountingLoop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    return loop, thread


def stop(loop: CountingLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def test_in_effect_for_the_version_it_was_checked_with():
    assert streamlit.__version__ == streamlit_events.CHECKED_WITH, (
        "Streamlit was upgraded: check ui/streamlit_events.py against its AppSession"
    )
    own = app_session.AppSession._call_soon_on_event_loop
    assert own is not streamlit_events.STREAMLITS_OWN
    assert runtime.Runtime._enqueued_some_message is not streamlit_events.STREAMLITS_OWN_WAKE


def test_a_burst_of_elements_wakes_the_loop_once_and_keeps_its_order():
    loop, thread = running_loop()
    try:
        busy, release, done = threading.Event(), threading.Event(), threading.Event()
        loop.call_soon_threadsafe(lambda: (busy.set(), release.wait(10)))  # the loop is busy
        assert busy.wait(10)
        session = SimpleNamespace(_event_loop=loop)  # what the method reads of a session
        seen: list[int] = []
        before = loop.wakeups
        for n in range(100):  # a script thread drawing a page's elements
            app_session.AppSession._call_soon_on_event_loop(session, lambda n=n: seen.append(n))
        app_session.AppSession._call_soon_on_event_loop(session, done.set)
        release.set()
        assert done.wait(10)
        assert seen == list(range(100))
        assert loop.wakeups - before == 1  # Streamlit's own woke it 101 times
        # and once drained, the next element wakes it again (never left waiting)
        again = threading.Event()
        app_session.AppSession._call_soon_on_event_loop(session, again.set)
        assert again.wait(10)
    finally:
        stop(loop, thread)


def test_a_failing_callback_is_reported_and_the_rest_still_run():
    loop, thread = running_loop()
    reported: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        done = threading.Event()
        session = SimpleNamespace(_event_loop=loop)

        def fail() -> None:
            raise ValueError("boom")

        app_session.AppSession._call_soon_on_event_loop(session, fail)
        app_session.AppSession._call_soon_on_event_loop(session, done.set)
        assert done.wait(10)
        assert [type(c["exception"]) for c in reported] == [ValueError]
    finally:
        stop(loop, thread)


def test_the_runtime_is_told_of_a_message_without_waking_the_loop_from_the_loop():
    loop, thread = running_loop()
    try:
        objs = SimpleNamespace(eventloop=loop, need_send_data=None)
        fake_runtime = SimpleNamespace(_get_async_objs=lambda: objs)

        async def make_event() -> None:
            objs.need_send_data = asyncio.Event()

        asyncio.run_coroutine_threadsafe(make_event(), loop).result(10)
        before = loop.wakeups

        async def on_the_loop() -> bool:
            runtime.Runtime._enqueued_some_message(fake_runtime)
            return objs.need_send_data.is_set()

        assert asyncio.run_coroutine_threadsafe(on_the_loop(), loop).result(10)
        assert loop.wakeups == before + 1  # run_coroutine_threadsafe's own, none more
        objs.need_send_data.clear()
        runtime.Runtime._enqueued_some_message(fake_runtime)  # from a script thread
        assert loop.wakeups == before + 2
        seen = asyncio.run_coroutine_threadsafe(asyncio.sleep(0, result=None), loop)
        seen.result(10)
        assert objs.need_send_data.is_set()
    finally:
        stop(loop, thread)


def test_a_server_started_before_ui_was_imported_gets_the_changed_wake_up(tmp_path):
    """`streamlit run` makes its Runtime (and binds its callback into the session manager)
    before any script imports `ui`: the change must reach that server too."""
    from streamlit.runtime.media_file_storage import MediaFileStorage
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    script = tmp_path / "app.py"
    script.write_text("", encoding="utf-8")
    storage: MediaFileStorage = MemoryMediaFileStorage("/media")
    config = runtime.RuntimeConfig(
        script_path=str(script),
        media_file_storage=storage,
        uploaded_file_manager=MemoryUploadedFileManager("/upload"),
    )
    changed = runtime.Runtime._enqueued_some_message
    runtime.Runtime._enqueued_some_message = streamlit_events.STREAMLITS_OWN_WAKE  # as at start
    try:
        server = runtime.Runtime(config)  # binds Streamlit's own, as `streamlit run` does
        manager = server._session_mgr
        assert manager._message_enqueued_callback.__func__ is streamlit_events.STREAMLITS_OWN_WAKE
        assert streamlit_events.batch_wakeups()  # what importing ui does
        wake = manager._message_enqueued_callback
        assert wake.__func__ is streamlit_events._enqueued_some_message
        assert wake.__self__ is server
    finally:
        runtime.Runtime._enqueued_some_message = changed
        runtime.Runtime._instance = None
