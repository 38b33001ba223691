"""The chair shapes the packs on the Packs page: the quarter's key messages (the pack's first
page; versioned, frozen at sign-off) and which sections a pack for the chosen audience holds,
in order. Everyone else reads what the chair wrote in the pack itself."""

from __future__ import annotations

import streamlit as st

import ui
from metrics import packs as pack
from metrics.access import CHAIR
from metrics.packs import shape
from metrics.publish.escape import markdown
from metrics.review import key_messages
from ui import forms
from ui.review_view import attempt

MESSAGES, SECTIONS = "key_messages", "pack_sections"
CHAIRS = frozenset({CHAIR})


def part_key(part: str) -> str:
    return f"key_message_{part}"


def chair(quarter: str, audience: str) -> None:
    """The chair's forms (nobody else sees them)."""
    if CHAIR not in ui.user().roles or audience not in pack.AUDIENCES:
        return
    with st.expander("Chair: the key messages and the pack's sections"):
        messages(quarter)
        sections(audience)


def messages(quarter: str) -> None:
    st.markdown(f"**Key messages for {quarter}** (the first page of both packs)")
    forms.said(MESSAGES)
    written = key_messages.current(ui.store(), quarter)
    if written is not None:
        st.caption(markdown(f"Version {written.version}, by {written.written_by}."))
    texts = written.texts if written else ("", "", "", "")
    with st.form(MESSAGES):
        typed = [
            st.text_area(label, value=text, key=part_key(part), max_chars=2000)
            for (part, label), text in zip(key_messages.PARTS, texts, strict=True)
        ]
        if not st.form_submit_button("Save the key messages"):
            return
    based_on = written.version if written else 0
    done = attempt(
        CHAIRS,
        "write the key messages",
        lambda person: key_messages.save(
            ui.store(), person, quarter, (typed[0], typed[1], typed[2], typed[3]),
            based_on=based_on,
        ),
    )  # fmt: skip
    if done is not None:
        clear = [part_key(p) for p, _ in key_messages.PARTS]
        forms.saved(MESSAGES, f"Key messages saved (version {done.version}).", clear=clear)


def sections(audience: str) -> None:
    st.markdown(f"**Sections of the {audience} pack**, in the order chosen")
    forms.said(SECTIONS)
    now = shape.sections_for(ui.store(), audience)
    with st.form(SECTIONS):
        chosen = st.multiselect(
            "Sections (in order: remove and add again to move one to the end)",
            list(shape.SECTIONS),
            default=list(now),
            format_func=shape.SECTIONS.__getitem__,
            key=f"{SECTIONS}_{audience}",
        )
        if not st.form_submit_button("Save the sections"):
            return
    done = attempt(
        CHAIRS,
        "choose a pack's sections",
        lambda person: shape.choose(ui.store(), person, audience, chosen, pack.AUDIENCES),
    )
    if done is not None:
        forms.saved(SECTIONS, "Sections saved.", clear=[f"{SECTIONS}_{audience}"])
