"""What guards a page's work: a busy or broken store, or a refused action, said plainly
(`plain_failure`); the person's role checked again where an action happens (`require`); and
a choice named in the page's address checked against what there is (`query_choice`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from metrics.access import Actor
from metrics.access.people import AccessDenied, require as metrics_require
from metrics.publish.escape import markdown
from metrics.store.connection import StoreError, WriteConflict
from metrics.text_limits import TextTooLong
from ui.context import user


@contextmanager
def plain_failure() -> Iterator[None]:
    """Around work that opens the database or writes: a busy or broken store gives readers a
    plain message (never a path or a process id), and a refused action says why."""
    try:
        yield
    except (StoreError, WriteConflict) as err:  # a lost race a write did not word itself
        st.error(err.public)
        st.stop()
    except (AccessDenied, TextTooLong) as err:
        st.error(markdown(err))
        st.stop()


def require(roles: frozenset[str], action: str) -> Actor:
    """Where an action happens: the person, worked out afresh, must hold one of `roles`;
    otherwise the page says so and stops (a handler never trusts the page's own check)."""
    person = user()
    with plain_failure():
        metrics_require(person, roles, action)
    return person


def query_choice(name: str, options: list[str], noun: str) -> int:
    """The index of the option named in the page's query string (?name=...), else 0; a name
    that matches nothing is said so (never silently replaced by the first)."""
    wanted = st.query_params.get(name)
    if wanted is not None and wanted not in options:
        st.warning(f"There is no {noun} {markdown(wanted)}; showing the first {noun} instead.")
    return options.index(wanted) if wanted in options else 0
