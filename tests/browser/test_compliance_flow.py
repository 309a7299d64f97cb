"""A real browser runs a piece of the compliance programme: the officer drafts the Employee Conduct Policy
from Harbour's default text and publishes it to everyone, a member reads and acknowledges it from "My
policies", and the officer sees the conduct item on the compliance dashboard and downloads the report PDF."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from harbour.policies.models import Acknowledgement
from tests.browser.session import new_context, off_the_loop, sign_in
from tests.browser.test_console_flow import CHROMIUM, LAUNCH_ARGS
from tests.factories import make_company


@pytest.mark.browser
def test_officer_publishes_the_conduct_policy_and_prints_the_report(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    company = make_company("acme", domains=["acme.com.hk"])
    base = live_server.url
    shots = Path(os.environ.get("HARBOUR_SCREENSHOTS", str(tmp_path)))
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            officer = sign_in(new_context(browser), base, "admin@acme.com.hk", problems)
            nav = officer.get_by_role("navigation", name="Main")
            nav.get_by_role("link", name="Policies", exact=True).click()
            officer.get_by_role("button", name="Create a draft from the default text").click()
            officer.get_by_role("button", name="Save and publish…").click()
            expect(officer.get_by_label("Everyone in the company")).to_be_checked()
            officer.get_by_role("button", name="Publish and ask for acknowledgement").click()
            expect(officer.get_by_text("member(s) asked to acknowledge it")).to_be_visible()
            officer.screenshot(path=str(shots / "harbour-policy-published.png"), full_page=True)

            member = sign_in(new_context(browser), base, "gary@acme.com.hk", problems)
            member.get_by_role("navigation", name="Main").get_by_role("link", name="My policies").click()
            member.get_by_role("link", name="Read and acknowledge").first.click()
            expect(member.get_by_text("24 hours").first).to_be_visible()  # the default text's reporting rule
            member.get_by_role(
                "button", name="I have read and understood this policy, and will follow it"
            ).click()
            expect(member.get_by_text("Thank you: you acknowledged")).to_be_visible()
            acknowledged = off_the_loop(
                lambda: list(
                    Acknowledgement.objects.for_tenant(company.tenant).values_list("member__email", flat=True)
                )
            )
            assert acknowledged == ["gary@acme.com.hk"]

            nav.get_by_role("link", name="Compliance", exact=True).click()
            expect(officer.get_by_text("HB-GOV-CONDUCT").first).to_be_visible()
            officer.screenshot(path=str(shots / "harbour-compliance-dashboard.png"), full_page=True)
            with officer.expect_download(timeout=90_000) as downloaded:  # a cold font cache is slow once
                officer.get_by_role("link", name="Download PDF").click()
            pdf = Path(downloaded.value.path()).read_bytes()
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            assert "HB-GOV-CONDUCT" in text and "Evidence index" in text
        finally:
            browser.close()
    assert problems == []
