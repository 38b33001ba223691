"""The Pack page's parts: who may make which pack, making it with progress shown, and the
download buttons. The domain checks the role again when the pack is made."""

from __future__ import annotations

import streamlit as st

import ui
from metrics import packs as pack
from metrics.access import STAFF, sees_real_figures
from metrics.packs import free_text, self_evaluation
from metrics.packs.content import AUDIENCE_WORDS
from metrics.publish.escape import markdown
from ui import downloads as download, review_view, working

AUDIENCE, MAKE, MADE = "pack_audience", "make_pack", "_made_pack"
SELF_EVALUATION = "self-evaluation draft"  # for the area SEND inspection, staff only
LABELS = {"html": "web page (HTML)", "pdf": "accessible PDF", "xlsx": "spreadsheet (XLSX)"}


def audience() -> str:
    """Scrutiny for everyone; the internal planning-group pack for staff only."""
    staff = sees_real_figures(ui.user())
    offered = [*pack.AUDIENCES, SELF_EVALUATION] if staff else [pack.SCRUTINY]
    chosen = st.radio("Audience", offered, key=AUDIENCE, format_func=lambda a: f"{a.capitalize()}")
    st.caption(AUDIENCE_WORDS.get(chosen, self_evaluation.AUDIENCE))
    return str(chosen)


def text_warnings(quarter: str, chosen: str) -> None:
    """Before a scrutiny pack is made: its free text that may say a small number or a name
    (for the chair, who makes it, and the staff who wrote it). Never for a councillor or
    other public reader: the warnings quote the words, including commentary held back from
    them because it could narrow a withheld figure ("4 parent carers")."""
    if chosen != pack.SCRUTINY or not sees_real_figures(ui.user()):
        return
    found = free_text.pack_warnings(ui.store(), ui.charter(), quarter)
    if found:
        st.warning(
            "Before publishing, check these words in the pack: a small number or a name can "
            "identify a child. Ask the author to change them where they do.\n\n"
            + "\n".join(f"- {markdown(w.sentence())}" for w in found)
        )


def make(quarter: str, chosen: str) -> None:
    internal = chosen in (pack.PLANNING_GROUP, SELF_EVALUATION)
    roles = frozenset(STAFF) if internal else ui.READERS
    kind = "self-evaluation" if chosen == SELF_EVALUATION else "meeting"
    with working.status(f"Making the {chosen} pack for {quarter}", expanded=True) as status:
        made = review_view.attempt(
            roles, f"make a {chosen} pack",
            lambda person: pack.make(
                ui.store(), ui.charter(), quarter, "" if kind == "self-evaluation" else chosen,
                pack.FORMATS, person, progress=status.write, kind=kind,
            ),
        )  # fmt: skip
        if made is None:
            status.update(label="The pack could not be made", state="error")
            return
        status.update(label=f"The {chosen} pack for {quarter} is ready", state="complete")
    built, files = made
    st.session_state[MADE] = {
        "title": built.title,
        "roles": frozenset(STAFF) if internal else None,
        "files": {fmt: (pack.file_name(built, fmt), data) for fmt, data in files.items()},
    }


def downloads() -> None:
    """The made pack's files, each written to a link only when its button is pressed, for a
    person who may have it (an internal pack: staff), and forgotten a moment later."""
    made = st.session_state.get(MADE)
    if not made:
        return
    roles = made.get("roles")
    if roles is not None and not ui.user().may(*roles):  # the demo's role changed since
        del st.session_state[MADE]
        return
    st.header("Download")
    st.markdown(markdown(made["title"]))
    for fmt, (name, data) in made["files"].items():
        download.button(
            f"Download the {LABELS[fmt]}", download.ready(data), name, pack.MEDIA[fmt],
            key=f"download_{fmt}", roles=roles,
        )  # fmt: skip
