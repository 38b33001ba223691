"""The one list of the app's pages: each page's file, its label in the navigation, its address
and the roles that may open it.

app.py routes from it (`st.navigation`, built afresh for the person using the app, so a page
they may not open is not routed at all: Streamlit answers "Page not found" and shows the
landing page), Streamlit draws what is routed as the sidebar's navigation, and the tests
read it. Each page still names its roles in its own `ui.page(title, roles=...)` call, which
refuses anyone else when the file is run some other way (defence in depth); a test checks
the two agree.

To add a page: write `pages/<n>_<Name>.py` starting with `ui.page(...)`, then add one line to
`PAGES` below. The order of `PAGES` is the order of the navigation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from metrics.access import (  # STAFF: the people who work with the figures (metrics/access)
    ADMIN,
    ANALYST,
    CHAIR,
    EVERY_ROLE,
    PROVIDER,
    STAFF as STAFF,
)

ROOT = Path(__file__).resolve().parent.parent  # the folder holding app.py and pages/

# Who sees which page. Every role reads the charter pages; the rest are for the roles that
# use them. A person may hold several roles.
READERS = EVERY_ROLE
ANALYSTS = frozenset({ANALYST})
ADMINS = frozenset({ADMIN})
CHAIRS = frozenset({CHAIR})  # the chair's own pages: reminders
RETURNS = frozenset({ANALYST, PROVIDER})  # a provider's person sees only their own
EVERYONE = READERS | {PROVIDER}  # pages with no figures: help, support, accessibility


@dataclass(frozen=True)
class Entry:
    """One page of the app. `url_path` is its address (`/Indicator`), kept as it was when
    Streamlit named pages after their files, so links people saved and shared still work;
    the overview's is "", the app's root."""

    file: str  # relative to the app's folder, as page links and AppTest name it
    label: str
    url_path: str
    roles: frozenset[str]

    def page(self) -> StreamlitPage:
        """The page as Streamlit routes and links it (built within a script run)."""
        return st.Page(
            ROOT / self.file,
            title=self.label,
            url_path=self.url_path,
            default=self.url_path == "",
        )


OVERVIEW = "pages/0_Overview.py"
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
REMINDERS_PAGE = "pages/18_Reminders.py"
SCORECARD_PAGE = "pages/19_Scorecard.py"
NEEDS_PAGE = "pages/20_Needs_and_resources.py"

# In the order the navigation shows them.
PAGES: tuple[Entry, ...] = (
    Entry(OVERVIEW, "Charter overview", "", READERS),
    Entry(STATEMENT_PAGE, "Statements", "Statement", READERS),
    Entry(INDICATOR_PAGE, "Indicators", "Indicator", READERS),
    Entry(SCRUTINY_PAGE, "Scrutiny: in plain English", "Scrutiny", READERS),
    Entry(SCORECARD_PAGE, "Scorecard: every measure over time", "Scorecard", READERS),
    Entry(EVIDENCE_PAGE, "What families and staff tell us", "Evidence", READERS),
    Entry(NEEDS_PAGE, "Needs and resources", "Needs_and_resources", READERS),
    Entry(REVIEW_PAGE, "Quarterly review", "Review", READERS),
    Entry(ACTIONS_PAGE, "Actions", "Actions", READERS),
    Entry(ACCOUNTABILITY_PAGE, "Accountability", "Accountability", READERS),
    Entry(SELF_REVIEW_PAGE, "Leadership self-review", "Self_review", STAFF),
    Entry(PACKS_PAGE, "Meeting packs", "Packs", READERS),
    Entry(QUALITY_PAGE, "Data quality", "Data_quality", READERS),
    Entry(REMINDERS_PAGE, "Reminders", "Reminders", CHAIRS),
    Entry(UPLOAD_PAGE, "Upload a return", "Upload", ANALYSTS),
    Entry(RETURNS_PAGE, "Partners' returns", "Returns", RETURNS),
    Entry(HISTORY_PAGE, "Upload history", "Upload_history", STAFF),
    Entry(AUDIT_PAGE, "Audit trail", "Audit", ADMINS),
    Entry(HELP_PAGE, "Help and definitions", "Help", EVERYONE),
    Entry(SUPPORT_PAGE, "Support and contact", "Support", EVERYONE),
    Entry(ACCESSIBILITY_PAGE, "Accessibility statement", "Accessibility", EVERYONE),
)
BY_FILE = {entry.file: entry for entry in PAGES}


# A page as links and routes name it, built once per process: building an st.Page resolves
# its file's path on disk (realpath, stat), and a run routes about twenty pages and draws as
# many links (py-spy found 7 % of a crowd's time in the links, and then 16 % in the routes).
# A link reads nothing but the page's address and title, so links share one. st.navigation
# marks the page it returns as the one that may run (`_can_be_called`, unmarked by `run()`),
# and sessions route at the same moment in their own threads: `routes` hands it a shallow
# copy of each (a page holds only its path, title, address and flags), never the shared one.
_BUILT: dict[str, StreamlitPage] = {}


def _linked(file: str) -> StreamlitPage:
    page = _BUILT.get(file)
    if page is None:
        page = BY_FILE[file].page()
        if get_script_run_ctx(suppress_warning=True) is not None:  # built in full
            _BUILT[file] = page
    return page


def link(file: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """A link to one of the pages, by its file: to its address as app.py routes it (and
    drawn without error when a page file is run on its own)."""
    st.page_link(_linked(file), label=label, query_params=query_params or None)


def allowed(roles: Iterable[str]) -> list[Entry]:
    """The pages a person holding `roles` may open, in the navigation's order."""
    held = set(roles)
    return [entry for entry in PAGES if entry.roles & held]


def routes(roles: Iterable[str], landing: Callable[[], None]) -> list[StreamlitPage]:
    """What app.py hands `st.navigation`: only the pages `roles` may open. Someone who may
    not read the overview (nobody signed in, a locked app, a person with no role, a
    partner's person) gets `landing` at the app's root instead: it says why and shows no
    figures. A locked app therefore routes nothing but the landing page."""
    pages = [copy.copy(_linked(entry.file)) for entry in allowed(roles)]
    if not any(page.url_path == "" for page in pages):
        root = st.Page(  # not listed in the navigation: it is no page of theirs to open
            landing, title=BY_FILE[OVERVIEW].label, url_path="", default=True, visibility="hidden"
        )
        pages.insert(0, root)
    return pages
