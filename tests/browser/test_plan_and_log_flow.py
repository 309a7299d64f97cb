"""A real browser walks the plan and the operation log: the use bars, a plan change previewed then confirmed,
the cost calculator answering in place, and the log filtered to that change and verified intact."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harbour.audit.models import AuditEvent
from harbour.plans.models import Subscription
from tests.browser.session import new_context, sign_in
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS
from tests.factories import make_company, subscribe


@pytest.mark.browser
def test_admin_changes_the_plan_and_finds_it_in_the_log(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    subscribe(company.tenant, "basic", seats=20)
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = sign_in(new_context(browser), base, "admin@acme.com.hk", problems)
            expect(page.locator("svg.usage-bar")).to_have_count(3)  # the dashboard's plan use
            nav = page.get_by_role("navigation", name="Main")

            # The plan page, then a change: previewed first, written only when confirmed.
            nav.get_by_role("link", name="Plan", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Basic plan")
            page.get_by_role("link", name="Change plan").click()
            page.get_by_label("Plan").select_option(label="Professional")
            page.get_by_label("Seats").fill("40")
            page.get_by_label("Term").select_option(label="Annual")
            page.get_by_role("button", name="Preview the change").click()
            expect(page.get_by_text("What this change does")).to_be_visible()
            expect(page.get_by_text("HK$38400.00 for 12 month(s)")).to_be_visible()
            page.get_by_role("button", name="Confirm the change").click()
            expect(page.get_by_text("The company is now on Professional.")).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_have_text("Professional plan")
            page.screenshot(path=str(shots / "harbour-plan.png"), full_page=True)

            # The calculator answers in place (an HTMX swap of its own form).
            page.get_by_role("link", name="Compare plans").click()
            calculator = page.locator("#calculator")
            calculator.get_by_label("Plan").select_option(label="Basic")
            calculator.get_by_label("Seats").fill("10")
            calculator.get_by_label("Term").select_option(label="Annual")
            calculator.get_by_role("button", name="Calculate").click()
            expect(page.locator("#calculator .result")).to_contain_text("HK$4200.00")

            # The change is in the operation log, which verifies intact.
            nav.get_by_role("link", name="Operation log").click()
            page.get_by_label("What happened").select_option(value="subscription.changed")
            page.get_by_role("button", name="Search").click()
            rows = page.locator("#entries tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Plan, seats or term changed")
            page.get_by_role("button", name="Verify the log").click()
            expect(page.get_by_text("The operation log is intact")).to_be_visible()
            page.screenshot(path=str(shots / "harbour-log.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []
    subscription = Subscription.objects.for_tenant(company.tenant).get()
    assert (subscription.plan.code, subscription.seats, subscription.term) == ("professional", 40, "annual")
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="subscription.changed").count() == 1
