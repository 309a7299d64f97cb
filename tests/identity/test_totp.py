"""The TOTP second factor: setting up an authenticator app on Sign-in security, signing in with its
codes (each accepted once) or a recovery code (each usable once), lockout after wrong codes, and
administrators made to set one up when the company requires it."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.errors import Invalid
from harbour.directory.models import Member
from harbour.identity import totp
from harbour.identity.models import TotpAuthenticator
from harbour.security.actions import update_settings
from tests.api.helpers import api_as, assert_problem, body
from tests.factories import PASSWORD, Company, make_company, make_member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CODES = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def console(member: Member) -> Client:
    client = Client()
    assert member.account is not None
    client.force_login(member.account)
    return client


def code_at(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def secret_of(member: Member) -> str:
    return TotpAuthenticator.objects.get(account=member.account).secret


def set_up(member: Member) -> list[str]:
    """Through Sign-in security: start, confirm with the current code; answers the recovery codes."""
    client = console(member)
    assert client.post("/me/security/totp/setup/").status_code == 302
    page = client.get("/me/security/").content.decode()
    secret = secret_of(member)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page  # the key, typeable
    assert 'src="data:image/svg+xml' in page  # the QR code
    confirmed = client.post("/me/security/totp/confirm/", {"code": code_at(secret)})
    assert confirmed.status_code == 200, confirmed.content.decode()[:1000]
    codes = CODES.findall(confirmed.content.decode())
    assert len(codes) == 10
    return codes


def password_step(client: Client, member: Member) -> Any:
    return client.post("/login/", {"email": member.email, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


# ---------------------------------------------------------------------------------------- set-up
def test_member_sets_up_an_authenticator_and_gets_ten_recovery_codes(company: Company) -> None:
    member = company.member
    assert member is not None
    codes = set_up(member)
    authenticator = TotpAuthenticator.objects.get(account=member.account)
    assert authenticator.is_confirmed
    assert len(set(codes)) == 10
    assert all(code not in str(authenticator.recovery_code_hashes) for code in codes)  # hashed at rest
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="totp.enabled").count() == 1
    # shown once: the page no longer shows them
    assert not CODES.findall(console(member).get("/me/security/").content.decode())


def test_a_wrong_confirmation_code_sets_nothing_up(company: Company) -> None:
    member = company.member
    assert member is not None
    client = console(member)
    client.post("/me/security/totp/setup/")
    response = client.post("/me/security/totp/confirm/", {"code": "000000"})
    assert response.status_code == 400
    assert not TotpAuthenticator.objects.get(account=member.account).is_confirmed


# --------------------------------------------------------------------------------------- sign-in
def test_sign_in_asks_for_the_code_once_an_authenticator_is_set_up(company: Company) -> None:
    member = company.member
    assert member is not None
    set_up(member)
    client = Client()
    first = password_step(client, member)
    assert first.status_code == 302 and first["Location"] == "/login/code/"
    assert not signed_in(client)
    response = client.post("/login/code/", {"code": code_at(secret_of(member), 1)})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_code_is_accepted_only_once(company: Company) -> None:
    member = company.member
    assert member is not None
    set_up(member)
    code = code_at(secret_of(member), 1)
    first = Client()
    password_step(first, member)
    assert first.post("/login/code/", {"code": code}).status_code == 302

    second = Client()
    password_step(second, member)
    replay = second.post("/login/code/", {"code": code})
    assert replay.status_code == 400
    assert not signed_in(second)


def test_a_code_from_too_far_away_in_time_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    set_up(member)
    client = Client()
    password_step(client, member)
    assert client.post("/login/code/", {"code": code_at(secret_of(member), 3)}).status_code == 400


def test_a_recovery_code_signs_in_once(company: Company) -> None:
    member = company.member
    assert member is not None
    codes = set_up(member)
    first = Client()
    password_step(first, member)
    assert first.post("/login/code/", {"code": codes[0].upper()}).status_code == 302
    assert signed_in(first)
    assert totp.recovery_codes_left(totp.authenticator_of(member.account)) == 9
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="totp.recovery_code_used").exists()

    again = Client()
    password_step(again, member)
    assert again.post("/login/code/", {"code": codes[0]}).status_code == 400
    assert not signed_in(again)


def test_wrong_codes_lock_the_sign_in_out(company: Company, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    member = company.member
    assert member is not None
    set_up(member)
    client = Client()
    password_step(client, member)
    for _ in range(3):
        assert client.post("/login/code/", {"code": "123456"}).status_code == 400
    locked = client.post("/login/code/", {"code": code_at(secret_of(member), 1)})
    assert locked.status_code == 302 and locked["Location"] == "/login/"
    assert not signed_in(client)
    # the password step is locked too
    response = password_step(Client(), member)
    assert response.status_code == 400
    assert "too many failed sign-in attempts" in response.content.decode()
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="login.failed").count() == 3


# ---------------------------------------------------------------------------------- MFA for admins
def test_an_administrator_must_set_up_an_authenticator_when_the_company_requires_it(company: Company) -> None:
    admin, member = company.admin, company.member
    assert admin is not None and member is not None
    update_settings(company.system, {"mfa_for_admins": True})

    client = Client()
    first = password_step(client, admin)
    assert first.status_code == 302 and first["Location"] == "/login/authenticator/"
    page = client.get("/login/authenticator/")
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.content.decode()
    assert not signed_in(client)
    wrong = client.post("/login/authenticator/", {"code": "000000"})
    assert wrong.status_code == 400
    done = client.post("/login/authenticator/", {"code": code_at(secret_of(admin))})
    assert done.status_code == 200
    assert len(CODES.findall(done.content.decode())) == 10
    assert signed_in(client)
    assert totp.confirmed_authenticator(admin.account) is not None

    # a member who is not an administrator is not asked
    plain = Client()
    assert password_step(plain, member)["Location"] == "/"
    assert signed_in(plain)


def test_switching_mfa_for_admins_on_needs_the_administrators_own_authenticator(company: Company) -> None:
    admin = company.admin
    assert admin is not None
    with pytest.raises(Invalid) as refused:
        update_settings(admin, {"mfa_for_admins": True})
    assert refused.value.field == "mfa_for_admins"
    set_up(admin)
    assert update_settings(admin, {"mfa_for_admins": True}).mfa_for_admins


# ------------------------------------------------------------------------------ codes and switch off
def test_new_recovery_codes_replace_the_old_ones(company: Company) -> None:
    member = company.member
    assert member is not None
    old = set_up(member)
    response = console(member).post(
        "/me/security/totp/recovery-codes/", {"code": code_at(secret_of(member), 1)}
    )
    new = CODES.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client = Client()
    password_step(client, member)
    assert client.post("/login/code/", {"code": old[1]}).status_code == 400
    assert client.post("/login/code/", {"code": new[1]}).status_code == 302


def test_switching_off_needs_a_current_code(company: Company) -> None:
    member = company.member
    assert member is not None
    set_up(member)
    client = console(member)
    assert client.post("/me/security/totp/disable/", {"code": "000000"}).status_code == 400
    assert totp.confirmed_authenticator(member.account) is not None
    assert (
        client.post("/me/security/totp/disable/", {"code": code_at(secret_of(member), 1)}).status_code == 302
    )
    assert totp.authenticator_of(member.account) is None
    assert password_step(Client(), member)["Location"] == "/"  # back to the password alone


def test_an_administrator_cannot_switch_it_off_while_the_company_requires_it(company: Company) -> None:
    admin = company.admin
    assert admin is not None
    set_up(admin)
    update_settings(admin, {"mfa_for_admins": True})
    client = Client()
    password_step(client, admin)
    assert client.post("/login/code/", {"code": code_at(secret_of(admin), 1)}).status_code == 302
    response = client.post("/me/security/totp/disable/", {"code": code_at(secret_of(admin), -1)})
    assert response.status_code == 400
    assert "requires a second factor" in response.content.decode()
    assert totp.confirmed_authenticator(admin.account) is not None


# ------------------------------------------------------------------------------------ admin reset, API
def test_an_administrator_resets_a_members_authenticator(company: Company) -> None:
    member, admin = company.member, company.admin
    assert member is not None and admin is not None
    set_up(member)
    response = api_as(admin).post(f"/members/{member.pk}/totp/reset", {"reason": "lost phone"})
    assert response.status_code == 200 and body(response) == {"reset": True}
    assert totp.authenticator_of(member.account) is None
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="totp.reset")
    assert event.data["reason"] == "lost phone"


def test_a_reset_is_refused_when_the_login_also_serves_another_company(company: Company) -> None:
    member, admin = company.member, company.admin
    assert member is not None and admin is not None
    other = make_company("initech")
    make_member(other, name="Gary General", email=member.email)
    set_up(member)
    response = api_as(admin).post(f"/members/{member.pk}/totp/reset", {})
    assert_problem(response, 403, "member_id")
    assert totp.confirmed_authenticator(member.account) is not None


def test_the_api_tells_the_caller_whether_their_authenticator_is_on(company: Company) -> None:
    member = company.member
    assert member is not None
    api = api_as(member)
    assert body(api.get("/me/totp"))["enabled"] is False
    set_up(member)
    status = body(api.get("/me/totp"))
    assert status["enabled"] is True and status["recovery_codes_left"] == 10
    assert status["required_by"] is None


def test_guessing_the_code_to_switch_it_off_locks_out(company: Company, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    member = company.member
    assert member is not None
    set_up(member)
    client = console(member)
    for _ in range(3):
        assert client.post("/me/security/totp/disable/", {"code": "123456"}).status_code == 400
    refused = client.post("/me/security/totp/disable/", {"code": code_at(secret_of(member), 1)})
    assert refused.status_code == 400 and "too many failed" in refused.content.decode()
    assert totp.confirmed_authenticator(member.account) is not None
