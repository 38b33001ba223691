"""A fresh `streamlit run` server (a pages/ folder beside app.py, so Streamlit starts in its
older pages-folder mode, whose navigation lists every page file): sessions arriving at once,
each by a deep link, end with the navigation app.py routes for the person, never the list of
every file (an administrator's pages included) that mode sends."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets import Subprotocol

from metrics.access import ANALYST
from ui.registry import allowed

DEEP_LINKS = ["Audit", "Reminders", "Upload", "Review", "Scorecard", ""]


async def _navigation_seen(url: str, page: str) -> list[str]:
    """The page names of the last navigation a session is sent, once its runs are done."""
    ws_url = url.replace("http://", "ws://", 1)
    last: list[str] = []
    async with websockets.connect(
        f"{ws_url}/_stcore/stream", subprotocols=[Subprotocol("streamlit")], max_size=None
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), 8)  # a rerun follows a run cut short
            except TimeoutError:
                return last
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            if forward.WhichOneof("type") == "navigation":
                last = [p.page_name for p in forward.navigation.app_pages if not p.is_hidden]


async def _crowd(url: str) -> list[list[str]]:
    return await asyncio.gather(*(_navigation_seen(url, page) for page in DEEP_LINKS))


def test_a_crowd_at_a_fresh_server_is_shown_only_its_own_pages(server):
    routed = {entry.label for entry in allowed([ANALYST])}  # the demo's reader by default
    # A thread of its own: Playwright's sync API may hold an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(lambda: asyncio.run(_crowd(server.url))).result(timeout=180)
    for page, names in zip(DEEP_LINKS, seen, strict=True):
        assert names, f"{page or 'overview'}: no navigation was sent"
        assert set(names) <= routed, (page, sorted(set(names) - routed))
        assert "Audit trail" not in names and "app" not in names
