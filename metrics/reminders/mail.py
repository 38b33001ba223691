"""Mail through the council's own SMTP server, set up in the `[smtp]` section of the secrets
file the app reads (`.streamlit/secrets.toml`; for the command line, the file named by
$OUTCOMES_SECRETS, else that one), with the app's address in `[app] url` for the links:

    [smtp]
    host = "smtp.wrenfield.example"
    port = 587
    username = "outcomes-dashboard"
    password = "..."
    starttls = true
    sender = "outcomes@wrenfield.example"
    # ca_file = "/etc/ssl/council-ca.pem"   (a CA to trust besides the system's; optional)
    # timeout_seconds = 30                   (optional)

    [app]
    url = "https://outcomes.wrenfield.example"

Every mistake fails closed, naming the key: nothing is sent on a setting the code would
otherwise have to guess (a password sent in clear, a link to nowhere).
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from charter.models import EMAIL
from metrics.config import PROJECT_DIR
from metrics.deployment import SettingError, is_loopback

SECRETS_ENV = "OUTCOMES_SECRETS"
DEFAULT_SECRETS = PROJECT_DIR / ".streamlit" / "secrets.toml"
MAX_TIMEOUT = 3600  # seconds
TIMEOUT = 30.0


class MailError(RuntimeError):
    """A message could not be handed to the server; the words say why (never the password)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    sender: str
    app_url: str
    ca_file: str | None = None
    timeout: float = TIMEOUT


def secrets_files() -> list[Path]:
    """Where the command line looks: $OUTCOMES_SECRETS if set, else .streamlit/secrets.toml.
    Set, it must name a file that is there: set but empty, or naming a file that is not
    there, was read as no settings at all ("no [smtp] section"), without naming the file."""
    env = os.environ.get(SECRETS_ENV)
    if env is None:
        return [DEFAULT_SECRETS]
    if not env.strip():
        raise SettingError(f"${SECRETS_ENV} is set but empty: name the secrets file")
    path = Path(env.strip()).expanduser()
    if not path.is_file():
        raise SettingError(f"${SECRETS_ENV} names {path}, which is not a file")
    return [path]


def read_secrets(paths: Sequence[str | os.PathLike[str]]) -> dict[str, Any]:
    """The sections of the secrets files that exist (later files win, as in Streamlit)."""
    merged: dict[str, Any] = {}
    for text in paths:
        path = Path(text).expanduser()
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as err:
            raise SettingError(f"{path}: cannot be read ({err.__class__.__name__})") from None
        try:
            merged |= tomllib.loads(content)
        except tomllib.TOMLDecodeError as err:
            raise SettingError(f"{path}: does not parse ({err})") from None
    return merged


def _text(section: Mapping[str, Any], name: str, where: str) -> str:
    value = section.get(name)
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{where} {name} is missing or empty (it must be text)")
    return value.strip()


def settings(secrets: Mapping[str, Any]) -> MailSettings:
    """The `[smtp]` and `[app]` sections checked, or SettingError saying what is wrong."""
    smtp = secrets.get("smtp")
    if not isinstance(smtp, Mapping):
        raise SettingError(
            "no [smtp] section in the secrets file: reminders need the council's mail server "
            "(host, port, username, password, starttls, sender; see the README)"
        )
    host = _text(smtp, "host", "[smtp]")
    port = smtp.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise SettingError(f"[smtp] port must be a whole number from 1 to 65535, not {port!r}")
    starttls = smtp.get("starttls")
    if not isinstance(starttls, bool):
        raise SettingError(f"[smtp] starttls must be true or false, not {starttls!r}")
    if not starttls and not is_loopback(host):
        raise SettingError(
            "[smtp] starttls is false for a server on the network: the password and every "
            "message would cross it unencrypted (plain SMTP only to 127.0.0.1 or localhost)"
        )
    sender = _text(smtp, "sender", "[smtp]")
    if not EMAIL.match(sender.lower()):
        raise SettingError(f"[smtp] sender {sender!r} is not an email address")
    ca_file = smtp.get("ca_file")
    if ca_file is not None and (not isinstance(ca_file, str) or not Path(ca_file).is_file()):
        raise SettingError(f"[smtp] ca_file {ca_file!r} is not a file")
    timeout = smtp.get("timeout_seconds", TIMEOUT)
    # (at most an hour: infinity, or 1e300, overflowed the socket's timeout: a traceback)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise SettingError(
            f"[smtp] timeout_seconds must be a number above 0 and at most {MAX_TIMEOUT}, "
            f"not {timeout!r}"
        )
    return MailSettings(
        host, port, _text(smtp, "username", "[smtp]"), _text(smtp, "password", "[smtp]"),
        starttls, sender, app_url(secrets), ca_file, float(timeout),
    )  # fmt: skip


def app_url(secrets: Mapping[str, Any]) -> str:
    """`[app] url`: the address reminders link to (https://, or http:// on this machine)."""
    app = secrets.get("app")
    if not isinstance(app, Mapping):
        raise SettingError(
            "no [app] section with the app's url in the secrets file: reminders link back to "
            'the app (e.g. [app] url = "https://outcomes.wrenfield.example")'
        )
    url = _text(app, "url", "[app]")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SettingError(f"[app] url {url!r} is not a web address (https://...)")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise SettingError("[app] url is http:// on a network address: use https://")
    if parts.query or parts.fragment:
        raise SettingError("[app] url must be the app's address alone, without ? or #")
    return url.rstrip("/")


def message(to: str, sender: str, subject: str, text: str, html: str) -> EmailMessage:
    """A message with a plain-text part and its HTML alternative."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


class Postbox:
    """One connection to the server for a run: opened (STARTTLS, then login) on the first
    message, reused for the rest, closed at the end. A message the server refuses (a 4xx or
    5xx answer) fails alone and the next is tried on a fresh connection; a server that cannot
    be reached, will not log us in or stops answering fails every message left at once, with
    the same words (rather than waiting out the timeout once a message)."""

    def __init__(self, mail: MailSettings):
        self.mail = mail
        self._smtp: smtplib.SMTP | None = None
        self._broken: str | None = None

    def _open(self) -> smtplib.SMTP:
        m = self.mail
        smtp = smtplib.SMTP(m.host, m.port, timeout=m.timeout)
        try:
            smtp.ehlo()
            if m.starttls:
                context = ssl.create_default_context(cafile=m.ca_file)
                smtp.starttls(context=context)
                smtp.ehlo()
            smtp.login(m.username, m.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self._broken is not None:
            raise MailError(self._broken)
        try:
            if self._smtp is None:
                self._smtp = self._open()
        except (OSError, smtplib.SMTPException) as err:
            self._broken = self._words(err)
            raise MailError(self._broken) from None
        try:
            self._smtp.send_message(msg)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as err:
            self._drop()  # this message refused: the next starts afresh
            raise MailError(self._words(err)) from None
        except (OSError, smtplib.SMTPException) as err:
            self._drop()
            self._broken = self._words(err)
            raise MailError(self._broken) from None

    def _words(self, err: BaseException) -> str:
        """What went wrong, plainly: the server's own answer, or why it could not be had."""
        if isinstance(err, smtplib.SMTPResponseException):
            said = err.smtp_error
            text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
            return f"the mail server said {err.smtp_code} {text}".strip()
        if isinstance(err, smtplib.SMTPRecipientsRefused):
            return f"the mail server refused {', '.join(err.recipients)}"
        timed_out = isinstance(err, TimeoutError) or (
            isinstance(err, smtplib.SMTPServerDisconnected) and "timed out" in str(err)
        )  # smtplib's words for a read that timed out
        if timed_out:
            return f"the mail server did not answer within {self.mail.timeout:g} s"
        return f"cannot reach the mail server ({err.__class__.__name__}: {err})"

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """Say goodbye to a healthy server; just let go of a broken one."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None
