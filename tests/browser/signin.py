"""A real OpenID Connect provider on 127.0.0.1 (oidc-provider-mock from PyPI), and the app
configured to sign in with it exactly as an installation is: `[auth]` in a secrets file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.server import Server, free_port
from charter import CHARTER_DIR

CLIENT_SECRET = "client-secret-that-must-never-show"
COOKIE_SECRET = "cookie-secret-that-must-never-show-0123456789"

# Who can sign in. Ana, Cleo and Rita carry an Entra-style `roles` claim; Dee and Nora do not,
# so the access list decides (Dee is on it, Nora is not). Sid's domain is on the list but his
# provider says `email_verified: "true"`, a string: not vouched for, so no role. Pat works for
# a provider named by the `outcomes_provider` claim (Streamlit overwrites `provider`).
USERS = [
    {"sub": "ana", "name": "Ana Analyst", "email": "ana@council.example", "roles": ["analyst"]},
    {"sub": "cleo", "name": "Cllr Cleo", "email": "cleo@council.example", "roles": ["Councillor"]},
    {"sub": "dee", "name": "Dee Admin", "email": "Dee@Listed.example", "email_verified": True},
    {"sub": "nora", "name": "Nora Nobody", "email": "nora@nowhere.example"},
    {"sub": "meg", "name": "Meg Member", "email": "meg@council.example", "roles": ["member"]},
    {"sub": "chris", "name": "Chris Chair", "email": "chris@council.example", "roles": ["chair"]},
    # listed under the short-breaks charity's `people` in charter/providers.yaml
    {"sub": "tom", "name": "Tom Okafor", "email": "tom.okafor@brightside.example",
     "email_verified": True},
    {"sub": "sid", "name": "Sid Stringy", "email": "sid@members.example",
     "email_verified": "true"},
    {"sub": "pat", "name": "Pat Health", "roles": ["provider"],
     "outcomes_provider": "community-health"},
]  # fmt: skip

ACCESS = """\
ask: "Access Desk, access@council.example"
people:
  dee@listed.example: [admin]
domains:
  members.example: [member]
"""


class Provider:
    """`python -m oidc_provider_mock` on a free port, ready before the constructor returns."""

    def __init__(self, log: Path, timeout: float = 30):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)]
        for user in USERS:
            command += ["--user-claims", json.dumps(user)]
        self.process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.metadata, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the OIDC provider did not start:\n{log.read_text()}")

    @property
    def metadata(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def sign_in_settings(folder: Path, provider: Provider) -> tuple[int, list[str], dict[str, str]]:
    """Sign-in configured against `provider` for an app answering at a new port (the app's,
    or the proxy's in front of several): that port, the app's options and its environment
    (a charter copy whose access list is ACCESS)."""
    charter = folder / "charter"
    shutil.copytree(CHARTER_DIR, charter, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (charter / "access.yaml").write_text(ACCESS, encoding="utf-8")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        'client_id = "outcomes-dashboard"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata}"\n',
        encoding="utf-8",
    )
    return (
        port,
        ["--secrets.files", str(secrets)],
        {"OUTCOMES_CHARTER": str(charter), "OUTCOMES_DEMO": "0"},
    )


def signed_in_server(db: Path, folder: Path, provider: Provider) -> Server:
    """The app with sign-in configured against `provider` (`sign_in_settings`)."""
    port, args, env = sign_in_settings(folder, provider)
    return Server(db, port=port, args=args, env=env)


def sign_in(page: object, server: Server, sub: str) -> None:
    """Open the app, press Sign in, choose `sub` on the provider's page, come back."""
    from tests.browser.conftest import wait_for_app

    page.goto(server.url + "/")  # type: ignore[attr-defined]
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.locator(f'button[name="sub"][value="{sub}"]').click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{server.url}/**")  # type: ignore[attr-defined]
    # A councillor's first page in a fresh server works out the published (disclosure-
    # controlled) figures cold: 33-43 s on a loaded 2-core machine, before and after issue 28.
    wait_for_app(page, timeout=120_000)
