"""A real browser registers itself as a company device and signs in with it.

Chromium's virtual authenticator (DevTools ``WebAuthn.addVirtualAuthenticator``) stands in for the
device's platform authenticator, so ``static/identity/webauthn.js`` runs the real ceremonies:
``navigator.credentials.create()`` on the enrolment link, ``navigator.credentials.get()`` at sign-in.
Fails on any Content Security Policy violation or page error.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from harbour.identity.devices import create_enrolment
from harbour.identity.models import DeviceCredential
from harbour.security.actions import update_settings
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS, REPORT_CSP_VIOLATIONS
from tests.factories import PASSWORD, make_company


@pytest.mark.browser
def test_company_device_registers_and_signs_in(live_server: Any, transactional_db: None) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    member = company.member
    assert member is not None
    _enrolment, token = create_enrolment(company.system, member, device_name="Reception PC")
    update_settings(company.system, {"company_devices_only": True})
    base = live_server.url  # http://localhost:<port>: a secure context, so WebAuthn is available
    console: list[str] = []
    page_errors: list[str] = []

    # The database is touched only before and after the browser session (Playwright's event loop).
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB")
            context.add_init_script(REPORT_CSP_VIOLATIONS)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            devtools = context.new_cdp_session(page)
            devtools.send("WebAuthn.enable")
            devtools.send(
                "WebAuthn.addVirtualAuthenticator",
                {
                    "options": {
                        "protocol": "ctap2",
                        "transport": "internal",
                        "hasResidentKey": True,
                        "hasUserVerification": True,
                        "isUserVerified": True,
                        "automaticPresenceSimulation": True,
                    }
                },
            )

            # IT's link, opened on the device: the browser creates the key.
            page.goto(f"{base}/devices/enrol/{token}/")
            page.get_by_role("button", name="Register this device").click()
            expect(page.locator("#device-registered")).to_contain_text("Reception PC")

            # Signing in: the password, then the device signs.
            page.goto(f"{base}/login/")
            page.get_by_label("Work email").fill(member.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/login/device/")
            page.get_by_role("button", name="Confirm with this device").click()
            page.wait_for_url(f"{base}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Acme Trading Ltd")
        finally:
            browser.close()

    assert not page_errors, page_errors
    assert not [line for line in console if "CSP violation" in line], console
    device = DeviceCredential.objects.for_tenant(company.tenant).get(member=member)
    assert device.name == "Reception PC" and device.last_used_at is not None
