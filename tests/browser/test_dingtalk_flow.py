"""A real browser connects DingTalk (the emulator), tests the connection, plans the adoption of its
directory, applies it through the worker and reads the sync history."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harbour.directory.models import Department
from harbour.integrations.dingtalk.models import SyncRun
from harbour.jobs.worker import run_until_idle
from tests.browser.session import new_context, off_the_loop, sign_in
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS
from tests.dingtalk_emulator import Emulator
from tests.factories import make_company


@pytest.mark.browser
def test_admin_connects_dingtalk_and_adopts_its_directory(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    dingtalk_emulator = Emulator(appkey="dingappkey", appsecret="dingsecret", corp_id="dingcorp")
    dingtalk_emulator.start(host="127.0.0.1", port=0)
    sales = dingtalk_emulator.add_department("Harbour Sales")
    dingtalk_emulator.add_user(
        name="Chan Tai Man", mobile="13800000009", dept_ids=[sales], email="chan@acme.com.hk"
    )
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = sign_in(new_context(browser), base, "admin@acme.com.hk", problems)
            page.goto(f"{base}/dingtalk/")

            # Connect: the secret is typed, never shown back.
            page.get_by_label("AppKey (Client ID)").fill("dingappkey")
            page.get_by_label("AppSecret (Client Secret)").fill("dingsecret")
            page.locator("summary", has_text="Advanced").click()
            page.get_by_label("Legacy API address (advanced)").fill(dingtalk_emulator.url)
            page.get_by_label("New API address (advanced)").fill(dingtalk_emulator.url)
            page.get_by_role("button", name="Connect").click()
            expect(page.get_by_text("Connected. Test the connection")).to_be_visible()

            # Test: each step's result appears in place (HTMX).
            page.get_by_role("button", name="Test connection").click()
            expect(page.get_by_text("The connection works")).to_be_visible()
            expect(page.get_by_text("Write access (qyapi_manage_addresslist)")).to_be_visible()
            page.screenshot(path=str(shots / "harbour-dingtalk-connection.png"), full_page=True)

            # Plan the adoption, read it, apply it.
            page.get_by_role("button", name="Plan adoption").click()
            expect(page.get_by_text("Planned: nothing has changed yet.")).to_be_visible()
            expect(page.get_by_text("Harbour Sales").first).to_be_visible()
            page.screenshot(path=str(shots / "harbour-dingtalk-plan.png"), full_page=True)
            page.get_by_role("button", name="Apply these changes").click()
            expect(page.get_by_text("Applying in the background")).to_be_visible()
            off_the_loop(run_until_idle)
            page.reload()

            # The history shows the applied adoption.
            page.get_by_role("navigation", name="DingTalk").get_by_role("link", name="Sync history").click()
            expect(page.get_by_role("cell", name="Applied", exact=True)).to_be_visible()
            page.screenshot(path=str(shots / "harbour-dingtalk-history.png"), full_page=True)
        finally:
            browser.close()
            dingtalk_emulator.stop()

    assert problems == []
    assert SyncRun.objects.for_tenant(company.tenant).get().state == SyncRun.State.APPLIED
    assert Department.objects.for_tenant(company.tenant).filter(name="Harbour Sales").exists()
