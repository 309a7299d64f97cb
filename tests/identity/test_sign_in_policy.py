"""The one sign-in gate: each company's settings decide which sign-ins it accepts, at sign-in and on
every later request; listed sessions end one by one or everywhere; the break-glass path."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.identity.models import LoginFailure, LoginSession, TotpAuthenticator
from harbour.security.models import Incident, IncidentKind, SecuritySettings
from tests.factories import PASSWORD, Company, make_company, make_member

SECRET = pyotp.random_base32()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _set(company: Company, **values: object) -> None:
    SecuritySettings.objects.for_tenant(company.tenant).update_or_create(
        tenant_id=company.tenant.pk, defaults=values
    )


def _login(client: Client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"email": email, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_sso_only_refuses_password_sign_ins_and_ends_password_sessions(company: Company) -> None:
    client = Client()
    assert _login(client, company.member.email).status_code == 302 and _signed_in(client)
    _set(company, sso_only=True, break_glass_member_id=company.admin.pk)
    assert not _signed_in(client)  # the open password session no longer acts in the company
    refused = _login(Client(), company.member.email)
    assert refused.status_code == 400 and b"only through its identity provider" in refused.content
    _set(company, sso_only=False)
    assert _login(Client(), company.member.email).status_code == 302


def test_break_glass_needs_the_designated_admin_and_a_code_and_raises_an_incident(company: Company) -> None:
    _set(company, sso_only=True, break_glass_member_id=company.admin.pk)
    assert _login(Client(), company.admin.email).status_code == 400  # the usual page refuses the admin too
    other_admin = make_member(company, name="Second Admin", email="admin2@acme.com.hk", role="administrator")
    refused = Client().post("/login/break-glass/", {"email": other_admin.email, "password": PASSWORD})
    assert refused.status_code == 400 and b"break-glass administrator" in refused.content

    client = Client()
    step = client.post("/login/break-glass/", {"email": company.admin.email, "password": PASSWORD})
    assert step.status_code == 302 and step["Location"] == "/login/authenticator/"  # no authenticator yet
    assert not _signed_in(client)
    TotpAuthenticator.objects.create(account=company.admin.account, secret=SECRET, confirmed_at=now())
    client = Client()
    step = client.post("/login/break-glass/", {"email": company.admin.email, "password": PASSWORD})
    assert step["Location"] == "/login/code/"
    done = client.post("/login/code/", {"code": pyotp.TOTP(SECRET).now()})
    assert done.status_code == 302 and _signed_in(client)
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="login.break_glass").exists()
    incident = Incident.objects.for_tenant(company.tenant).get(kind=IncidentKind.BREAK_GLASS)
    assert incident.subject_id == company.admin.pk and incident.report_due_at > now()


def test_networks_refuse_outside_addresses_when_told_to(company: Company) -> None:
    _set(company, allowed_networks=["203.0.113.0/24"], refuse_outside_networks=True)
    outside = _login(Client(), company.member.email, REMOTE_ADDR="198.51.100.9")
    assert outside.status_code == 400 and b"this network" in outside.content
    assert _login(Client(), company.member.email, REMOTE_ADDR="203.0.113.50").status_code == 302


def test_the_session_lifetime_signs_people_out(company: Company) -> None:
    client = Client()
    _login(client, company.member.email)
    _set(company, session_lifetime_minutes=60)
    assert _signed_in(client)
    LoginSession.objects.filter(account=company.member.account).update(
        created_at=now() - dt.timedelta(minutes=61)
    )
    assert not _signed_in(client)
    assert LoginSession.objects.get(account=company.member.account).end_reason == "lifetime reached"


def test_sessions_are_listed_and_signed_out_everywhere(company: Company) -> None:
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    _login(laptop, company.member.email)
    _login(phone, company.member.email)
    page = laptop.get("/me/sessions/")
    assert page.status_code == 200 and b"Phone browser" in page.content and b"this browser" in page.content
    phone_session = LoginSession.objects.get(account=company.member.account, user_agent="Phone browser")
    laptop.post(f"/me/sessions/{phone_session.pk}/end/")
    assert not _signed_in(phone) and _signed_in(laptop)
    _login(phone, company.member.email)
    laptop.post("/me/sessions/end-all/")
    assert not _signed_in(phone) and not _signed_in(laptop)
    assert not LoginSession.objects.filter(account=company.member.account, ended_at__isnull=True).exists()


def test_an_administrator_signs_a_member_out_and_lifts_a_lockout(company: Company, settings) -> None:  # type: ignore[no-untyped-def]
    member_browser, admin = Client(), Client()
    _login(member_browser, company.member.email)
    _login(admin, company.admin.email)
    page = admin.get(f"/members/{company.member.pk}/sessions/")
    assert page.status_code == 200 and b"signed in" in page.content
    admin.post(f"/members/{company.member.pk}/sessions/end-all/")
    assert not _signed_in(member_browser)
    event = AuditEvent.objects.for_tenant(company.tenant).filter(kind="session.ended").get()
    assert event.data["by"] == "administrator"

    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(Client(), company.member.email, "wrong-password")
    assert b"too many failed" in _login(Client(), company.member.email).content
    admin.post(f"/members/{company.member.pk}/unlock/")
    assert not LoginFailure.objects.exists()
    assert _login(Client(), company.member.email).status_code == 302
    assert Client().get(f"/members/{company.member.pk}/sessions/").status_code == 302  # anonymous: sign in


def test_switching_into_a_company_that_asks_for_more_is_refused(company: Company) -> None:
    strict = make_company("strict")
    make_member(strict, name="Gary General", email=company.member.email)
    _set(strict, sso_only=True, break_glass_member_id=strict.admin.pk)
    client = Client()
    _login(client, company.member.email)
    refused = client.post("/switch/", {"tenant_id": str(strict.tenant.pk)})
    assert refused.status_code in (302, 403)
    assert client.get("/").status_code == 200
    page = client.get("/").content.decode()
    assert company.tenant.display_name in page


def test_a_password_sign_in_with_no_accepting_company_says_why(company: Company) -> None:
    _set(company, sso_only=True, break_glass_member_id=company.admin.pk)
    response = _login(Client(), company.member.email)
    assert b"single sign-on" in response.content
    assert not LoginSession.objects.exists()
