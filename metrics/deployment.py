"""How the server is set up, checked so that every mistake fails closed: the yes/no settings,
the sign-in section of Streamlit's secrets files, and whether a demo is reachable from other
machines. No streamlit here: the UI passes in what Streamlit loaded and where it looked.

Three modes (ui/access.py): **signed in** (a working `[auth]`), **demo** (only when the
operator asks for it with OUTCOMES_DEMO=1) and **locked** (anything else: no data, and the
page and the server log say exactly what is wrong).
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from metrics.secrets_files import (  # (said here too: the setup's words, in one place)
    AUTH_KEYS,
    DEMO_ENV,
    SIGN_IN,
    Problem,
    demo_problem,
    secrets_files_problem,
)

SIGNED_IN, DEMO, LOCKED = "signed in", "demo", "locked"
REQUIRE_SIGNIN_ENV = "OUTCOMES_REQUIRE_SIGNIN"  # older installations' switch; still honoured

YES = frozenset({"1", "true", "yes", "on"})
NO = frozenset({"0", "false", "no", "off", ""})

# The cookie secret signs the identity cookie: a short one can be guessed, and a guessed one
# lets anyone forge a signed-in person. 32 characters of `secrets.token_urlsafe(48)` or more.
COOKIE_SECRET_MIN = 32
# (8: a hex secret has at most 16 different characters, and `secrets.token_hex(16)` often
# fewer than 16; a few characters repeated, 'a' * 32 or 'abcd' * 8, have fewer than 8)
COOKIE_SECRET_DISTINCT = 8
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
DEMO_EXPOSED = (
    "DEMO MODE ON A NETWORK ADDRESS ({address}): anyone who reaches this server can act as "
    "any role, administrator included. Serve a demo on 127.0.0.1 only, or set up sign-in."
)


class SettingError(ValueError):
    """A setting holds a value the app does not recognise: refused, never read as "no"."""


def yes_no(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """The yes/no environment setting `name`: 1/true/yes/on or 0/false/no/off (any case),
    unset meaning no. Anything else raises SettingError naming the setting and the value."""
    raw = (os.environ if environ is None else environ).get(name, "")
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise SettingError(
        f"{name}={raw!r} is neither yes nor no: use 1 (or true, yes, on) or 0 (or false, no, off)"
    )


def auth_section_problem(auth: Mapping[str, Any]) -> Problem | None:
    """Why `[auth]` (as Streamlit loaded it) cannot sign anyone in, or None when it can."""
    for key in AUTH_KEYS:
        if key not in auth:
            named = ", ".join(f"[auth.{k}]" for k, v in auth.items() if isinstance(v, Mapping))
            hint = (
                f" ({named} is not used: the app signs in with [auth]'s own keys)"
                if named and key in AUTH_KEYS[2:]
                else ""
            )
            return Problem(f"[auth] lacks {key}{hint}")
        value = auth[key]
        if not isinstance(value, str) or not value.strip():
            return Problem(f"[auth] {key} is empty (it must be text)")
    if problem := _cookie_secret_problem(str(auth["cookie_secret"]).strip()):
        return Problem(
            f"[auth] cookie_secret {problem} (anyone who guesses it can forge a sign-in): "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))' makes one"
        )
    for key in ("redirect_uri", "server_metadata_url"):
        url = urlsplit(str(auth[key]).strip())
        if url.scheme == "http" and not is_loopback(url.hostname or ""):
            return Problem(
                f"[auth] {key} is http:// on a network address: sign-in needs https:// "
                "(plain http only on 127.0.0.1 or localhost)"
            )
        if url.scheme not in {"http", "https"} or not url.hostname:
            return Problem(f"[auth] {key} is not a web address (https://...)")
    if not str(auth["redirect_uri"]).rstrip().endswith("/oauth2callback"):
        return Problem("[auth] redirect_uri must end with /oauth2callback")
    return None


def _cookie_secret_problem(secret: str) -> str | None:
    """What makes `secret` guessable, or None: too short, a sentence (the README's
    placeholder has spaces: copied as it is, it is public), or a few characters repeated
    ("a" * 32). `secrets.token_urlsafe(48)` gives 64 characters, some 40 of them different;
    `openssl rand -hex 32` 64 of at most 16."""
    if len(secret) < COOKIE_SECRET_MIN:
        return f"is shorter than {COOKIE_SECRET_MIN} characters"
    if any(c.isspace() for c in secret):
        return "has spaces in it: it is a sentence (such as the README's example), not a secret"
    if len(set(secret)) < COOKIE_SECRET_DISTINCT:
        return f"has fewer than {COOKIE_SECRET_DISTINCT} different characters"
    return None


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_exposure(address: str) -> str | None:
    """The loud warning for a demo served on `address` (Streamlit's server.address; empty
    means every interface), or None when only this machine can reach it."""
    if is_loopback(address):
        return None
    return DEMO_EXPOSED.format(address=address or "every network interface")


# The hardening in .streamlit/config.toml, as Streamlit's options must read for real use: a
# deployment that loses it (started where the file is not read, or overridden by a flag)
# would accept other sites' requests, show tracebacks, or export live formulas.
HARDENING = {
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "client.showErrorDetails": "none",
    "client.disableDataExport": True,
}


def hardening_problem(options: Mapping[str, Any]) -> Problem | None:
    """The first hardening option (Streamlit's `name -> value`) that is not as it must be."""
    for name, wanted in HARDENING.items():
        if name in options and options[name] != wanted:
            return Problem(
                f"the server option {name} is {options[name]!r}, not {wanted!r} "
                "(.streamlit/config.toml sets it: start the app from its folder, without "
                "overriding it)"
            )
    return None


def decide(
    auth: Any | None,
    files: Sequence[str],
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    settings: Problem | None = None,
) -> tuple[str, Problem | None]:
    """The mode, and what is wrong when locked (`_decided`); an app that would serve, signed
    in or the demo, is locked all the same when a setting every page depends on is wrong
    (`settings`: metrics/config.py's `settings_problem()`, asked by the caller): the
    page then says which setting and why, not a failure with its details withheld on every
    page."""
    mode, problem = _decided(auth, files, environ, options)
    if mode != LOCKED and settings is not None:
        return LOCKED, settings
    return mode, problem


def _decided(
    auth: Any | None,
    files: Sequence[str],
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> tuple[str, Problem | None]:
    """The mode before the app's settings are looked at: signed in with a working
    `auth` (the `[auth]` section as loaded, None when there is none) and the hardening
    `options` in place; the demo only when OUTCOMES_DEMO asks for it and no secrets file
    holds a sign-in section or fails to parse (secrets_files.demo_problem); locked, with the
    reason, in every other case. `files` are the secrets files Streamlit reads, inspected to
    say why there is no `[auth]`."""
    try:
        wants_demo = yes_no(DEMO_ENV, environ)
        required = yes_no(REQUIRE_SIGNIN_ENV, environ)
    except SettingError as err:
        return LOCKED, Problem(str(err))
    if auth is not None:
        if not isinstance(auth, Mapping):
            return LOCKED, Problem("auth in the secrets file is not a section ([auth])")
        problem = auth_section_problem(auth) or hardening_problem(options or {})
        return (LOCKED, problem) if problem else (SIGNED_IN, None)
    if wants_demo and required:
        both = f"{DEMO_ENV} asks for the demo and {REQUIRE_SIGNIN_ENV} for sign-in: set one"
        return LOCKED, Problem(both)
    if wants_demo:
        broken = demo_problem(files)
        return (LOCKED, broken) if broken else (DEMO, None)
    return LOCKED, secrets_files_problem(files)


def report(mode: str, problem: Problem | None, address: str, log: logging.Logger) -> None:
    """Say in the server log how the app is being run, and loudly what is wrong or exposed."""
    if problem:
        what = "Sign-in is not configured" if problem.about == SIGN_IN else "A setting is wrong"
        log.error("%s; the app serves no data: %s", what, problem.log_text)
    elif mode == DEMO:
        log.warning("Demo mode (%s=1): no sign-in; a role picker offers every role.", DEMO_ENV)
        if warning := demo_exposure(address):
            log.warning("%s", "!" * 78)
            log.warning("%s", warning)
            log.warning("%s", "!" * 78)
    else:
        log.info("Sign-in is configured: everyone signs in.")
