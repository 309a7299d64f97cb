"""A real browser walks the security settings: settings saved, an email domain proven through DNS, the
baseline with an exception, and a member signed out everywhere by the administrator."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harbour.security.models import BaselineException, SecuritySettings, TenantDomain
from tests.browser.session import new_context, sign_in
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS
from tests.factories import make_company


@pytest.mark.browser
def test_admin_secures_the_company(
    live_server: Any, transactional_db: None, tmp_path: Path, dns_server
) -> None:  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    assert company.member is not None
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            admin_context = new_context(browser)
            member_context = new_context(browser)
            member_page = sign_in(member_context, base, company.member.email, problems)
            page = sign_in(admin_context, base, "admin@acme.com.hk", problems)
            expect(page.get_by_text("security baseline score")).to_be_visible()
            nav = page.get_by_role("navigation", name="Main")

            # Settings: refused input is shown next to its field and changes nothing; then saved.
            nav.get_by_role("link", name="Security", exact=True).click()
            page.get_by_role("textbox", name="Allowed networks").fill("203.0.113.0/24\nthe office")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_text("'the office' is not an IP address")).to_be_visible()
            page.get_by_role("textbox", name="Allowed networks").fill("203.0.113.0/24\n127.0.0.0/8")
            page.get_by_label("Temporary collaborators: longest term (days)").fill("5")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_text("Security settings saved.")).to_be_visible()

            # A domain: added, its TXT record published, checked, verified.
            page.get_by_role("link", name="Email domains").first.click()
            page.get_by_label("Domain", exact=True).fill("acme-group.hk")
            page.get_by_role("button", name="Add").click()
            token = page.locator("code", has_text="harbour-verification=").inner_text()  # the record shown
            dns_server.publish("_harbour-verification.acme-group.hk", token)
            page.get_by_role("button", name="Check DNS").click()
            expect(page.get_by_text("acme-group.hk is verified.")).to_be_visible()
            page.screenshot(path=str(shots / "harbour-domains.png"), full_page=True)

            # The baseline, and an accepted deviation.
            nav.get_by_role("link", name="Security", exact=True).click()
            page.get_by_role("link", name="Baseline report").click()
            expect(page.get_by_text("HB.SSO.2v1", exact=True)).to_be_visible()
            page.get_by_label("Rule").select_option(value="HB.DEV.1v1")
            page.get_by_label("Why the deviation is accepted").fill(
                "Laptops are enrolled by department this quarter"
            )
            page.get_by_label("Until").fill("2027-01-31")
            page.get_by_role("button", name="Record the exception").click()
            expect(page.get_by_text("Exception recorded.")).to_be_visible()
            expect(page.get_by_text("accepted until 2027-01-31")).to_be_visible()
            page.screenshot(path=str(shots / "harbour-baseline.png"), full_page=True)

            # The member's sessions, ended by the administrator: the member's next click signs them out.
            page.goto(f"{base}/members/{company.member.pk}/sessions/")
            expect(page.get_by_text("signed in", exact=True)).to_be_visible()
            page.get_by_role("button", name="Sign out everywhere").click()
            expect(page.get_by_text("is signed out everywhere")).to_be_visible()
            member_page.goto(f"{base}/")
            member_page.wait_for_url(f"{base}/login/?next=/")
        finally:
            browser.close()

    assert problems == []
    settings = SecuritySettings.objects.for_tenant(company.tenant).get()
    assert settings.allowed_networks == ["203.0.113.0/24", "127.0.0.0/8"] and settings.temporary_max_days == 5
    assert BaselineException.objects.for_tenant(company.tenant).get().rule_id == "HB.DEV.1v1"
    domain = TenantDomain.objects.for_tenant(company.tenant).get(name="acme-group.hk")
    assert domain.is_verified and domain.txt_value == token
