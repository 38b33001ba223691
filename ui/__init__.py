"""Shared Streamlit helpers: every page (and app.py) starts with `ui.page(...)`.

Streamlit runs a file in `pages/` on its own when a deep link opens it (legacy multipage
mode), so nothing may rely on app.py having run first: `page()` sets the page up, draws the
role-aware navigation and refuses users without the role, on every page.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charter import Charter, load_charter
from metrics.access import (
    ADMIN,
    ANALYST,
    CHAIR,
    EVERY_ROLE,
    MEMBER,
    PROVIDER,
    AccessDenied,
    Actor,
    require as metrics_require,
)
from metrics.publish.escape import markdown
from metrics.store import Store, StoreError, WriteConflict
from metrics.template import latest_complete_quarter
from metrics.text_limits import TextTooLong
from ui import access, keys
from ui.reads import (  # the cached reads every page uses, as ui.status(...) etc.
    evidence_about as evidence_about,
    figure as figure,
    indicator_groups as indicator_groups,
    indicator_view as indicator_view,
    prefetch as prefetch,
    public as public,
    quality as quality,
    quarters as quarters,
    review as review,
    review_extras as review_extras,
    scrutiny_facts as scrutiny_facts,
    status as status,
    withheld as withheld,
)
from ui.style import CSS


def _warm_up() -> None:
    """Import and exercise the lazily-loaded libraries once, while `ui` itself is imported.

    Twenty people opening the app at once run their first scripts in parallel threads, and a
    library that two threads import lazily at the same moment can be seen half-initialised
    ("partially initialized module 'pandas'", caught by the load test). Python serialises the
    import of `ui`, which every page does first, so doing it here settles them for everyone.
    """
    frame = pd.DataFrame([{"a": 1, "b": "x"}])
    pa.Table.from_pandas(frame)
    fig = go.Figure([go.Scatter(x=["a"], y=[1]), go.Bar(x=[1], y=["a"], orientation="h")])
    fig.add_hline(y=1, annotation_text="t")
    fig.add_vline(x=1, annotation_text="t")
    fig.to_json()
    # Streamlit collects garbage in full after every script run (`runner.postScriptGC`): with
    # the libraries above that walks some 170,000 long-lived objects, about 0.15 s of every
    # page. They live as long as the server, so move them out of the collector's sight once
    # (the standard library's gc.freeze); what pages create afterwards is still collected.
    gc.collect()
    gc.freeze()
    # ...but hand them back at exit: frozen objects escape the collections at shutdown, so
    # DuckDB's module objects outlived the interpreter and its bindings (nanobind) printed
    # some 40 "leaked instance/type/function" lines every time the app or a test run stopped.
    atexit.register(gc.unfreeze)


_warm_up()

APP_NAME = "Outcomes for disabled children"

# Who sees which page. Every role reads the charter pages; the rest are for the roles that
# use them. A person may hold several roles.
READERS = EVERY_ROLE
STAFF = frozenset({ANALYST, MEMBER, CHAIR, ADMIN})  # not councillors: operational detail
ANALYSTS = frozenset({ANALYST})
ADMINS = frozenset({ADMIN})
RETURNS = frozenset({ANALYST, PROVIDER})  # a provider's person sees only their own
EVERYONE = READERS | {PROVIDER}  # pages with no figures: help, support, accessibility

OVERVIEW = "app.py"
STATEMENT_PAGE = "pages/1_Statement.py"
INDICATOR_PAGE = "pages/2_Indicator.py"
UPLOAD_PAGE = "pages/3_Upload.py"
HISTORY_PAGE = "pages/4_Upload_history.py"
HELP_PAGE = "pages/5_Help.py"
SUPPORT_PAGE = "pages/6_Support.py"
ACCESSIBILITY_PAGE = "pages/7_Accessibility.py"
AUDIT_PAGE = "pages/8_Audit.py"
REVIEW_PAGE = "pages/9_Review.py"
ACTIONS_PAGE = "pages/10_Actions.py"
ACCOUNTABILITY_PAGE = "pages/11_Accountability.py"
SCRUTINY_PAGE = "pages/12_Scrutiny.py"
PACKS_PAGE = "pages/13_Packs.py"
RETURNS_PAGE = "pages/14_Returns.py"
QUALITY_PAGE = "pages/15_Data_quality.py"
EVIDENCE_PAGE = "pages/16_Evidence.py"
SELF_REVIEW_PAGE = "pages/17_Self_review.py"

# (file, label, roles) in the order the navigation shows them.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    (OVERVIEW, "Charter overview", READERS),
    (STATEMENT_PAGE, "Statements", READERS),
    (INDICATOR_PAGE, "Indicators", READERS),
    (SCRUTINY_PAGE, "Scrutiny: in plain English", READERS),
    (EVIDENCE_PAGE, "What families and staff tell us", READERS),
    (REVIEW_PAGE, "Quarterly review", READERS),
    (ACTIONS_PAGE, "Actions", READERS),
    (ACCOUNTABILITY_PAGE, "Accountability", READERS),
    (SELF_REVIEW_PAGE, "Leadership self-review", STAFF),
    (PACKS_PAGE, "Meeting packs", READERS),
    (QUALITY_PAGE, "Data quality", READERS),
    (UPLOAD_PAGE, "Upload a return", ANALYSTS),
    (RETURNS_PAGE, "Partners' returns", RETURNS),
    (HISTORY_PAGE, "Upload history", STAFF),
    (AUDIT_PAGE, "Audit trail", ADMINS),
    (HELP_PAGE, "Help and definitions", EVERYONE),
    (SUPPORT_PAGE, "Support and contact", EVERYONE),
    (ACCESSIBILITY_PAGE, "Accessibility statement", EVERYONE),
]


def user() -> Actor:
    """The person using the app, worked out afresh from their sign-in: what every action
    passes to the domain, which checks the role again (no roles when nobody is signed in)."""
    return access.who(charter().council.contact, charter().providers)


# Seconds the app keeps the database open after its last read (metrics/store_keeper.py):
# long enough to serve a page, and everyone who opens one at the same moment, from one
# opening of the file; short enough that a scheduled load waits no longer than that.
LINGER = 0.3


@st.cache_resource
def store() -> Store:
    return Store(linger=LINGER)


@st.cache_resource
def charter() -> Charter:
    return load_charter()


def navigation(where: DeltaGenerator, roles: Iterable[str]) -> None:
    allowed = set(roles)
    keep = carried()  # the chosen quarter goes with the reader from page to page
    with where:
        st.markdown(f"**{APP_NAME}**  \n{markdown(charter().council.name)}")
        for file, label, needs in PAGES:
            if needs & allowed:
                st.page_link(file, label=label, query_params=keep or None)


CHOSEN_QUARTER = "_chosen_quarter"  # not a widget key: it outlives the page that set it


def carried() -> dict[str, str]:
    """Query parameters every link carries: the quarter being looked at."""
    quarter = (  # the picker's value first: it changes before the page is drawn again
        st.session_state.get(keys.PERIOD)
        or st.query_params.get("quarter")
        or st.session_state.get(CHOSEN_QUARTER)
    )
    return {"quarter": quarter} if quarter else {}


def page(title: str, roles: frozenset[str] = READERS, reads: tuple[str, ...] = ()) -> None:
    """Set the page up, draw the navigation and stop here for users without `roles`.
    `reads`: what the page reads besides the quarter's review ("quality", "scrutiny",
    "review extras", "statement", "indicator"), started in the background at once
    (ui/reads.py, `prefetch`)."""
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide")
    if roles & user().roles & READERS:
        prefetch(reads)
    st.markdown(CSS, unsafe_allow_html=True)
    nav = st.sidebar.container()  # drawn once the person, and so their roles, are known
    council = charter().council
    person = access.person(APP_NAME, council.contact, charter().providers)
    navigation(nav, person.roles)
    if not roles & person.roles:
        st.title("You do not have access to this page")
        st.error(
            f"This page is for the {access.role_names(roles)} role. Ask "
            f"{markdown(council.contact or 'your administrator')} if you need it."
        )
        if PROVIDER in person.roles:  # a partner's person has one page of their own
            st.page_link(RETURNS_PAGE, label="Go to your returns")
        st.stop()
    st.title(title)
    if person.roles & READERS:  # not a partner's person: the review is not theirs to see
        with plain_failure():
            review_banner()


def review_banner() -> None:
    """Where the chosen (or latest) quarter's review stands, on every page."""
    options = quarters()
    quarter = carried().get("quarter") or (options[0] if options else None)
    if quarter in options:
        st.caption(markdown(review(quarter).headline()))


def quarter_picker() -> str | None:
    """The quarter to report on: the one in the link (?quarter=2025-26+Q4), else the one
    chosen on the last page, else the latest complete quarter with figures. The choice is
    put in the page's address, so a shared link reproduces the view."""
    options = quarters()
    if not options:
        st.info("No quarterly figures yet. An analyst can upload a return on the Upload page.")
        return None
    latest = latest_complete_quarter().label
    default = options.index(latest) if latest in options else 0
    wanted = st.query_params.get("quarter") or st.session_state.get(CHOSEN_QUARTER)
    if wanted in options:
        default = options.index(wanted)
    elif wanted and st.query_params.get("quarter"):
        st.warning(f"There are no figures for {markdown(wanted)}; showing {options[default]}.")
    chosen = st.selectbox(
        "Quarter",
        options,
        index=default,
        key=keys.PERIOD,
        help="Financial-year quarters: Q1 is April to June.",
    )
    st.query_params["quarter"] = chosen
    st.session_state[CHOSEN_QUARTER] = chosen
    return chosen


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
