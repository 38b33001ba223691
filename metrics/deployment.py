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
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SIGNED_IN, DEMO, LOCKED = "signed in", "demo", "locked"
DEMO_ENV = "OUTCOMES_DEMO"
REQUIRE_SIGNIN_ENV = "OUTCOMES_REQUIRE_SIGNIN"  # older installations' switch; still honoured

YES = frozenset({"1", "true", "yes", "on"})
NO = frozenset({"0", "false", "no", "off", ""})

# What st.login() needs in `[auth]` for the app's one (default) provider, as Streamlit reads it.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
# The cookie secret signs the identity cookie: a short one can be guessed, and a guessed one
# lets anyone forge a signed-in person. 32 characters of `secrets.token_urlsafe(48)` or more.
COOKIE_SECRET_MIN = 32
COOKIE_SECRET_DISTINCT = 16
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


@dataclass(frozen=True)
class Problem:
    """What is wrong, as the page says it (file names only) and as the server log says it
    (with the full paths an operator needs)."""

    said: str
    logged: str = ""

    @property
    def log_text(self) -> str:
        return self.logged or self.said


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
    ("a" * 32). `secrets.token_urlsafe(48)` gives 64 characters, some 40 of them different."""
    if len(secret) < COOKIE_SECRET_MIN:
        return f"is shorter than {COOKIE_SECRET_MIN} characters"
    if any(c.isspace() for c in secret):
        return "has spaces in it: it is a sentence (such as the README's example), not a secret"
    if len(set(secret)) < COOKIE_SECRET_DISTINCT:
        return f"has fewer than {COOKIE_SECRET_DISTINCT} different characters"
    return None


# Sections that are, or look like, the sign-in section (a misnamed [Auth] or [oauth] too).
AUTH_LIKE = frozenset({"auth", "oauth", "oidc", "login"})


def _signs_in(name: str, value: object) -> bool:
    """Whether a secrets file's top-level `name` is meant as sign-in: a section named like
    [auth], a section of any name holding [auth]'s keys (a misspelt [atuh], [sso]), or one
    of those keys written with no section at all."""
    if name.lower() in AUTH_LIKE or name in AUTH_KEYS:
        return True
    return isinstance(value, Mapping) and any(key in value for key in AUTH_KEYS)


def _read_secrets(
    paths: Sequence[str],
) -> tuple[list[Path], dict[str, Path], set[str], Problem | None]:
    """The secrets files among `paths` that exist, their sections (each with the file it is
    in), the names of those meant as sign-in (`_signs_in`), and the first file that cannot
    be read or does not parse (a Problem with its line), as Streamlit looks in them."""
    found: list[Path] = []
    sections: dict[str, Path] = {}
    signin: set[str] = set()
    for text in paths:
        path = Path(text).expanduser()
        if path.is_dir():  # Kubernetes-style secret folders: one folder per section
            found.append(path)
            for folder in (p for p in path.iterdir() if p.is_dir()):
                sections[folder.name] = path
                if _signs_in(folder.name, {f.name: "" for f in folder.iterdir()}):
                    signin.add(folder.name)
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as err:
            problem = Problem(
                f"{path.name} cannot be read: {err.__class__.__name__}",
                f"{path}: cannot be read: {err}",
            )
            return found, sections, signin, problem
        found.append(path)
        try:
            loaded = tomllib.loads(content)
        except tomllib.TOMLDecodeError as err:
            problem = Problem(f"{path.name} {_where(err)}", f"{path} {_where(err)}")
            return found, sections, signin, problem
        sections |= dict.fromkeys(loaded, path)
        signin |= {name for name, value in loaded.items() if _signs_in(name, value)}
    return found, sections, signin, None


def secrets_files_problem(paths: Sequence[str]) -> Problem:
    """Why the secrets files Streamlit looks in (`secrets.files`) give no `[auth]`: a file
    that does not parse (with its line), no file at all, or no `[auth]` section."""
    found, _, signin, unreadable = _read_secrets(paths)
    if unreadable:
        return unreadable
    if not found:
        return Problem(
            "no secrets file: sign-in is set up in .streamlit/secrets.toml",
            "no secrets file found; Streamlit looked in: " + ", ".join(paths),
        )
    names = ", ".join(p.name for p in found)
    near = sorted(signin)
    hint = " (found {}: {})".format(*_misnamed(near[0])) if near else ""
    return Problem(
        f"no [auth] section in {names}{hint}",
        f"no [auth] section in {', '.join(map(str, found))}{hint}",
    )


def demo_problem(paths: Sequence[str]) -> Problem | None:
    """Why the demo, though asked for, must not start: a secrets file that does not parse or
    has a sign-in section, [auth] or one like it. Its author meant people to sign in, and
    `make run` always asks for the demo, so a typo there would otherwise hand every visitor
    the demo's administrator. None when there is no sign-in configuration at all."""
    _, sections, signin, unreadable = _read_secrets(paths)
    choose = (
        f"{DEMO_ENV} asks for the demo, but the sign-in configuration is broken, and the "
        "demo never stands in for a broken sign-in. Choose one: remove "
        f"{DEMO_ENV} and fix the sign-in, or remove the sign-in configuration to run the demo"
    )
    if unreadable:
        return Problem(f"{unreadable.said}. {choose}", f"{unreadable.log_text}. {choose}")
    near = sorted(signin)
    if not near:
        return None
    where, section = sections[near[0]], near[0]
    found, fix = _misnamed(section)
    if section in AUTH_KEYS:
        said = f"the sign-in setting {found} ({fix})"
    else:
        said = f"a sign-in section {found}" + (f" ({fix})" if section != "auth" else "")
    return Problem(f"{where.name} has {said}. {choose}", f"{where} has {said}. {choose}")


def _misnamed(name: str) -> tuple[str, str]:
    """A sign-in configuration found under the wrong name, and what the right one is."""
    if name in AUTH_KEYS:
        return f"{name} outside any section", "it belongs under [auth]"
    if name.lower() == "auth":
        return f"[{name}]", "the section is [auth], in lower case"
    return f"[{name}]", "the section is named [auth]"


def _where(err: tomllib.TOMLDecodeError) -> str:
    """tomllib's message 'Expected ... (at line 3, column 10)' as 'line 3: Expected ...'."""
    message = str(err)
    head, _, tail = message.rpartition(" (at ")
    if head and tail.startswith("line "):
        line = tail.split(",")[0].removesuffix(")")
        return f"{line}: {head}"
    return f"does not parse: {message}"


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
) -> tuple[str, Problem | None]:
    """The mode, and what is wrong when locked: signed in with a working `auth` (the `[auth]`
    section as loaded, None when there is none) and the hardening `options` in place; the
    demo only when OUTCOMES_DEMO asks for it and no secrets file holds a sign-in section or
    fails to parse (demo_problem); locked, with the reason, in every other case. `files` are
    the secrets files Streamlit reads, inspected to say why there is no `[auth]`."""
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


def auth_in_files(files: Sequence[str]) -> Any | None:
    """`[auth]` as Streamlit would load it from `files` (later files win, key by key at the
    top level; a file that does not parse loads nothing at all), or None."""
    merged: dict[str, Any] = {}
    for text in files:
        path = Path(text).expanduser()
        try:
            if path.is_dir():
                for folder in (p for p in path.iterdir() if p.is_dir()):
                    keys = {f.name: f.read_text(encoding="utf-8").strip()
                            for f in folder.iterdir() if f.is_file()}  # fmt: skip
                    merged[folder.name] = next(iter(keys.values())) if len(keys) == 1 else keys
            elif path.is_file():
                merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
    return merged.get("auth")


def report(mode: str, problem: Problem | None, address: str, log: logging.Logger) -> None:
    """Say in the server log how the app is being run, and loudly what is wrong or exposed."""
    if problem:
        log.error("Sign-in is not configured; the app serves no data: %s", problem.log_text)
    elif mode == DEMO:
        log.warning("Demo mode (%s=1): no sign-in; a role picker offers every role.", DEMO_ENV)
        if warning := demo_exposure(address):
            log.warning("%s", "!" * 78)
            log.warning("%s", warning)
            log.warning("%s", "!" * 78)
    else:
        log.info("Sign-in is configured: everyone signs in.")
