"""The secrets files Streamlit reads (`secrets.files`), looked into as metrics/deployment.py
decides how the app may run: what each file holds, which of it is meant as sign-in (an
`[auth]` under a wrong name too), why there is no working `[auth]`, and `[auth]` loaded as
Streamlit loads it. No streamlit here."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_ENV = "OUTCOMES_DEMO"
# What st.login() needs in `[auth]` for the app's one (default) provider, as Streamlit reads it.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
# Sections that are, or look like, the sign-in section (a misnamed [Auth] or [oauth] too).
AUTH_LIKE = frozenset({"auth", "oauth", "oidc", "login"})
SIGN_IN = "sign-in"  # what a Problem is about unless a setting's (metrics/config.py SETTINGS)


@dataclass(frozen=True)
class Problem:
    """What is wrong, as the page says it (file names only) and as the server log says it
    (with the full paths an operator needs)."""

    said: str
    logged: str = ""
    about: str = SIGN_IN  # or config.SETTINGS: a setting of the app, not sign-in, is wrong

    @property
    def log_text(self) -> str:
        return self.logged or self.said


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
    if (ignored := _not_read(paths)) is not None:
        said = (
            "is listed as a secrets file, but Streamlit reads only files whose names end in "
            ".toml (or folders), and with it listed reads none of the secrets files"
        )
        return found, sections, signin, Problem(f"{ignored.name} {said}", f"{ignored} {said}")
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


def _not_read(paths: Sequence[str]) -> Path | None:
    """The first path Streamlit cannot read as secrets: not a folder, and its name not
    ending in .toml (there or not). Streamlit then reads none of the files: it stops at it."""
    for text in paths:
        path = Path(text).expanduser()
        if not path.is_dir() and not path.name.endswith(".toml"):
            return path
    return None


def auth_in_files(files: Sequence[str]) -> Any | None:
    """`[auth]` as Streamlit would load it from `files` (later files win, key by key at the
    top level; a file that does not parse, or a path that is neither a .toml file nor a
    folder, loads nothing at all), or None."""
    if _not_read(files) is not None:
        return None
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
