"""A real browser walks the console: sign in, add a department, invite someone into it, find them.

Runs Debian's Chromium through Playwright against pytest-django's live server, and fails on any
Content Security Policy violation the browser reports (the console must need no inline script or style).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from harbour.directory.models import Department, Member, MemberState
from tests.factories import PASSWORD, make_company

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Runs in the page before its own code (injected by the browser, so not subject to the page's CSP):
# reports every violation to the console, where the test collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.mark.browser
def test_admin_creates_department_invites_member_and_finds_them(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import ConsoleMessage, Response, expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    assert company.admin is not None
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    console: list[str] = []
    page_errors: list[str] = []
    failed_static: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        console.append(f"{message.type}: {message.text}")

    def on_response(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            failed_static.append(f"{response.status} {response.url}")

    # Django's ORM refuses to run while Playwright's event loop is active, so the database is only
    # touched before and after the browser session.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
            context.add_init_script(REPORT_CSP_VIOLATIONS)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("console", on_console)
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.on("response", on_response)

            # Sign in through the form.
            page.goto(f"{base}/login/")
            page.get_by_label("Work email").fill("admin@acme.com.hk")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Acme Trading Ltd")
            assert page.evaluate("typeof window.htmx") == "object", "htmx did not load from static files"
            nav = page.get_by_role("navigation", name="Main")

            # Create a department on the org chart.
            nav.get_by_role("link", name="Organisation").click()
            new_department = page.locator("section", has=page.get_by_role("heading", name="New department"))
            new_department.get_by_label("Name (English)").fill("Legal")
            new_department.get_by_label("Name (Chinese)").fill("法律部")
            new_department.get_by_label("Inside").select_option(label="— Top level —")
            new_department.get_by_role("button", name="Create department").click()
            expect(page.get_by_text("Created the department Legal.")).to_be_visible()
            expect(page.locator(".tree .node-name", has_text="Legal")).to_be_visible()

            # Invite a member into it.
            nav.get_by_role("link", name="Members").click()
            page.get_by_role("link", name="Invite member").click()
            page.get_by_label("Work email").fill("lena.law@acme.com.hk")
            page.get_by_label("Name (English)").fill("Lena Law")
            page.get_by_label("Name (Chinese)").fill("羅麗娜")
            page.get_by_label("Mobile").fill("+852 6123 4567")
            page.get_by_label("Job title").fill("Legal Counsel")
            page.get_by_label("Departments").select_option(label="Legal")
            page.get_by_role("button", name="Send invitation").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Lena Law")
            expect(page.locator("#invitation-link")).to_contain_text("/invite/")
            expect(page.locator(".badge.invited").first).to_be_visible()

            # Find them in the member list: typing updates the results through HTMX, no reload.
            nav.get_by_role("link", name="Members").click()
            page.locator("#member-results").evaluate("el => el.dataset.marker = 'original'")
            page.get_by_label("Search").press_sequentially("Lena", delay=40)
            rows = page.locator("#member-results tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Lena Law")
            expect(rows.first).to_contain_text("Legal")
            expect(rows.first).to_contain_text("Invited")
            assert (
                page.locator("#member-results").get_attribute("data-marker") == "original"
            )  # swapped, not reloaded
            page.wait_for_url(re.compile(r"/members/\?.*q=Lena"))  # the search is in the address bar

            # The department filter narrows the list to Legal.
            page.get_by_label("Search").fill("")
            page.get_by_label("Department").select_option(label="Legal")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Lena Law")

            page.get_by_label("Department").select_option(label="All departments")
            expect(rows).to_have_count(5)
            page.screenshot(path=str(shots / "harbour-members.png"), full_page=True)
            rows.filter(has_text="Lena Law").get_by_role("link", name="Lena Law").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Lena Law")
            page.screenshot(path=str(shots / "harbour-member.png"), full_page=True)
            nav.get_by_role("link", name="Organisation").click()
            page.screenshot(path=str(shots / "harbour-org.png"), full_page=True)
        finally:
            browser.close()

    violations = [line for line in console if "Content Security Policy" in line or "CSP violation" in line]
    assert violations == []
    assert page_errors == []
    assert failed_static == []

    legal = Department.objects.for_tenant(company.tenant).get(name="Legal")
    lena = Member.objects.for_tenant(company.tenant).get(email="lena.law@acme.com.hk")
    assert lena.state == MemberState.INVITED and lena.name_zh == "羅麗娜" and lena.mobile == "+85261234567"
    assert list(lena.departments.all()) == [legal]
