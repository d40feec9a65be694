"""Real Chromium (Debian's package) driven by Playwright against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.axe_audit import AxeAudit
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the test body still talks to the ORM directly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without these, Chromium keeps trying to reach Google's services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium, or `make test`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AuditedBrowser:
    """The session's Chromium as one test sees it: every context it opens is watched by the test's axe audit
    and closed when the test ends. Everything else is the Playwright Browser itself."""

    def __init__(self, browser: Browser, audit: AxeAudit) -> None:
        self._browser = browser
        self._audit = audit
        self.contexts_opened: list[BrowserContext] = []

    def new_context(self, **options: Any) -> BrowserContext:
        # No CSS transitions: axe also checks a page at the moment a test clicks away from it, and a button caught
        # halfway through Bootstrap's colour transition measured 1.51:1. Bootstrap drops its transitions for
        # people who ask for reduced motion, so the check sees the colours a user sees at rest.
        options.setdefault("reduced_motion", "reduce")
        context = self._browser.new_context(**options)
        self._audit.watch(context)
        self.contexts_opened.append(context)
        return context

    def new_page(self, **options: Any) -> Page:
        return self.new_context(**options).new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def axe_audit() -> AxeAudit:
    return AxeAudit()


@pytest.fixture
def browser(chromium: Browser, axe_audit: AxeAudit) -> Iterator[Browser]:
    """Chromium for one test. Every page any of its contexts loads is checked with axe-core (WCAG 2.0/2.1 A and
    AA, tests/browser/axe_audit.py), and the test fails listing each violation: rule, element and why."""
    audited = AuditedBrowser(chromium, axe_audit)
    yield cast(Browser, audited)
    for context in audited.contexts_opened:
        try:
            axe_audit.finish(context)
            context.close()
        except PlaywrightError as exc:  # a context the test closed itself is fine; anything else is reported
            if "closed" not in str(exc):
                axe_audit.errors.append(f"closing a browser context: {exc}")
    if report := axe_audit.report():
        pytest.fail(report, pytrace=False)


def ours(message: ConsoleMessage) -> bool:
    """An error our page logged. Chromium's own PDF viewer (an extension frame inside an evidence preview) logs
    layout asserts ("Could not find page for Y position") when a full-page screenshot resizes it mid-load: the
    browser's code, not ours."""
    return message.type == "error" and not message.location.get("url", "").startswith(("chrome-extension:", "chrome:"))


@pytest.fixture
def page(browser: Browser, axe_audit: AxeAudit) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{msg.text} ({msg.location['url']})") if ours(msg) else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    axe_audit.finish(context)  # the last page, before the context (and the page with it) goes away
    context.close()
    # A CSP violation or a script error is a bug even when the page looks right.
    assert errors == [], errors


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
