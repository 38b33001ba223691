"""Forms that save something, drawn so that what was just done shows at once.

After a success the page is drawn again straight away (`saved`), so everything above the
form (counts, tables, headlines) already includes the save, and the confirmation is said
where the form is (`said`). A form that makes something (an action, a question, an
evidence item) also carries a token (metrics/store/once.py) in its own key and its boxes' keys
(`key`): a success starts a new token, so the form comes back empty, and a second click on
the old form, even one sent before the page was drawn again, makes nothing new. A refused
save keeps the token, and so what the person typed, to put right.

Why not `st.form(clear_on_submit=True)`: it empties the boxes on every sending, so a
refused one (a due date in the past) would lose what was typed.

A text box drawn by `text_box` has a place just under it: what is wrong with it (left empty
when it is required, or not understood) is said there, naming the box by its label
(`refused`, `Box.refuse`). So is a refusal the domain finds later, once the form is sent
(a due date in the past: a `ReviewError` whose `field` names the change's keyword), under the
field's place (`under`, or a text box's), with a summary under the form (`refusal`).
Streamlit ties no message to a box, and a refusal said under the whole form ("Write the
reason ...") left a screen-reader user to work out which box was wrong (WCAG 3.3.1); said
where the box is, with its name, it is found by the box.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from metrics.access.writing import ReviewError
from metrics.publish.escape import markdown

_TOKEN = "_form_token:"
_SAID = "_form_said:"


def token(form: str) -> str:
    """This drawing of `form`'s token: the same until it is saved successfully."""
    return str(st.session_state.setdefault(_TOKEN + form, uuid.uuid4().hex))


def key(form: str, name: str) -> str:
    """A widget key (or the form's own, `name=""`) tied to this drawing of the form."""
    return f"{form}:{name}:{token(form)[:12]}" if name else f"{form}:{token(form)[:12]}"


def saved(form: str, message: str, clear: Iterable[str] = ()) -> NoReturn:
    """After a successful save: a fresh (empty) form, its confirmation kept for the next
    run, and the page drawn again at once so that everything on it shows the save. `clear`:
    the keys of a form's boxes that are not tied to its token, to empty as well."""
    for name in clear:
        st.session_state.pop(name, None)
    st.session_state[_TOKEN + form] = uuid.uuid4().hex
    st.session_state[_SAID + form] = message
    st.rerun()


def said(form: str) -> None:
    """The confirmation of `form`'s last save, once, where the form is drawn."""
    message = st.session_state.pop(_SAID + form, None)
    if message:
        st.success(message)


@dataclass(frozen=True)
class Place:
    """The place just under one of a form's fields (a box, a date, a choice), by its label."""

    label: str
    under: DeltaGenerator

    def refuse(self, why: object) -> None:
        """Say under the field, naming it, what is wrong with what was given in it."""
        self.under.error(markdown(f"{self.label}: {why}"))


@dataclass(frozen=True)
class Box(Place):
    """A form's text box: its label, the place just under it, and what was typed."""

    value: str
    required: bool


def under(label: str) -> Place:
    """A place just under the field drawn last (`label`: its label), for a refusal found
    after the form is sent (`refusal`)."""
    return Place(label, st.empty())


def text_box(
    label: str, *, key: str, required: bool = False, area: bool = False, **options: Any
) -> Box:
    """A text box (`area`: a text area) of a form, with a place under it for its refusal;
    `required`: `refused` says so when it is left empty."""
    value = (st.text_area if area else st.text_input)(label, key=key, **options)
    return Box(label, st.empty(), value or "", required)


def refusal(err: ReviewError, fields: Mapping[str, Place]) -> None:
    """A change the domain refused after the form's own checks (a due date in the past, an
    unknown owner). About a field of the form (`err.field`, a keyword of the change, in
    `fields`): said under that field, naming it, and summed up under the form (GOV.UK's error
    summary); about none, under the form."""
    place = fields.get(err.field) if err.field else None
    if place is None:
        st.error(markdown(err))
        return
    place.refuse(err)
    st.error(markdown(f"Not saved. {place.label}: {err}"))


def refused(*boxes: Box) -> bool:
    """After the form is sent: each required box left empty is said under it, by its name;
    True when any was (the form is then not saved, and what was typed stays)."""
    empty = [box for box in boxes if box.required and not box.value.strip()]
    for box in empty:
        box.refuse("this box is empty. Write in it, then send the form again.")
    return bool(empty)
