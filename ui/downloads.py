"""Downloads made on the click, for a person allowed them, behind a link that stops answering
a moment later.

Streamlit serves a download from `/media/<id>` to anyone who has the link, without asking who
they are. A button given the file's bytes registers them when the page is drawn, and the link
answers for as long as the page stays open (an internal pack still answered 120 s after it
was made). So every file here is written only when its button is pressed (`on_click`
"ignore": no rerun), by a function that checks the role of the person the button was drawn
for first; and the stored file is swept away LINK_SECONDS to twice LINK_SECONDS after it was
written: long enough for the browser, which asks for it at once, and no longer. What remains
is said in the README ("Downloads and attachments"): within those seconds the link (a
128-bit hash of the file) answers whoever presents it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st
from streamlit import runtime

import ui
from metrics.access import require

LINK_SECONDS = 2.0
DOWNLOAD_ONLY = "ignore"  # no rerun on the click: the file is made and handed over, that is all


def ready(data: bytes) -> Callable[[], bytes]:
    """A `make` for a file already made (its bytes are still written only on the click)."""
    return lambda: data


def button(
    label: str,
    make: Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    roles: frozenset[str] | None = None,
    where: object = st,
) -> None:
    """A download button whose file is made on the click (by `make`), only for a person who
    holds one of `roles` (None: anyone who may see the page), and forgotten a moment later."""
    person = ui.user() if roles is not None else None  # (a chart's numbers: anyone on the page)

    def content() -> bytes:
        if roles is not None and person is not None:  # checked at the click, for the person
            require(person, roles, f"download {file_name}")  # the button was drawn for
        data = make()
        forget_soon()
        return data

    where.download_button(  # type: ignore[attr-defined]
        label, content, file_name=file_name, mime=mime, key=key, on_click=DOWNLOAD_ONLY
    )


def forget_soon() -> None:
    """Sweep the files no page shows, twice, LINK_SECONDS apart: the first sweep marks a
    download, the second deletes it (Streamlit's own rule for downloads, which it otherwise
    applies only when some page finishes a run). Any download made just before the first
    sweep still gets LINK_SECONDS to be fetched."""
    if runtime.exists():
        _later(2)


def _later(sweeps: int) -> None:
    timer = threading.Timer(LINK_SECONDS, _sweep, args=(sweeps,))
    timer.daemon = True
    timer.start()


def _sweep(sweeps: int) -> None:
    if not runtime.exists():
        return
    runtime.get_instance().media_file_mgr.remove_orphaned_files()
    if sweeps > 1:
        _later(sweeps - 1)
