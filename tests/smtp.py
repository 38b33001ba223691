"""A real SMTP server for the tests (aiosmtpd) on 127.0.0.1: STARTTLS with a self-signed
certificate made here, login required (and only over TLS), every message kept as it
arrived; and the ways a server fails (a refused connection, a 4xx answer, a silence)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "outcomes-dashboard", "correct horse battery staple"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, kind: str) -> str:
        body = self.message.get_body(preferencelist=(kind,))
        assert body is not None, f"no {kind} part"
        return str(body.get_content())  # type: ignore[attr-defined]


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    answer: str = "250 OK"  # what DATA is answered: "451 ..." makes every message fail
    logins: list[str] = field(default_factory=list)
    # called with each message kept, before it is answered (a test stops the sender there)
    on_message: Callable[[Received], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            parsed = message_from_bytes(envelope.original_content, policy=policy.default)
            got = Received(envelope.mail_from, list(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
            self.received.append(got)
            if self.on_message is not None:
                self.on_message(got)
        return self.answer


@dataclass
class MailServer:
    port: int
    cert: Path
    handler: Handler

    def secrets(self, app_url: str = "https://outcomes.wrenfield.example", **smtp: Any) -> str:
        """A secrets file's text for this server."""
        values = {
            "host": "127.0.0.1", "port": self.port, "username": USER, "password": PASSWORD,
            "starttls": True, "sender": "outcomes@wrenfield.example",
            "ca_file": str(self.cert), "timeout_seconds": 5, **smtp,
        }  # fmt: skip
        lines = ["[smtp]"] + [f"{k} = {_toml(v)}" for k, v in values.items()]
        return "\n".join([*lines, "", "[app]", f'url = "{app_url}"', ""])


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def mail_server(folder: Path) -> Iterator[MailServer]:
    """The server, for the block: STARTTLS required, then a login."""
    cert, key = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Handler()

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(), PASSWORD.encode())  # fmt: skip
        if ok:
            handler.logins.append(mechanism)
        return AuthResult(success=ok, handled=False)  # a failure answered 535

    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        auth_required=True, auth_require_tls=True, authenticator=authenticator,
    )  # fmt: skip
    controller.start()
    try:
        yield MailServer(port, cert, handler)
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that takes the connection and never says a word (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for s in held:
            s.close()
        listener.close()
