"""The review's sections: the story behind a figure (shown and edited), agreed statuses and
the actions agreed last time (the chair's controls for the cycle: ui/review_chair.py). Every
edit control appears only for the roles that may use it, and every handler checks the role
again."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import streamlit as st

import ui
from charter import Charter
from metrics.access import CHAIR, MEMBER, Actor
from metrics.access.writing import ReviewError
from metrics.dates import COLUMN_DATE, date_time
from metrics.packs import free_text
from metrics.publish.escape import markdown
from metrics.review import actions, agreed, commentary, cycle, report
from metrics.store.connection import Store
from ui import forms
from ui.arrow_tables import arrow_of

WRITERS = frozenset({MEMBER, CHAIR})
CHAIRS = frozenset({CHAIR})
T = TypeVar("T")
MOVE = "review_move"
CONFIRM = "_review_confirm_sign_off"  # the quarter whose sign-off the chair is asked about
DUE_COLUMN = {"Due": st.column_config.DateColumn(format=COLUMN_DATE)}  # typed: sorts by date


def attempt(
    roles: frozenset[str],
    action: str,
    do: Callable[[Actor], T],
    fields: Mapping[str, forms.Place] | None = None,
) -> T | None:
    """Run a review change as the person using the app: their role is checked again here, a
    busy store or a refusal stops the page with a plain message, and a change the review's
    rules refuse (ReviewError) is said under the form, the rest of the page still drawn;
    one about a field in `fields` (the change's keyword -> its place) under that field too."""
    person = ui.require(roles, action)
    with ui.plain_failure():
        try:
            return do(person)
        except ReviewError as err:
            forms.refusal(err, fields or {})
            return None


def headline(built: report.Report) -> None:
    st.info(markdown(built.headline()), icon=":material/groups:")


def story(
    c: commentary.Commentary | None,
    stale: bool,
    heading: str = "The story behind it",
    lead: Sequence[str] = (),
) -> None:
    """Commentary as plain text, with who wrote it, the figure it was written against, and
    flags for copied or possibly stale text. The story is one element (its parts as
    paragraphs), after the paragraphs of `lead` (already escaped: the subject's status, the
    agreed status): Streamlit's cost is per element, and the review draws one per subject."""
    parts = [*lead, f"**{heading}**"]
    if c is None:
        parts.append(note("No commentary yet."))
    else:
        for label, text in (("What is happening", c.what), ("Why", c.why), ("What next", c.next)):
            parts.append(f"*{label}:* {markdown(text)}")
        byline = f"By {markdown(c.written_by)}, {date_time(c.written_at, short=True)}"
        if c.written_against():
            byline += f"; {markdown(c.written_against())}"
        parts.append(note(byline + "."))
    st.markdown("\n\n".join(parts), unsafe_allow_html=True)
    if c is not None and c.copied_from:
        st.warning(f"Copied from {c.copied_from}: not yet updated for this quarter.")
    if stale:
        st.warning("Possibly out of date: the figure it was written against has been revised.")


def note(text: str) -> str:
    """`text` (already escaped) as a caption would show it, inside a Markdown element."""
    return f'<span class="card-note">{text}</span>'


def agreed_line(found: agreed.Agreed | None, computed: str) -> None:
    for line in agreed_text(found, computed):
        st.markdown(line)


def agreed_text(found: agreed.Agreed | None, computed: str) -> list[str]:
    """The planning group's agreed status and who agreed it, escaped (none: no paragraph)."""
    if found is None:
        return []
    return [markdown(found.sentence(computed)) + f" ({markdown(found.agreed_by)})"]


def held_back_lead(built: report.Report, subject: str, lead: Sequence[str]) -> bool:
    """For a public reader, when the subject is held back: the `lead` paragraphs (already
    escaped), then why (True). Otherwise nothing drawn: the caller draws the lead with the
    story, in one element (False)."""
    if not built.held_back.get(subject):
        return False
    st.markdown("\n\n".join(lead), unsafe_allow_html=True)
    return held_back(built, subject)


def held_back(built: report.Report, subject: str) -> bool:
    """For a public reader: say why the subject's agreed status and commentary are not
    published (they touch a withheld figure; metrics/publish/withheld.py decides)."""
    why = built.held_back.get(subject)
    if why:
        st.caption(markdown(why))
    return bool(why)


def editor(
    store: Store,
    charter: Charter,
    quarter: str,
    subject: str,
    existing: commentary.Commentary | None,
    figure: commentary.Figure | None,
    previous: commentary.Commentary | None,
) -> None:
    """Write or edit the commentary: three short texts. The version the editor started from
    goes with the save, so a save over someone else's newer text is a conflict, not a loss.

    What this person's editor knows is one dict kept in the session, changed in place after a
    write: the version it started from ("base") and the version they saved last ("saved").
    Every use of `st.session_state` is a point where Streamlit ends the run for a rerun asked
    for meanwhile (a second click, a reconnection, anything sent while the write was under
    way); set there, a committed save went unrecorded: no "Saved", and the author's next save
    of the box refused as a conflict with their own text."""
    key = f"{quarter}:{subject}"
    mine: dict[str, int] = st.session_state.setdefault(f"editor:{key}", {})
    mine.setdefault("base", existing.version if existing else 0)
    copy = f"Start from {previous.quarter}'s text" if previous and not existing else None
    if copy and previous and st.button(copy, key=f"copy:{key}"):
        copied = attempt(
            WRITERS,
            "write commentary",
            lambda person: commentary.copy_forward(
                store, charter, person, quarter, subject, previous.quarter
            ),
        )
        if copied is None:
            return
        mine["base"] = copied.version
        st.rerun()
    with st.form(f"form:{key}"):
        texts = (
            st.text_area("What is happening", existing.what if existing else "", max_chars=2000,
                         key=f"what:{key}"),
            st.text_area("Why", existing.why if existing else "", max_chars=2000,
                         key=f"why:{key}"),
            st.text_area("What next", existing.next if existing else "", max_chars=2000,
                         key=f"next:{key}"),
        )  # fmt: skip
        submitted = st.form_submit_button("Save commentary")
    for w in free_text.check(charter, *texts):  # the author, before the pack is made
        st.warning(markdown(f"{w.sentence()} Commentary goes into the published scrutiny pack."))
    if not submitted:
        if existing is not None and mine.get("saved") == existing.version:
            st.success(f"Saved (version {existing.version}).")  # until someone saves anew
        return

    def save(person: Actor) -> commentary.Commentary | None:
        try:
            return commentary.save(
                store, charter, person, quarter, subject, texts,
                based_on=mine["base"], figure=figure,
            )  # fmt: skip
        except commentary.EditConflict as err:
            mine["base"] = err.theirs.version  # saving again keeps yours
            conflict(err)
            return None

    saved = attempt(WRITERS, "write commentary", save)
    if saved is None:
        return
    mine["base"] = mine["saved"] = saved.version  # in place: no point where the run can end
    st.rerun()  # the page above (the headline's count, the box's title) shows it at once


def conflict(err: commentary.EditConflict) -> None:
    st.error(markdown(err))
    left, right = st.columns(2)
    with left:
        story(err.theirs, False, heading=f"Saved by {markdown(err.theirs.written_by)}")
    with right:
        st.markdown("**Yours (not saved)**")
        for label, text in zip(("What is happening", "Why", "What next"), err.yours, strict=True):
            st.markdown(f"*{label}:* {markdown(text)}")
        st.caption("Your text is still in the boxes above: merge it, then save again.")


def last_meeting(found: list[actions.Action], charter: Charter) -> None:
    st.subheader("Actions agreed at the last meeting")
    if not found:
        st.caption("None were recorded.")
        return
    st.dataframe(
        arrow_of(action_rows(found, charter)),
        hide_index=True,
        key="last_meeting_actions",
        column_config=DUE_COLUMN,
    )


def action_rows(found: list[actions.Action], charter: Charter) -> list[dict[str, object]]:
    return [
        {
            "Action": f"#{a.action_id} {a.title}",
            "Status": a.state(),  # "overdue (last reported on track)", not both side by side
            "Due": a.due,
            "Owner": charter.owner_name(a.owner),
            "Latest update": a.note,
            "Agreed in": a.agreed_quarter,
        }
        for a in found
    ]


def beside_figure(built: report.Report, subject: str, computed: str) -> None:
    """On the indicator and statement pages: the agreed status next to the computed one, the
    commentary, and a revision since sign-off; for a public reader, why they are not
    published where they touch a withheld figure."""
    if held_back(built, subject):
        return
    agreed_line(built.agreed.get(subject), computed)
    kind, _, key = subject.partition(":")
    if kind == "indicator" and key in built.revised:
        pin, now = built.revised[key]
        said = cycle.changed_words(pin, now)
        st.warning(f"{markdown(said[0].upper() + said[1:])} ({built.review.quarter}).")
    found = built.commentary.get(subject)
    if found is not None:
        stale = any(e.stale for e in built.exceptions if e.commentary is found)
        story(found, stale, heading=f"The story behind the figure ({built.review.quarter})")


def earlier_versions(versions: list[commentary.Commentary]) -> None:
    """Every saved version of the commentary, newest first (nothing is ever overwritten)."""
    if len(versions) < 2:
        return
    with st.popover(f"Earlier versions ({len(versions) - 1})"):
        for c in versions[1:]:
            when = date_time(c.written_at, short=True)
            st.markdown(f"**Version {c.version}**, {markdown(c.written_by)}, {when}")
            for label, text in (("What", c.what), ("Why", c.why), ("Next", c.next)):
                st.markdown(f"*{label}:* {markdown(text)}")
