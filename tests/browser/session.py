"""A signed-in browser page for the console flow tests: the page records CSP violations and script errors
in ``problems``, which each test asserts empty at the end."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.browser.test_console_flow import REPORT_CSP_VIOLATIONS
from tests.factories import PASSWORD


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context in English that reports CSP violations to the page's console."""
    settings = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", **options}
    context = browser.new_context(**settings)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    return context


def sign_in(context: Any, base: str, email: str, problems: list[str]) -> Any:
    """A new page of ``context``, signed in with the test password and on the dashboard."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: problems.append(m.text) if "CSP" in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{base}/login/")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base}/")
    return page


def off_the_loop(work: Callable[[], Any]) -> Any:
    """Run database work in another thread: Playwright's event loop runs in this one."""
    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(work()))
    thread.start()
    thread.join()
    return done[0]
