"""axe-core on every page the browser tests load: WCAG 2.0/2.1 levels A and AA; a violation fails the test.

axe-core comes from npm (package-lock.json, a devDependency: never served to users). The harness reads
node_modules/axe-core/axe.min.js from disk and adds it to each browser context as a Playwright init script, which
Chromium runs through the DevTools protocol, outside the site's Content-Security-Policy: the pages keep
`script-src 'self'` and users get nothing new.

In the page, the script runs axe at the `load` event of every top-level HTML document and reports through
console.debug (start, then the result). Python cannot evaluate in a page that is being left (DevTools holds its
messages until the next document commits), so the audit lets the page report by itself and a route holds each
main-frame navigation until the page being left has reported: every page is checked, also when a test clicks on
before `load`.
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
    # Our iframes show an evidence file (a user's PDF or photo), not our markup; the <iframe> element itself is
    # still checked (frame-title) as part of the page around it.
    "iframes": False,
}
PREFIX = "axe-audit:"
# What the gate sees: every request but our static files, which no test navigates to (Playwright matches the
# pattern in the browser, so a stylesheet or font never waits on a round trip to Python).
NAVIGABLE = re.compile(r"^(?!https?://[^/]+/static/)")
# How long a page may take to load and be checked before the audit reports it as not checked.
WAIT_SECONDS = 20
# How long a navigation away from a page is held for that page's report: less than a test's click timeout
# (15 s). Under load Chromium once held a leaving page's report until the next document committed, a wait that
# cannot end; that one page then goes unchecked rather than failing the journey (every page is also checked
# by the journeys that stop on it, through `finish`, which stays strict).
GATE_SECONDS = 8

# Top-level HTML documents only: frames hold evidence files, and about:blank or a PDF has no markup of ours.
RUNNER_JS = """
if (window === window.top && /^https?:$/.test(location.protocol) && document.contentType === "text/html") {
%(axe)s
;(() => {
  const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const say = (kind, data) => console.debug("%(prefix)s" + kind + " " + JSON.stringify({doc, ...data}));
  say("start", {url: location.href});
  const target = (node) => node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(", ");
  const run = () => window.axe.run(document, %(options)s).then(
    (results) => say("done", {
      url: location.href,
      violations: results.violations.map((v) => ({
        rule: v.id, impact: v.impact || "", help: v.help,
        nodes: v.nodes.map((n) => ({target: target(n), summary: n.failureSummary || ""})),
      })),
    }),
    (error) => say("error", {url: location.href, error: String(error)}),
  );
  let started = false;
  const once = () => started || ((started = true), run());
  const parsed = () => (document.readyState === "loading"
    ? document.addEventListener("DOMContentLoaded", once, {once: true}) : once());
  if (document.readyState === "complete") once();
  else window.addEventListener("load", once, {once: true});
  // Chromium stops a page's pending loads (`load` never comes) once the browser starts to leave it: leaving
  // through a link or a form checks the page as it stands, while the audit holds that navigation...
  window.navigation?.addEventListener("navigate", (event) => event.destination.sameDocument || parsed());
  // ...and a subresource that never finishes, or a page.goto() before `load`, does not leave it unchecked.
  document.addEventListener("DOMContentLoaded", () => setTimeout(once, 3000), {once: true});
})();
}
"""


@dataclass(frozen=True)
class Violation:
    """One element breaking one axe rule on one page."""

    url: str
    rule: str
    impact: str
    help: str
    target: str
    summary: str

    def __str__(self) -> str:
        summary = " ".join(self.summary.split())
        return f"{self.url}\n  {self.rule} ({self.impact}): {self.help}\n  at {self.target}\n  {summary}"


@dataclass
class _PageState:
    doc: str = ""  # the document the page shows now, as the runner named it
    url: str = ""
    done: bool = True


@dataclass
class AxeAudit:
    """Watches browser contexts and collects the WCAG violations of every page they load."""

    violations: dict[tuple[str, str, str], Violation] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    _pages: dict[Page, _PageState] = field(default_factory=dict)
    _contexts: list[BrowserContext] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Check every page this context loads from now on."""
        if context in self._contexts:
            return
        self._contexts.append(context)
        context.add_init_script(script=runner_script())
        context.on("console", self._on_console)
        context.route(NAVIGABLE, self._gate)

    def finish(self, context: BrowserContext) -> None:
        """Wait for the pages a context shows now: the last page of a test has no next navigation to wait for."""
        for page in context.pages:
            if page.is_closed():
                continue
            with suppress(PlaywrightError):  # still loading: _wait_for names it below
                page.wait_for_load_state("load", timeout=WAIT_SECONDS * 1000)
            self._wait_for(page, WAIT_SECONDS, strict=True)

    def report(self) -> str:
        """Empty when every page passed; otherwise one paragraph per violation, then the pages not checked."""
        parts = []
        if self.violations:
            found = "\n\n".join(str(v) for v in self.violations.values())
            parts.append(f"axe-core found {len(self.violations)} WCAG 2 A/AA violation(s):\n\n{found}")
        if self.errors:
            parts.append("The accessibility audit could not check every page:\n" + "\n".join(self.errors))
        return "\n\n".join(parts)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "debug" or not message.text.startswith(PREFIX) or message.page is None:
            return
        kind, _, payload = message.text[len(PREFIX) :].partition(" ")
        data = json.loads(payload)
        state = self._pages.setdefault(message.page, _PageState())
        if kind == "start":
            # A page that was left before it reported did not get far enough to be used by the test: the gate
            # below holds every navigation that starts after a document has announced itself.
            self._pages[message.page] = _PageState(doc=data["doc"], url=data["url"], done=False)
            return
        if data["doc"] != state.doc:
            return
        state.done = True
        if kind == "error":
            self.errors.append(f"axe-core failed on {data['url']}: {data['error']}")
            return
        self.checked.append(data["url"])
        for rule in data["violations"]:
            for node in rule["nodes"]:
                violation = Violation(data["url"], rule["rule"], rule["impact"], rule["help"], **node)
                self.violations.setdefault((violation.url, violation.rule, violation.target), violation)

    def _gate(self, route: Route) -> None:
        # Leaving a page: let it finish its check before the next document replaces it.
        try:
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._wait_for(request.frame.page, GATE_SECONDS, strict=False)
        finally:
            route.fallback()

    def _wait_for(self, page: Page, seconds: float, *, strict: bool) -> None:
        state = self._pages.get(page)
        if state is None or state.done or page.is_closed():
            return

        def ends(message: ConsoleMessage) -> bool:
            # The document reported, or it is gone (another one started on this page).
            return message.text.startswith(PREFIX) and (
                state.doc in message.text or message.text.startswith(f"{PREFIX}start ")
            )

        try:
            # A client-side wait: Playwright's loop keeps delivering the page's messages meanwhile.
            page.wait_for_event("console", ends, timeout=seconds * 1000)
        except PlaywrightTimeoutError:
            if strict:
                self.errors.append(f"axe-core did not finish on {state.url} within {seconds} s")
            state.done = True
        except PlaywrightError:
            pass  # the page closed: nothing left to check


@cache
def runner_script() -> str:
    """The init script: axe-core from node_modules and the runner around it (read once per test session)."""
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `make test` (npm ci installs axe-core).")
    axe = AXE_JS.read_text(encoding="utf-8")
    return RUNNER_JS % {"axe": axe, "prefix": PREFIX, "options": json.dumps(RUN_OPTIONS)}
