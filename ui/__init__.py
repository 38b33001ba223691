"""Shared Streamlit helpers: every page starts with `ui.page(...)`.

app.py routes the pages of the one registry (ui/registry.py) that the person may open, and
runs the one asked for; `page()` then sets it up, draws the role-aware navigation and refuses
users without the page's role (again: a page file run on its own must refuse them too).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from metrics.access import (  # the roles, as ui.ANALYST etc.
    ADMIN as ADMIN,
    ANALYST as ANALYST,
    CHAIR as CHAIR,
    EVERY_ROLE as EVERY_ROLE,
    MEMBER as MEMBER,
    PROVIDER as PROVIDER,
)
from metrics.allocator import give_back_large_blocks
from metrics.publish.escape import markdown as markdown  # pages escape user text with ui.markdown
from ui import access, keys, refresh, runs, streamlit_config, streamlit_events, streamlit_scripts
from ui.context import (  # the store, the charter, the person and the quarter carried
    CHOSEN_QUARTER as CHOSEN_QUARTER,
    LINGER as LINGER,
    carried as carried,
    charter as charter,
    default_quarter as default_quarter,
    follow_reloads_once,
    store as store,
    user as user,
)
from ui.guards import (  # a plain message for a broken store, the role at an action
    plain_failure as plain_failure,
    query_choice as query_choice,
    require as require,
)
from ui.prefetch import prefetch as prefetch  # read ahead what a page is about to read
from ui.reads import (  # the cached reads every page uses, as ui.status(...) etc.
    audience as audience,
    evidence_about as evidence_about,
    figure as figure,
    indicator_groups as indicator_groups,
    indicator_key as indicator_key,
    indicator_view as indicator_view,
    outlook as outlook,
    policy as policy,
    public as public,
    quality as quality,
    quarters as quarters,
    review as review,
    review_extras as review_extras,
    scorecard as scorecard,
    scrutiny_facts as scrutiny_facts,
    status as status,
    trajectories as trajectories,
    withheld as withheld,
)
from ui.registry import (  # the one page registry: what app.py routes, the sidebar lists
    ACCESSIBILITY_PAGE as ACCESSIBILITY_PAGE,
    ACCOUNTABILITY_PAGE as ACCOUNTABILITY_PAGE,
    ACTIONS_PAGE as ACTIONS_PAGE,
    ADMINS as ADMINS,
    ANALYSTS as ANALYSTS,
    AUDIT_PAGE as AUDIT_PAGE,
    BY_FILE,
    CHAIRS as CHAIRS,
    EVERYONE as EVERYONE,
    EVIDENCE_PAGE as EVIDENCE_PAGE,
    HELP_PAGE as HELP_PAGE,
    HISTORY_PAGE as HISTORY_PAGE,
    INDICATOR_PAGE as INDICATOR_PAGE,
    NEEDS_PAGE as NEEDS_PAGE,
    OVERVIEW as OVERVIEW,
    PACKS_PAGE as PACKS_PAGE,
    PAGES as PAGES,
    QUALITY_PAGE as QUALITY_PAGE,
    READERS as READERS,
    REMINDERS_PAGE as REMINDERS_PAGE,
    RETURNS as RETURNS,
    RETURNS_PAGE as RETURNS_PAGE,
    REVIEW_PAGE as REVIEW_PAGE,
    ROOT,
    SCORECARD_PAGE as SCORECARD_PAGE,
    SCRUTINY_PAGE as SCRUTINY_PAGE,
    SELF_REVIEW_PAGE as SELF_REVIEW_PAGE,
    STAFF as STAFF,
    STATEMENT_PAGE as STATEMENT_PAGE,
    SUPPORT_PAGE as SUPPORT_PAGE,
    UPLOAD_PAGE as UPLOAD_PAGE,
    allowed,
    link as link,
    routes as registry_routes,
)
from ui.style import CSS

YOUNG_GENERATION_OBJECTS = 50_000  # allocations between the collector's young passes


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
    # Python's full collections (Streamlit's after every run is switched off in
    # .streamlit/config.toml, `runner.postScriptGC`; the interpreter's own still come) would
    # walk the libraries above: some 170,000 long-lived objects, about 0.15 s each time. They
    # live as long as the server, so move them out of the collector's sight once (the standard
    # library's gc.freeze); what pages create afterwards is still collected.
    gc.collect()
    gc.freeze()
    # ...but hand them back at exit: frozen objects escape the collections at shutdown, so
    # DuckDB's module objects outlived the interpreter and its bindings (nanobind) printed
    # some 40 "leaked instance/type/function" lines every time the app or a test run stopped.
    atexit.register(gc.unfreeze)
    # A page's run makes thousands of short-lived objects (elements, messages, rows): at
    # Python's 700 the young generation was collected five or six times a warm run of the
    # overview (1.3 ms of its CPU), each time walking what was still alive. A server's CPU per
    # visit in a crowd, taking turns with one left at 700: 4-6 % less (bench/README.md,
    # "Pages: the young generation"). The older generations' thresholds are left as they are.
    gc.set_threshold(YOUNG_GENERATION_OBJECTS, *gc.get_threshold()[1:])


give_back_large_blocks()  # an upload's large buffers go back to the system when freed
_warm_up()
streamlit_config.read_without_lock()  # a crowd no longer queues on the config lock
streamlit_events.batch_wakeups()  # the event loop woken once per burst of elements
streamlit_scripts.keep_compiled_scripts()  # pages not compiled again when a server empties

APP_NAME = "Outcomes for disabled children"
ROUTED = "routed by app.py"  # this run's pages are Streamlit's navigation (ui/runs.py)


def route_and_run() -> None:
    """What app.py does: route the pages this person may open (`routes`), as Streamlit's own
    navigation in the sidebar, and run the one asked for."""
    st.navigation(routes(), position="sidebar", expanded=True).run()


def routes() -> list[StreamlitPage]:
    """The pages app.py routes for the person using the app (worked out afresh, drawing
    nothing): those their roles may open, or only the landing page."""
    runs.once_per_run(ROUTED, lambda: True)
    follow_reloads_once()  # a charter reload on another server, before the charter
    return registry_routes(user().roles, landing)


def landing() -> None:
    """The app's root for someone who may not read the overview: `page()` says why (sign-in
    not configured, not signed in, no role, a partner's person: go to your returns)."""
    page(BY_FILE[OVERVIEW].label)
    st.stop()  # never reached without a reader's role: nothing below draws figures


def navigation(where: DeltaGenerator, roles: Iterable[str]) -> None:
    """The app's name and council above the role picker. The pages are Streamlit's own
    navigation, of the pages app.py routes (`routes`), drawn from the message every run sends
    anyway; a page file run on its own is routed by nothing, so it draws the links itself.
    Streamlit's links keep the session, and with it the chosen quarter (`CHOSEN_QUARTER`),
    which the next page's picker puts back in its address."""
    with where:
        st.markdown(f"**{APP_NAME}**  \n{markdown(charter().council.name)}")
        if not routed():
            keep = carried()
            for entry in allowed(roles):
                link(entry.file, entry.label, keep)


def routed() -> bool:
    """Whether this run came through app.py's `st.navigation` (`routes`, this run), rather
    than a page file run on its own."""
    return runs.done_this_run(ROUTED)


_ROUTED_BEFORE = "_routed_before"  # not a widget key: this session has been routed by app.py


def _unrouted_in_pages_mode() -> bool:
    """Whether Streamlit (started on app.py) ran a page of the pages/ folder itself, in its
    older multipage mode, app.py unrouted: with a navigation of every file there. A server
    started by serve.py never enters that mode; `streamlit run app.py` does until some run
    calls st.navigation, and every session whose run began before that is in it too, so each
    such run is routed as app.py routes (not only the first: a crowd at a fresh server)."""
    if routed():  # (whatever the mode is now: another session may have left it meanwhile)
        st.session_state[_ROUTED_BEFORE] = True
        return False
    if st.session_state.get(_ROUTED_BEFORE):
        # Routed before, so the server has left that mode for good; only AppTest enters it
        # again for a page's own st.rerun(), and runs the page as a page file run alone.
        return False
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx is not None and Path(ctx.main_script_path).resolve() == ROOT / "app.py"


def page(title: str, roles: frozenset[str] = READERS, reads: tuple[str, ...] = ()) -> None:
    """Set the page up, draw the navigation and stop here for users without `roles`.
    `reads`: what the page reads besides the quarter's review ("quality", "scrutiny",
    "review extras", "statement", "indicator"), started in the background at once
    (ui/reads.py, `prefetch`)."""
    if _unrouted_in_pages_mode():
        # Route this same run as app.py does (st.navigation leaves that mode for good), the
        # page asked for running inside it, then end the run. Not st.rerun(): the browser
        # saw the cut-short run end with nothing drawn, and a test (or a person) acting then
        # met the next run half drawn (a deep link's quarter not yet shown, CI).
        route_and_run()
        st.stop()
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide")
    follow_reloads_once()  # (app.py's run did, before routing: a page file run alone)
    with plain_failure():  # a store that cannot be read says so plainly, from the first read
        refresh.watch()  # another process's write is read as soon as it is made
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
            link(RETURNS_PAGE, "Go to your returns")
        st.stop()
    st.title(title)
    if person.roles & READERS:  # not a partner's person: the review is not theirs to see
        with plain_failure():
            review_banner()


def tab_title(words: str) -> None:
    """The browser tab's title, once the page knows what it shows ("5. Timely assessment ·
    Statement"): every statement's and indicator's tab read the same (WCAG 2.4.2)."""
    st.set_page_config(page_title=f"{words} · {APP_NAME}")


def review_banner() -> None:
    """Where the chosen (or latest) quarter's review stands, on every page."""
    options = quarters()
    quarter = carried().get("quarter") or (options[0] if options else None)
    if quarter in options:  # the words alone, shared per data version and kind of reader:
        # the whole review, unpickled from its cache in every run, only to say this
        # (py-spy: 4 % of a crowd's samples)
        said = figure("review headline", quarter, build=lambda: review(quarter).headline())
        st.caption(markdown(said))


def quarter_picker() -> str | None:
    """The quarter to report on: the one in the link (?quarter=2025-26+Q4), else the one
    chosen on the last page, else the latest complete quarter with figures. The choice is
    put in the page's address, so a shared link reproduces the view."""
    options = quarters()
    if not options:
        st.info("No quarterly figures yet. An analyst can upload a return on the Upload page.")
        return None
    default = options.index(default_quarter(options) or options[0])
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
