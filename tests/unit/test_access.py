"""Roles: the token's claim or the access list; the list validated like the charter; every
write refuses a person without the role, whatever the page did."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from charter import CHARTER_DIR, CharterError
from charter.access import AccessFile, load_access
from metrics.access import (
    ADMIN,
    ANALYST,
    CHAIR,
    COUNCILLOR,
    MEMBER,
    AccessDenied,
    Actor,
    audit,
    command_line,
    demo,
    from_claims,
)
from metrics.access.reload import describe, reload_charter
from metrics.ingest import check_file, load_file
from metrics.ingest.kept import upload_file
from metrics.ingest.published.ees import import_ees
from metrics.store.queries import current_count, uploads

ACCESS = AccessFile(
    ask="the performance team",
    people={"ana@council.example": ["analyst"], "cllr@council.example": ["councillor"]},
    domains={"council.example": ["member"]},
)
VERIFIED = {"email_verified": True}
GOOD = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"


def person(*roles: str) -> Actor:
    return Actor("sub-1", "Pat Person", "pat@council.example", "app", frozenset(roles))


# -- where roles come from ------------------------------------------------------------------


def test_the_roles_claim_wins_over_the_access_list_and_is_read_without_case():
    claims = {"sub": "s", "email": "ana@council.example", "roles": ["Councillor", "Unknown"]}
    assert from_claims(claims, ACCESS).roles == {COUNCILLOR}


def test_an_empty_roles_claim_means_no_role_even_if_the_list_has_one():
    claims = {"sub": "s", "email": "ana@council.example", "roles": []}
    assert from_claims(claims, ACCESS).roles == frozenset()


def test_without_a_claim_a_listed_address_gets_exactly_its_roles_not_its_domains():
    claims = {"sub": "s", "email": "CLLR@Council.example", "name": "Cllr Khan", **VERIFIED}
    actor = from_claims(claims, ACCESS)
    assert actor.roles == {COUNCILLOR}
    assert (actor.subject, actor.name, actor.email) == ("s", "Cllr Khan", "CLLR@Council.example")


def test_without_a_claim_others_get_their_domains_roles_and_strangers_none():
    sam = {"sub": "a", "email": "sam@council.example", **VERIFIED}
    assert from_claims(sam, ACCESS).roles == {MEMBER}
    stranger = {"sub": "b", "email": "x@elsewhere.example", **VERIFIED}
    assert from_claims(stranger, ACCESS).roles == frozenset()
    assert from_claims({"sub": "c"}, ACCESS).roles == frozenset()


def test_an_unverified_email_gets_nothing_from_the_list():
    claims = {"sub": "s", "email": "ana@council.example", "email_verified": False}
    assert from_claims(claims, ACCESS).roles == frozenset()


ENTRA = "https://login.microsoftonline.com/0000-tenant/v2.0"


@pytest.mark.parametrize("verified", [None, "true", "True", 1, "yes"])
def test_an_address_not_vouched_for_as_a_boolean_gets_nothing_from_the_list(verified):
    claims = {"sub": "s", "email": "ana@council.example", "iss": ENTRA}
    if verified is not None:
        claims["email_verified"] = verified
    assert from_claims(claims, ACCESS).roles == frozenset()


def test_an_issuer_listed_as_verifying_addresses_is_trusted_without_the_claim():
    trusting = ACCESS.model_copy(update={"addresses_verified_by": [ENTRA]})
    claims = {"sub": "s", "email": "ana@council.example", "iss": ENTRA}
    assert from_claims(claims, trusting).roles == {ANALYST}
    other = {**claims, "iss": "https://accounts.google.com"}
    assert from_claims(other, trusting).roles == frozenset()
    denied = {**claims, "email_verified": False}  # a provider's own "no" is never overridden
    assert from_claims(denied, trusting).roles == frozenset()


@pytest.mark.parametrize(
    "email",
    [
        "ana@council.example@elsewhere.example",
        "x@elsewhere.example@council.example",
        '"ana@council.example"@elsewhere.example',
        "x@evil.council.example",
        "x@council.example.evil.example",
        "x@notcouncil.example",
    ],
)
def test_odd_addresses_and_other_domains_get_nothing(email):
    assert from_claims({"sub": "s", "email": email, **VERIFIED}, ACCESS).roles == frozenset()


def test_a_roles_claim_that_is_not_text_gives_no_role():
    for claimed in ({"admin": True}, 1, [["admin"]], [{"admin": 1}]):
        assert from_claims({"sub": "s", "roles": claimed}, ACCESS).roles == frozenset()


def test_the_provider_claim_may_not_be_one_streamlit_overwrites(charter_copy):
    found = access_problems(charter_copy, "ask: x\nprovider_claim: provider\n")
    assert any("provider_claim" in p and "Streamlit overwrites" in p for p in found)
    issuer = access_problems(charter_copy, "ask: x\naddresses_verified_by: [entra]\n")
    assert any("addresses_verified_by" in p and "is not an issuer" in p for p in issuer)


def test_a_chair_is_also_a_member():
    assert from_claims({"sub": "s", "roles": ["chair"]}, ACCESS).roles == {CHAIR, MEMBER}
    assert demo(CHAIR).roles == {CHAIR, MEMBER}


def test_names_fall_back_to_username_email_then_subject():
    assert from_claims({"sub": "s", "preferred_username": "pat"}, ACCESS).name == "pat"
    assert from_claims({"sub": "s", "email": "e@x.example"}, ACCESS).name == "e@x.example"
    assert from_claims({"sub": "s"}, ACCESS).name == "s"


def test_demo_and_command_line_people():
    assert demo(COUNCILLOR).name == "demo (councillor)" and demo(COUNCILLOR).via == "demo"
    cli = command_line("Sam")
    assert cli.name == "Sam" and cli.via == "cli" and cli.subject  # the OS user
    assert command_line().name == cli.subject


# -- the access list as data ------------------------------------------------------------------


@pytest.fixture
def charter_copy(tmp_path: Path) -> Path:
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def access_problems(root: Path, text: str) -> list[str]:
    (root / "access.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CharterError) as err:
        load_access(root)
    return err.value.problems


def test_the_shipped_access_list_loads():
    access = load_access(CHARTER_DIR)
    assert access.ask and access.people and access.domains


def test_an_unknown_role_names_file_key_and_reason(charter_copy):
    found = access_problems(charter_copy, "ask: x\npeople:\n  a@b.example: [analyts]\n")
    assert len(found) == 1
    assert found[0].startswith("charter/access.yaml: people.a@b.example.0: ")
    assert "'analyst'" in found[0]


def test_bad_addresses_domains_and_missing_keys_are_all_reported(charter_copy):
    text = "people:\n  not-an-address: [member]\ndomains:\n  '@@bad': [member]\ncolour: red\n"
    found = access_problems(charter_copy, text)
    assert any(p.startswith("charter/access.yaml: ask: ") for p in found)
    assert any("people" in p and "'not-an-address' is not an email address" in p for p in found)
    assert any("domains" in p and "is not an email domain" in p for p in found)
    assert any("colour" in p and "Extra inputs are not permitted" in p for p in found)


def test_an_address_listed_twice_in_different_case_is_an_error(charter_copy):
    found = access_problems(
        charter_copy, "ask: x\npeople:\n  A@b.example: [member]\n  a@B.example: [admin]\n"
    )
    assert any("listed twice" in p for p in found)


def test_a_missing_access_list_is_named(charter_copy):
    (charter_copy / "access.yaml").unlink()
    with pytest.raises(CharterError) as err:
        load_access(charter_copy)
    assert err.value.problems == ["charter/access.yaml: (file): missing"]


# -- every write checks the role itself ------------------------------------------------------


@pytest.mark.parametrize("role", [MEMBER, CHAIR, COUNCILLOR, ADMIN])
def test_only_analysts_may_upload_and_a_refusal_changes_and_logs_nothing(store, charter, role):
    who = person(role)
    with pytest.raises(
        AccessDenied, match="Pat Person may not upload a return: that needs the analyst role"
    ):
        load_file(store, charter, "r.csv", GOOD, by=who)
    with pytest.raises(AccessDenied):
        check_file(store, charter, "r.csv", b"nonsense", log_as=who)
    assert uploads(store) == [] and current_count(store) == 0
    assert audit.entries(store, command_line()) == []


def test_only_analysts_may_import_published_statistics(store, charter):
    from charter.ees_models import load_mapping, shipped_mappings

    mapping = load_mapping(next(p for p in shipped_mappings() if p.name == "sen2-mi.yaml"), charter)
    with pytest.raises(AccessDenied, match="import published statistics"):
        import_ees(store, charter, "x.csv", b"a,b\n1,2\n", mapping, by=person(MEMBER))
    assert uploads(store) == []


def test_only_analysts_may_download_an_uploaded_file(store, charter):
    report = load_file(store, charter, "r.csv", GOOD, by=person(ANALYST))
    assert upload_file(store, report.upload_id, person(ANALYST)) == ("r.csv", GOOD)
    with pytest.raises(AccessDenied):
        upload_file(store, report.upload_id, person(MEMBER, CHAIR, COUNCILLOR, ADMIN))


def test_only_administrators_may_read_the_audit_trail(store):
    with pytest.raises(AccessDenied, match="read the audit trail"):
        audit.entries(store, person(ANALYST, MEMBER, CHAIR, COUNCILLOR))
    assert audit.entries(store, person(ADMIN)) == []


# -- charter reloads ---------------------------------------------------------------------------


def test_a_charter_reload_is_audited_with_what_changed(store, charter, charter_copy):
    ind = charter_copy / "indicators" / "short-breaks-receiving.yaml"
    ind.write_text(ind.read_text().replace("target: 420", "target: 450"))
    access = charter_copy / "access.yaml"
    access.write_text(
        access.read_text().replace(
            "people:\n", "people:\n  new.person@wrenfield.example: [chair]\n"
        )
    )
    old_access = load_access(CHARTER_DIR)
    _, new_access, summary = reload_charter(store, person(ADMIN), charter, old_access, charter_copy)
    assert "1 indicator changed (short-breaks-receiving)" in summary
    assert "access list: 1 person added (new.person@wrenfield.example)" in summary
    assert new_access.people["new.person@wrenfield.example"] == ["chair"]
    [row] = audit.entries(store, person(ADMIN))
    assert (row.kind, row.name, row.summary) == ("charter reload", "Pat Person", summary)
    assert row.before and row.after and "28 indicators" in row.after


def test_a_reload_that_changes_who_may_sign_in_or_when_returns_are_due_says_so(
    store, charter, charter_copy
):
    providers = charter_copy / "providers.yaml"
    text = providers.read_text()
    assert "people: [tom.okafor@brightside.example]" in text and "due_working_days: 15" in text
    providers.write_text(
        text.replace(
            "people: [tom.okafor@brightside.example]",
            "people: [tom.okafor@brightside.example, mallory@evil.example]",
        ).replace("due_working_days: 15", "due_working_days: 40")
    )
    access = charter_copy / "access.yaml"
    access.write_text(access.read_text() + "addresses_verified_by: [https://issuer.example]\n")
    old_access = load_access(CHARTER_DIR)
    _, _, summary = reload_charter(store, person(ADMIN), charter, old_access, charter_copy)
    [tom] = [k for k, p in charter.providers.items() if "tom.okafor@brightside.example" in p.people]
    assert f"1 provider changed ({tom})" in summary
    assert "access list: the issuers whose addresses count as verified changed" in summary
    assert summary != "no change"


def test_every_part_of_the_charter_and_access_list_is_compared_on_reload(charter):
    """A part left out of describe() would be audited as 'no change' when it changed."""
    access = load_access(CHARTER_DIR)
    for part in dataclasses.fields(charter):
        value = getattr(charter, part.name)
        emptied = type(value)() if isinstance(value, dict | tuple | str) else None
        changed = dataclasses.replace(charter, **{part.name: emptied})
        assert describe(charter, changed, access, access) != "no change", part.name
    for name, value in access.model_dump().items():
        if isinstance(value, list):
            value = [*value, "x"]
        else:
            value = {} if isinstance(value, dict) else value + "x"
        other = access.model_copy(update={name: value})
        if other != access:
            assert describe(charter, charter, access, other) != "no change", name
    assert describe(charter, charter, access, access) == "no change"


def test_a_broken_charter_reload_changes_nothing_and_is_not_audited(store, charter, charter_copy):
    (charter_copy / "access.yaml").write_text("ask: x\npeople:\n  a@b.example: [boss]\n")
    with pytest.raises(CharterError):
        reload_charter(store, person(ADMIN), charter, load_access(CHARTER_DIR), charter_copy)
    assert audit.entries(store, person(ADMIN)) == []


def test_only_administrators_may_reload_the_charter(store, charter):
    with pytest.raises(AccessDenied):
        reload_charter(store, person(ANALYST, CHAIR), charter, load_access(CHARTER_DIR))


def test_a_person_listed_twice_never_takes_the_later_roles(charter_copy):
    found = access_problems(
        charter_copy,
        "ask: x\npeople:\n  cllr.khan@b.example: [member]\n  cllr.khan@b.example: [admin]\n",
    )
    assert found == ["charter/access.yaml: line 4: 'cllr.khan@b.example' is given twice here "
                     "(only one can count): keep one"]  # fmt: skip


def test_a_domain_with_and_without_its_at_is_listed_twice(charter_copy):
    found = access_problems(
        charter_copy, "ask: x\ndomains:\n  b.example: [member]\n  '@b.example': [admin]\n"
    )
    assert any("domains" in p and "listed twice (with and without its @)" in p for p in found)


def test_a_domain_in_two_cases_is_listed_twice_without_mention_of_an_at(charter_copy):
    found = access_problems(
        charter_copy, "ask: x\ndomains:\n  B.example: [member]\n  b.example: [admin]\n"
    )
    assert any("'b.example' is listed twice" in p and "@" not in p.split("twice")[1]
               for p in found), found  # fmt: skip
