"""Work that takes a while (making a pack, checking or storing a return, an import): shown
in Streamlit's status box, and said in a live region as well. The status box is an
expander with no live region, so a screen reader heard neither "Making the pack" nor that
it was ready or had failed (WCAG 4.1.3, status messages). The live region is Streamlit's
own info/success box (role "status"; an error is role "alert"), kept out of sight, since
the status box above it already shows the same words."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

LIVE = "live_status"  # the keys' prefix: ui/style.py keeps these boxes out of sight
State = Literal["running", "complete", "error"]


class Progress:
    """The status box, as `st.status` gives it (`write`, `update`), that also says each
    change of its label in the live region."""

    def __init__(self, box: Any, said: DeltaGenerator) -> None:
        self._box, self._said = box, said
        self.finished = False

    def write(self, *args: Any) -> None:
        self._box.write(*args)

    def update(self, *, label: str, state: State = "running", expanded: bool | None = None) -> None:
        self._box.update(label=label, state=state, expanded=expanded)
        self.say(label, state)

    def say(self, words: str, state: State) -> None:
        self.finished = state != "running"
        {"complete": self._said.success, "error": self._said.error}.get(state, self._said.info)(
            words
        )


@contextmanager
def status(label: str, *, expanded: bool = False) -> Iterator[Progress]:
    """`st.status(label)` with its label, and how the work ended, said to a screen reader.
    The live region is drawn first, holding the label, and changed in place after."""
    with st.container(key=f"{LIVE}_{zlib.crc32(label.encode()):08x}"):
        said = st.empty()
    with st.status(label, expanded=expanded) as box:
        progress = Progress(box, said)
        progress.say(label, "running")
        try:
            yield progress
        except Exception:
            progress.say(f"Could not finish: {label}", "error")
            raise
    if not progress.finished:  # ended without saying how: it ended well (as the box says)
        progress.say(f"Done: {label}", "complete")
