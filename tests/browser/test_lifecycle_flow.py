"""A real browser walks an HR import: a role rule added, a file uploaded and its dry run read (a disputed
record among the changes), the import applied by the worker, the disputed record decided on the
reconciliation page, and the joiner holding the rule's role."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harbour.directory.models import Member, RoleGrant
from harbour.jobs.worker import run_until_idle
from harbour.lifecycle.models import SourceLink, SyncRun
from tests.browser.session import new_context, off_the_loop, sign_in
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS
from tests.factories import make_company


@pytest.mark.browser
def test_admin_imports_hr_and_settles_a_dispute(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    assert company.manager is not None and company.outsider is not None
    hr_file = tmp_path / "hr.csv"
    hr_file.write_text(
        "employee number,email,name,department,title\n"
        "N-1,pat.head@acme.com.hk,Pat Head,Finance,Head of Payments\n"
        f"{company.manager.employee_number},{company.outsider.email},Two Ways,,\n"
    )
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = sign_in(new_context(browser), base, "admin@acme.com.hk", problems)
            page.get_by_role("navigation", name="Main").get_by_role("link", name="HR imports").click()
            tabs = page.get_by_role("navigation", name="Account lifecycle")

            # A rule: heads in Finance manage their department.
            tabs.get_by_role("link", name="Role rules").click()
            page.get_by_role("combobox", name="Department").select_option(label="Finance")
            page.get_by_label("Title contains").fill("head")
            page.get_by_label("Role given").select_option(label="Department Manager")
            page.get_by_role("button", name="Add rule").click()
            expect(page.get_by_text("Rule added.")).to_be_visible()

            # The file: planned, nothing changes yet.
            tabs.get_by_role("link", name="Imports and sync reports").click()
            page.get_by_label("HR export (CSV or XLSX)").set_input_files(str(hr_file))
            page.get_by_role("button", name="Check and plan").click()
            expect(page.get_by_text("Planned: nothing has changed yet.")).to_be_visible()
            expect(page.get_by_text("pat.head@acme.com.hk")).to_be_visible()
            assert not off_the_loop(
                lambda: (
                    Member.objects.for_tenant(company.tenant).filter(email="pat.head@acme.com.hk").exists()
                )
            )
            page.screenshot(path=str(shots / "harbour-hr-plan.png"), full_page=True)
            page.get_by_role("button", name="Apply these changes").click()
            expect(page.get_by_text("Applying in the background")).to_be_visible()
            off_the_loop(run_until_idle)  # the worker applies it, then mails the invitation
            page.reload()
            expect(page.get_by_text("Applied", exact=True).first).to_be_visible()

            # The disputed record waits for a person.
            tabs.get_by_role("link", name="Reconciliation").click()
            expect(page.get_by_text("Waiting for a decision")).to_be_visible()
            page.get_by_label(f"Helen HR <{company.outsider.email}>").check()
            page.get_by_role("button", name="Decide").click()
            expect(page.get_by_text("Nothing is waiting.")).to_be_visible()
            page.screenshot(path=str(shots / "harbour-reconciliation.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []
    assert SyncRun.objects.for_tenant(company.tenant).get().state == SyncRun.State.APPLIED
    pat = Member.objects.for_tenant(company.tenant).get(email="pat.head@acme.com.hk")
    roles = {g.role.builtin for g in RoleGrant.objects.for_tenant(company.tenant).filter(member=pat)}
    assert roles == {"general_member", "department_manager"}
    link = SourceLink.objects.for_tenant(company.tenant).get(external_id=company.manager.employee_number)
    assert link.member_id == company.outsider.pk and link.situation == "linked"
    company.outsider.refresh_from_db()
    assert company.outsider.name == "Two Ways"
