"""Signing in: throttling, frozen accounts, company switching."""

from __future__ import annotations

from django.test import Client

from harbour.directory import actions
from tests.factories import PASSWORD, make_company, make_member


def _login(client: Client, email: str, password: str):
    return client.post("/login/", {"email": email, "password": password})


def test_password_login_and_dashboard(company):
    client = Client()
    response = _login(client, company.admin.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_and_throttled(company, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        assert _login(client, company.admin.email, "wrong-password").status_code == 400
    response = _login(client, company.admin.email, PASSWORD)
    assert response.status_code == 400
    assert "too many failed sign-in attempts" in response.content.decode()


def test_suspended_member_loses_the_session_at_once(company):
    client = Client()
    _login(client, company.member.email, PASSWORD)
    assert client.get("/").status_code == 200
    actions.suspend_member(company.admin, company.member)
    response = client.get("/")
    assert response.status_code == 302


def test_member_of_two_companies_switches_between_them(company):
    other_company = make_company("initech")  # no domain binding: it accepts the acme address
    make_member(other_company, name="Gary General", email=company.member.email)
    client = Client()
    _login(client, company.member.email, PASSWORD)
    response = client.post("/switch/", {"tenant_id": str(other_company.tenant.id)})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert other_company.tenant.display_name in page


def test_switching_to_a_company_without_membership_is_refused(company, other_company):
    client = Client()
    _login(client, company.member.email, PASSWORD)
    response = client.post("/switch/", {"tenant_id": str(other_company.tenant.id)})
    assert response.status_code == 404


def test_security_headers(company):
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_passwords_are_hashed_with_argon2(company):
    assert company.admin.account.password.startswith("argon2")
