"""The server's setup is checked so that every mistake fails closed (issue 25): yes/no settings
with an unknown value are errors, and a sign-in section that cannot work says exactly why."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.deployment import (
    SettingError,
    auth_section_problem,
    demo_exposure,
    is_loopback,
    yes_no,
)
from metrics.secrets_files import secrets_files_problem

AUTH = {
    "redirect_uri": "https://outcomes.council.example/oauth2callback",
    "cookie_secret": "long-random-cookie-secret-0123456789",
    "client_id": "outcomes",
    "client_secret": "not-real",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_yes_values(value):
    assert yes_no("OUTCOMES_DEMO", {"OUTCOMES_DEMO": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_no_values_and_unset(value):
    assert yes_no("OUTCOMES_DEMO", {"OUTCOMES_DEMO": value}) is False
    assert yes_no("OUTCOMES_DEMO", {}) is False


@pytest.mark.parametrize("value", ["enabled", "y", "2", "ture", "si"])
def test_an_unknown_value_is_an_error_naming_the_setting(value):
    with pytest.raises(SettingError, match=f"OUTCOMES_REQUIRE_SIGNIN='{value}' is neither"):
        yes_no("OUTCOMES_REQUIRE_SIGNIN", {"OUTCOMES_REQUIRE_SIGNIN": value})


def test_a_complete_auth_section_has_no_problem():
    assert auth_section_problem(AUTH) is None
    local = {**AUTH, "redirect_uri": "http://127.0.0.1:8501/oauth2callback"}
    assert auth_section_problem(local) is None


@pytest.mark.parametrize("key", list(AUTH))
def test_each_missing_key_is_named(key):
    auth = {k: v for k, v in AUTH.items() if k != key}
    problem = auth_section_problem(auth)
    assert problem is not None and problem.said.startswith(f"[auth] lacks {key}")


def test_a_named_provider_section_is_not_what_the_app_uses():
    auth = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x" * 40, "entra": {**AUTH}}
    problem = auth_section_problem(auth)
    assert problem and "[auth] lacks client_id ([auth.entra] is not used" in problem.said


def test_empty_values_and_plain_http_on_the_network_are_refused():
    assert "client_secret is empty" in auth_section_problem({**AUTH, "client_secret": " "}).said
    exposed = {**AUTH, "redirect_uri": "http://outcomes.council.example/oauth2callback"}
    assert "redirect_uri is http:// on a network address" in auth_section_problem(exposed).said
    short = {**AUTH, "cookie_secret": "changeme"}
    assert "cookie_secret is shorter than 32 characters" in auth_section_problem(short).said


@pytest.mark.parametrize(
    ("secret", "said"),
    [  # each long enough, and each guessable: the README's example is public
        ("a long random string: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
         "cookie_secret has spaces in it"),
        ("a" * 40, "cookie_secret has fewer than 8 different characters"),
        ("abcdabcdabcdabcdabcdabcdabcdabcdabcd", "fewer than 8 different characters"),
    ],
)  # fmt: skip
def test_a_guessable_cookie_secret_is_refused(secret, said):
    problem = auth_section_problem({**AUTH, "cookie_secret": secret})
    assert problem is not None and said in problem.said and "forge a sign-in" in problem.said
    import secrets
    import uuid

    for _ in range(200):  # strong ones never: hex has at most 16 different characters
        for strong in (secrets.token_urlsafe(48), secrets.token_hex(16), secrets.token_hex(32),
                       str(uuid.uuid4())):  # fmt: skip
            assert auth_section_problem({**AUTH, "cookie_secret": strong}) is None, strong
    wrong = {**AUTH, "redirect_uri": "https://outcomes.council.example/"}
    assert "must end with /oauth2callback" in auth_section_problem(wrong).said


def test_a_secrets_file_that_does_not_parse_is_named_with_its_line(tmp_path: Path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "outcomes"\nclient_secret = "unclosed\n')
    problem = secrets_files_problem([str(tmp_path / "absent.toml"), str(secrets)])
    assert problem.said.startswith("secrets.toml line 3: ")
    assert str(tmp_path) not in problem.said  # the page never shows a server path
    assert problem.log_text.startswith(f"{secrets} line 3: ")


def test_no_file_and_a_misnamed_section_are_said(tmp_path: Path):
    nothing = secrets_files_problem([str(tmp_path / "secrets.toml")])
    assert nothing.said.startswith("no secrets file")
    assert str(tmp_path / "secrets.toml") in nothing.log_text
    for section in ("Auth", "oauth", "authentication"):
        (tmp_path / "secrets.toml").write_text(f'[{section}]\nclient_id = "x"\n')
        problem = secrets_files_problem([str(tmp_path / "secrets.toml")])
        assert problem.said.startswith("no [auth] section in secrets.toml")
        assert f"found [{section}]" in problem.said
    (tmp_path / "secrets.toml").write_text('client_id = "x"\n')
    problem = secrets_files_problem([str(tmp_path / "secrets.toml")])
    assert "found client_id outside any section: it belongs under [auth]" in problem.said


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("localhost", True),
     ("", False), ("0.0.0.0", False), ("10.1.2.3", False), ("outcomes.example", False)],
)  # fmt: skip
def test_only_loopback_addresses_keep_a_demo_private(address, loopback):
    assert is_loopback(address) is loopback
    warning = demo_exposure(address)
    assert (warning is None) is loopback
    if warning:
        assert "anyone who reaches this server can act as any role" in warning


def test_the_mode_is_decided_closed():
    from metrics.deployment import DEMO, LOCKED, SIGNED_IN, decide

    assert decide(AUTH, [], {}) == (SIGNED_IN, None)
    assert decide(AUTH, [], {"OUTCOMES_DEMO": "1"}) == (SIGNED_IN, None)  # sign-in wins
    assert decide(None, [], {"OUTCOMES_DEMO": "1"}) == (DEMO, None)
    mode, problem = decide(None, [], {})  # nothing asked for: locked, never the demo
    assert mode == LOCKED and problem.said.startswith("no secrets file")
    mode, problem = decide({**AUTH, "client_id": ""}, [], {"OUTCOMES_DEMO": "1"})
    assert mode == LOCKED and "client_id is empty" in problem.said
    mode, problem = decide(AUTH, [], {"OUTCOMES_DEMO": "maybe"})
    assert mode == LOCKED and "neither yes nor no" in problem.said
    mode, problem = decide("x", [], {})
    assert mode == LOCKED and "not a section" in problem.said
    both = {"OUTCOMES_DEMO": "1", "OUTCOMES_REQUIRE_SIGNIN": "on"}
    assert decide(None, [], both)[0] == LOCKED


def test_auth_is_read_from_the_files_as_streamlit_reads_them(tmp_path: Path):
    from metrics.secrets_files import auth_in_files

    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[auth]\nclient_id = "first"\n')
    second.write_text("[other]\nx = 1\n")
    assert auth_in_files([str(first), str(second), str(tmp_path / "absent.toml")]) == {
        "client_id": "first"
    }
    second.write_text('[auth]\nclient_id = "second"\n')
    assert auth_in_files([str(first), str(second)]) == {"client_id": "second"}
    second.write_text("[auth\n")  # one file that does not parse: Streamlit loads nothing
    assert auth_in_files([str(first), str(second)]) is None
    folder = tmp_path / "k8s" / "auth"
    folder.mkdir(parents=True)
    (folder / "client_id").write_text("from-a-folder\n")
    (folder / "client_secret").write_text("s\n")
    assert auth_in_files([str(tmp_path / "k8s")])["client_id"] == "from-a-folder"


def test_sign_in_without_the_hardening_is_locked():
    from metrics.deployment import HARDENING, LOCKED, SIGNED_IN, decide

    assert decide(AUTH, [], {}, dict(HARDENING)) == (SIGNED_IN, None)
    for name, wanted in HARDENING.items():
        off = {**HARDENING, name: "full" if isinstance(wanted, str) else not wanted}
        mode, problem = decide(AUTH, [], {}, off)
        assert mode == LOCKED and problem.said.startswith(f"the server option {name} is ")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('[auth]\nclient_id = "outcomes\n', "secrets.toml line 2: "),  # does not parse
        ('[Auth]\nclient_id = "x"\n', "secrets.toml has a sign-in section [Auth] (the section"),
        ('[oauth]\nclient_id = "x"\n', "secrets.toml has a sign-in section [oauth] (the section"),
        ('[connections]\nx = 1\n[auth]\nclient_id = "x"\n', "has a sign-in section [auth]. "),
        ('[connections]\nx = "unclosed\n', "secrets.toml line 2: "),  # no auth, but broken
        # A misspelt header (or none) with sign-in's keys beneath it: meant as sign-in too
        ('[atuh]\nclient_id = "x"\n', "has a sign-in section [atuh] (the section is named"),
        ('[sso]\nserver_metadata_url = "https://x"\n', "has a sign-in section [sso] (the"),
        ('client_id = "x"\nclient_secret = "y"\n', "the sign-in setting client_id outside any"),
    ],
)
def test_the_demo_never_stands_in_for_a_broken_sign_in(tmp_path: Path, content, said):
    """`make run` always sets OUTCOMES_DEMO=1: an operator whose sign-in configuration has a
    typo must get a locked app that says why, not the demo's administrator picker."""
    from metrics.deployment import LOCKED, decide

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(content)
    files = [str(tmp_path / "absent.toml"), str(secrets)]
    # The [auth] Streamlit could not load (a file that does not parse loads nothing) or that
    # is not there under that name: the app is given none.
    mode, problem = decide(None, files, {"OUTCOMES_DEMO": "1"})
    assert mode == LOCKED and said in problem.said
    assert "remove OUTCOMES_DEMO and fix the sign-in, or remove the sign-in configuration" in (
        problem.said
    )
    assert str(tmp_path) not in problem.said and str(secrets) in problem.log_text


def test_the_demo_still_opens_with_no_secrets_file_or_one_without_sign_in(tmp_path: Path):
    from metrics.deployment import DEMO, decide

    files = [str(tmp_path / "secrets.toml"), str(Path.home() / "absent" / "secrets.toml")]
    assert decide(None, files, {"OUTCOMES_DEMO": "1"}) == (DEMO, None)  # a fresh clone
    (tmp_path / "secrets.toml").write_text('[connections]\nurl = "x"\n')
    assert decide(None, files, {"OUTCOMES_DEMO": "1"}) == (DEMO, None)
    folder = tmp_path / "k8s" / "Auth"  # Kubernetes-style secret folders count too
    folder.mkdir(parents=True)
    (folder / "client_id").write_text("x\n")
    assert decide(None, [str(tmp_path / "k8s")], {"OUTCOMES_DEMO": "1"})[0] != DEMO
    misspelt = tmp_path / "k8s2" / "atuh"  # a folder of any name holding sign-in's keys
    misspelt.mkdir(parents=True)
    (misspelt / "client_secret").write_text("x\n")
    assert decide(None, [str(tmp_path / "k8s2")], {"OUTCOMES_DEMO": "1"})[0] != DEMO
    other = tmp_path / "k8s3" / "connections"  # and one without them leaves the demo be
    other.mkdir(parents=True)
    (other / "url").write_text("x\n")
    assert decide(None, [str(tmp_path / "k8s3")], {"OUTCOMES_DEMO": "1"}) == (DEMO, None)


def test_a_secrets_path_streamlit_does_not_read_is_said_so(tmp_path: Path):
    """Streamlit reads a listed path only if it is a folder or its name ends in .toml, and a
    path that is neither, there or not, makes it read none of the files. Here a working
    [auth] beside such a path was taken as sign-in while Streamlit had none, and the page
    then said 'no [auth] section in secrets (found [auth] ...)'."""
    from metrics.deployment import LOCKED, decide
    from metrics.secrets_files import auth_in_files

    good = tmp_path / "secrets.toml"
    good.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items()))
    named = tmp_path / "secrets"
    named.write_text(good.read_text())
    for files in ([str(named)], [str(good), str(named)], [str(good), str(tmp_path / "x.tom")]):
        assert auth_in_files(files) is None  # as Streamlit loads them: nothing
        for environ in ({}, {"OUTCOMES_DEMO": "1"}):
            mode, problem = decide(auth_in_files(files), files, environ)
            assert mode == LOCKED
            assert "is listed as a secrets file, but Streamlit reads only files whose names " \
                "end in .toml (or folders)" in problem.said  # fmt: skip
    assert auth_in_files([str(good)])["client_id"] == AUTH["client_id"]
