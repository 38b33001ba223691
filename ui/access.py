"""Who is using the app: sign-in (Streamlit's own `st.login`), the demo mode, the access page.

Three ways the app can be run (metrics/deployment.py checks the setup):
- **signed in**: `.streamlit/secrets.toml` has a working `[auth]` section; everyone signs in
  with the organisation's identity provider and gets roles from the token or the access list;
- **demo**, only when the operator asks for it (`OUTCOMES_DEMO=1`, as `make run` sets) and
  no secrets file holds a sign-in section or fails to parse: a banner says so and a sidebar
  picker chooses the role to try;
- **locked**, in every other case (no secrets file, one that does not parse, no `[auth]`, an
  `[auth]` lacking a key, a yes/no setting with an unknown value): "Sign-in is not configured"
  and exactly what is wrong, on the page and in the server log; no data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from charter import CharterError
from charter.access import ROLES, AccessFile, load_access
from charter.providers import Provider
from metrics.access import ANALYST, PROVIDER, ROLE_NAMES, Actor, demo, from_claims
from metrics.config import settings_problem
from metrics.deployment import DEMO, HARDENING, REQUIRE_SIGNIN_ENV, SIGNED_IN, decide, report
from metrics.publish.escape import markdown
from metrics.secrets_files import DEMO_ENV, SIGN_IN, Problem
from ui import phone
from ui.runs import once_per_run

log = logging.getLogger(__name__)

REQUIRE_SIGNIN = REQUIRE_SIGNIN_ENV
DEMO_SETTING = DEMO_ENV
DEMO_ROLE = "_demo_role"  # not a widget key: it outlives the page that set it
ROLE_PICKER = "demo_role_picker"
DEMO_BANNER = "Demo: no sign-in. Choose a role to try the app (in the sidebar)."
NOT_CONFIGURED = "Sign-in is not configured, so the app shows nothing."
NOT_SET_UP = "A setting of the app is wrong, so the app shows nothing."

DEMO_MODE = DEMO


@dataclass(frozen=True)
class Mode:
    """How the app is being run, and (when locked) what is wrong."""

    name: str
    problem: Problem | None = None


def role_names(roles: frozenset[str]) -> str:
    return " or ".join(name for r, name in ROLE_NAMES.items() if r in roles)


def _auth_section() -> Any | None:
    """`[auth]` as Streamlit loaded it, or None when its secrets hold none (or did not load)."""
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return None
    auth = st.secrets["auth"]
    return auth.to_dict() if hasattr(auth, "to_dict") else auth


def mode() -> Mode:
    """Signed in with a working `[auth]`; the demo only when OUTCOMES_DEMO asks for it (and
    no sign-in is configured, working or broken); locked, with the reason, in every other
    case (metrics/deployment). Worked out once per script run: without a secrets file (the
    demo) Streamlit looks for one again at every asking, and a run asks twice (py-spy: 3.5 %
    of a crowd's samples)."""
    return once_per_run("mode", _mode)


def _mode() -> Mode:
    options = {name: st.get_option(name) for name in HARDENING}
    files = st.get_option("secrets.files")
    return _reported(Mode(*decide(_auth_section(), files, None, options, settings_problem())))


_said: set[Mode] = set()
_said_lock = threading.Lock()


def _reported(found: Mode) -> Mode:
    """Say each mode and problem once in the server log (`python serve.py` says it at
    start-up; this is for a server started otherwise, at the first page served)."""
    with _said_lock:
        if found in _said:
            return found
        _said.add(found)
    report(found.name, found.problem, str(st.get_option("server.address") or ""), log)
    return found


@st.cache_resource(show_spinner=False)
def _access_list() -> AccessFile | None:
    try:
        return load_access()
    except CharterError as err:  # the server log says why; readers see a plain message
        log.error("%s", err)
        return None


NOBODY = Actor(subject="", name="nobody signed in", via="app")


def _demo_role() -> str:
    role = st.session_state.get(DEMO_ROLE, ANALYST)
    return role if role in PICKABLE else ANALYST


# The roles the demo's picker offers: the access list's, and a provider's person (acting for
# the first provider in charter/providers.yaml).
PICKABLE = (*ROLES, PROVIDER)


def who(contact: str = "", providers: Mapping[str, Provider] | None = None) -> Actor:
    """The person using the app, worked out afresh from the sign-in (never from anything the
    page drew), with no roles when nobody is signed in: what every action checks."""
    now = mode().name
    if now == SIGNED_IN:
        if not st.user.is_logged_in:
            return NOBODY
        access = _access_list() or AccessFile(ask=contact or "your administrator")
        return from_claims(st.user.to_dict(), access, providers or {})
    if now == DEMO_MODE:
        return demo(_demo_role(), next(iter(providers or {}), None))
    return NOBODY


def access_list_or_empty() -> AccessFile:
    """The access list as loaded (an empty one when it could not be read)."""
    return _access_list() or AccessFile(ask="your administrator")


def forget_access_list() -> None:
    _access_list.clear()


def person(app_name: str, contact: str, providers: Mapping[str, Provider] | None = None) -> Actor:
    """The person using the app. Stops the page, after saying why, when there is none: not
    signed in, sign-in not working (and the demo not asked for), or signed in with no role."""
    now = mode()
    if now.name == SIGNED_IN:
        return _signed_in(app_name, contact, providers)
    if now.name == DEMO_MODE:
        return _demo(providers)
    st.title(app_name)
    said = now.problem.said if now.problem else "unknown"
    if now.problem is not None and now.problem.about != SIGN_IN:  # one of its settings
        st.error(
            f"{NOT_SET_UP} What is wrong: {markdown(said)}. The administrator must correct "
            'that setting (see the README\'s "Command line") and start the app again.'
        )
        st.stop()
    st.error(
        f"{NOT_CONFIGURED} What is wrong: {markdown(said)}. The administrator must set up "
        "sign-in (`[auth]` in `.streamlit/secrets.toml`, see the README's \"Running it for "
        f'real"), or start the demo on purpose with `{DEMO_ENV}=1`.'
    )
    st.stop()


def _signed_in(app_name: str, contact: str, providers: Mapping[str, Provider] | None) -> Actor:
    if not st.user.is_logged_in:
        st.title(app_name)
        st.markdown("Sign in with your organisation's account to see the dashboard.")
        if st.button("Sign in", type="primary"):
            st.login()
        st.stop()
    access = _access_list()
    actor = who(contact, providers)
    with st.sidebar:
        st.markdown(f"Signed in as **{markdown(actor.name)}**")
        if st.button("Sign out", key="sign_out"):
            st.logout()
    if not actor.roles:
        no_access_page(actor, access, contact)
    return actor


def no_access_page(actor: Actor, access: AccessFile | None, contact: str) -> None:
    """The one page a signed-in person without a role sees."""
    st.title("You do not have access yet")
    who = markdown(actor.name) + (f" ({markdown(actor.email)})" if actor.email else "")
    ask = access.ask if access else (contact or "your administrator")
    st.markdown(
        f"You are signed in as {who}, but you have not been given a role in this app. "
        f"To ask for access, contact {markdown(ask)}, saying what you need it for."
    )
    if access is None:
        st.warning("The access list could not be read; the administrator has been told why.")
    st.stop()


def _keep_demo_role() -> None:
    st.session_state[DEMO_ROLE] = st.session_state[ROLE_PICKER]


def _demo(providers: Mapping[str, Provider] | None) -> Actor:
    role = _demo_role()
    st.info(DEMO_BANNER, icon=":material/science:")
    with st.sidebar:
        st.selectbox(
            "Try the app as",
            PICKABLE,
            index=PICKABLE.index(role),
            format_func=ROLE_NAMES.__getitem__,
            key=ROLE_PICKER,
            on_change=_keep_demo_role,
            help="Demo mode: no sign-in. Each role sees the pages it would in real use.",
        )
        phone.close_sidebar_after_choice(ROLE_PICKER)
    st.session_state[DEMO_ROLE] = role
    return demo(role, next(iter(providers or {}), None))
