"""A real browser signs in through the company's identity provider: Harbour's login page, the provider's
sign-in form, back to Harbour. The SAML case exercises what the test client cannot: the IdP's form posted
across sites to the ACS, and the session cookie (SameSite=Lax) back on the way to ``acs/finish/``.
Fails on any Content Security Policy violation or page error on Harbour's pages."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from harbour.identity.models import LoginMethod, LoginSession
from harbour.identity.sso.queries import registration_of
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS, REPORT_CSP_VIOLATIONS
from tests.factories import make_company
from tests.identity.sso.helpers import IDP_PASSWORD, oidc_connection, saml_connection, verify_domain


def _browse(steps: Callable[[Any], None]) -> tuple[list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    console: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB")
            context.add_init_script(REPORT_CSP_VIOLATIONS)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            steps(page)
        finally:
            browser.close()
    return console, page_errors


def _sign_in_through(base: str, email: str) -> Callable[[Any], None]:
    def steps(page: Any) -> None:
        from playwright.sync_api import expect

        page.goto(f"{base}/login/")
        page.get_by_role("link", name="Sign in with single sign-on").click()
        page.get_by_label("Work email or company short name").fill(email)
        page.get_by_role("button", name="Continue").click()
        # the provider's own sign-in form
        page.wait_for_url(lambda url: not url.startswith(base))
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_label("Password").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Acme Trading Ltd")

    return steps


@pytest.mark.browser
@pytest.mark.parametrize("protocol", ["oidc", "saml"])
def test_sign_in_with_single_sign_on_in_a_browser(
    live_server: Any, transactional_db: None, oidc_provider: Any, saml_idp: Any, protocol: str
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    company = make_company("acme", domains=["acme.com.hk"])
    verify_domain(company, "acme.com.hk")
    member = company.member
    assert member is not None
    base = live_server.url
    if protocol == "oidc":
        connection = oidc_connection(company, oidc_provider)
        oidc_provider.allow_redirect(registration_of(connection, base).redirect_uri)
        oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    else:
        connection = saml_connection(company, saml_idp)
        registration = registration_of(connection, base)
        saml_idp.trust_sp(registration.sp_entity_id, registration.acs_url)
        saml_idp.add_user(member.email, IDP_PASSWORD, member.name)

    # The database is touched only before and after the browser session (Playwright's event loop).
    console, page_errors = _browse(_sign_in_through(base, member.email))

    assert not page_errors, page_errors
    assert not [line for line in console if "CSP violation" in line], console
    session = LoginSession.objects.get(account=member.account)
    assert (session.method, session.sso_connection) == (LoginMethod.SSO, connection.pk)
