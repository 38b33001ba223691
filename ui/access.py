"""Who is using the app: sign-in (Streamlit's own `st.login`), the demo mode, the access page.

Three ways the app can be run:
- **signed in**: `.streamlit/secrets.toml` has an `[auth]` section; everyone signs in with
  the organisation's identity provider and gets roles from the token or the access list;
- **demo** (no `[auth]`): a banner says so and a sidebar picker chooses the role to try;
- **locked** (no `[auth]` but `OUTCOMES_REQUIRE_SIGNIN=1`, as a real installation sets):
  only "Sign-in is not configured" is shown, and no data.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import streamlit as st

from charter import CharterError
from charter.access import ROLES, AccessFile, load_access
from charter.providers import Provider
from metrics.access import ANALYST, PROVIDER, ROLE_NAMES, Actor, demo, from_claims
from metrics.publish.escape import markdown
from ui import phone

log = logging.getLogger(__name__)

REQUIRE_SIGNIN = "OUTCOMES_REQUIRE_SIGNIN"
DEMO_ROLE = "_demo_role"  # not a widget key: it outlives the page that set it
ROLE_PICKER = "demo_role_picker"
DEMO_BANNER = "Demo: no sign-in. Choose a role to try the app (in the sidebar)."


def role_names(roles: frozenset[str]) -> str:
    return " or ".join(name for r, name in ROLE_NAMES.items() if r in roles)


def sign_in_configured() -> bool:
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def sign_in_required() -> bool:
    return os.environ.get(REQUIRE_SIGNIN, "").strip().lower() in {"1", "true", "yes"}


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
    if sign_in_configured():
        if not st.user.is_logged_in:
            return NOBODY
        access = _access_list() or AccessFile(ask=contact or "your administrator")
        return from_claims(st.user.to_dict(), access, providers or {})
    if sign_in_required():
        return NOBODY
    return demo(_demo_role(), next(iter(providers or {}), None))


def access_list_or_empty() -> AccessFile:
    """The access list as loaded (an empty one when it could not be read)."""
    return _access_list() or AccessFile(ask="your administrator")


def forget_access_list() -> None:
    _access_list.clear()


def person(app_name: str, contact: str, providers: Mapping[str, Provider] | None = None) -> Actor:
    """The person using the app. Stops the page, after saying why, when there is none: not
    signed in, sign-in required but not configured, or signed in with no role."""
    if sign_in_configured():
        return _signed_in(app_name, contact, providers)
    if sign_in_required():
        st.title(app_name)
        st.error(
            "Sign-in is not configured. The administrator must set up sign-in "
            "(`[auth]` in `.streamlit/secrets.toml`) before anyone can use the app."
        )
        st.stop()
    return _demo(providers)


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
