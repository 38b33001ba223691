"""What a browser test says when a commentary's "Saved" never shows: whether the save was
stored, what the box held, the page's connection and script state, and the connections and
messages the page sent (CI lost a confirmation now and then; never reproduced here)."""

from __future__ import annotations

from typing import Any

from metrics.review import commentary
from metrics.store.connection import Store

QUARTER = "2026-27 Q2"
_SENT: dict[int, dict[str, int]] = {}  # per page: connections opened, messages sent on them


def count_sent(page: Any) -> None:
    """Count from now on what `page` sends its server, for `why_not_saved`."""
    sent = _SENT[id(page)] = {"connections": 0, "messages sent": 0}

    def one_more(_frame: object) -> None:
        sent["messages sent"] += 1

    def opened(socket: Any) -> None:
        sent["connections"] += 1
        socket.on("framesent", one_more)

    page.on("websocket", opened)


def why_not_saved(page: Any, box: Any, store: Store, subject: str, log: str) -> str:
    """The failure's message: the box (open or not) and its text, the versions the store
    holds, the page's connection and script state, what it sent, and the end of `log`."""
    opened = box.locator("details").first.get_attribute("open", timeout=5_000) is not None
    kept = commentary.history(store, QUARTER, subject)
    root = page.locator('[data-testid="stApp"]')
    states = [root.get_attribute(f"data-test-{a}-state") for a in ("connection", "script")]
    return (
        f"no 'Saved (version 1).'; the box ({'open' if opened else 'closed'}) held:\n"
        f"{box.text_content(timeout=5_000)}\nversions stored: "
        f"{[(c.version, c.what) for c in kept]}; connection, script: {states}; "
        f"{_SENT.get(id(page))}\nserver log:\n{log[-3000:]}"
    )
