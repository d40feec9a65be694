"""The axe-core audit every browser test runs (tests/browser/axe_audit.py): it runs under the site's CSP, catches a
violation, names it, and checks a page that the test leaves before its `load` event."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.axe_audit import AxeAudit
from tests.browser.conftest import log_in
from tests.conftest import World, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A page with two WCAG A violations (an image without a text alternative, a field without a label) and a link on.
BROKEN = (
    '<!doctype html><html lang="id"><head><title>Probe</title><link rel="stylesheet" href="/static/css/app.css">'
    '</head><body><main><h1>Probe</h1><img src="/static/favicon.svg"><input type="text" name="q">'
    '<a href="{next}">Lanjut</a><img src="/__probe/never.png" alt="Never arrives"></main></body></html>'
)
HELD: list[Route] = []  # requests for never.png, held until the test ends


@pytest.fixture
def probe(chromium: Browser) -> Iterator[tuple[BrowserContext, AxeAudit]]:
    """A context audited on its own, so the violations the probe pages carry on purpose do not fail this test."""
    context = chromium.new_context(locale="id-ID")
    audit = AxeAudit()
    audit.watch(context)
    yield context, audit
    for route in HELD:  # answered at last, so no request is left pending when the context closes
        with suppress(PlaywrightError):
            route.abort()
    HELD.clear()
    context.close()


def serve_broken_pages(context: BrowserContext, live_server_url: str) -> None:
    """Probe pages on the live server's origin, sent with the CSP our own pages carry."""
    csp = context.request.get(f"{live_server_url}/masuk/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]

    def broken(route: Route) -> None:
        html = BROKEN.format(next=f"{live_server_url}/masuk/")
        route.fulfill(status=200, body=html, headers={"Content-Type": "text/html", "Content-Security-Policy": csp})

    context.route(f"{live_server_url}/__probe/page/", broken)
    context.route(f"{live_server_url}/__probe/never.png", lambda route: HELD.append(route))  # no `load` event


def test_it_runs_under_the_sites_csp_and_names_each_violation(live_server, probe) -> None:
    context, audit = probe
    serve_broken_pages(context, live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/__probe/page/", wait_until="domcontentloaded")
    audit.finish(context)

    assert audit.checked == [f"{live_server.url}/__probe/page/"]
    assert {(v.rule, v.target) for v in audit.violations.values()} == {
        ("image-alt", 'img[src$="favicon.svg"]'),
        ("label", "input"),
    }
    report = audit.report()
    assert report.startswith("axe-core found 2 WCAG 2 A/AA violation(s)")
    assert f"{live_server.url}/__probe/page/\n  image-alt (critical): Images must have alternative text" in report
    assert "label (critical): Form elements must have labels\n  at input\n" in report
    assert "Fix any of the following" in report  # axe's own summary of what would fix it
    assert errors == []  # axe itself broke no CSP rule


def test_a_page_left_before_its_load_event_is_still_checked(live_server, probe) -> None:
    context, audit = probe
    serve_broken_pages(context, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/__probe/page/", wait_until="domcontentloaded")

    page.get_by_role("link", name="Lanjut").click()  # never.png keeps `load` from firing
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()
    audit.finish(context)

    assert audit.checked == [f"{live_server.url}/__probe/page/", f"{live_server.url}/masuk/"]
    assert {v.rule for v in audit.violations.values()} == {"image-alt", "label"}
    assert all(v.url.endswith("/__probe/page/") for v in audit.violations.values())


def test_every_page_of_every_context_a_test_opens_is_checked(
    live_server, world: World, page: Page, browser: Browser, axe_audit: AxeAudit
) -> None:
    log_in(page, live_server.url, "operator_a")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Laporan saya").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    other = browser.new_context(locale="id-ID").new_page()  # as the journeys open a second person's browser
    log_in(other, live_server.url, "coordinator")
    axe_audit.finish(page.context)
    axe_audit.finish(other.context)

    paths = [url.removeprefix(live_server.url) for url in axe_audit.checked]
    assert paths.count("/masuk/") == 2
    assert "/laporan/" in paths
    assert len(paths) == 5  # each person's log-in page and landing page, and the reports page
    assert axe_audit.violations == {}


@pytest.mark.parametrize("username", ["operator_a", "coordinator", "assessor", "root"])
def test_every_page_of_the_navigation_meets_wcag_2_aa_for_each_role(
    live_server, world: World, page: Page, axe_audit: AxeAudit, username: str
) -> None:
    if username == "root":
        make_user("root", is_superuser=True, is_staff=True)  # reaches the Django admin too
    log_in(page, live_server.url, username)
    links = page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", include_hidden=True)
    paths = list(dict.fromkeys(urlsplit(href).path for href in [link.get_attribute("href") for link in links.all()]))
    assert len(paths) >= 4
    visited = set()
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        visited.add(urlsplit(page.url).path)  # "/" redirects to the person's home page
    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    axe_audit.finish(page.context)

    assert {urlsplit(url).path for url in axe_audit.checked} >= visited
    # Any violation on these pages fails this test at teardown, with the rule, the element and axe's summary.
