"""Playwright (pytest-playwright) driving Debian's Chromium against pytest-django's live_server.

Chromium missing: the browser tests skip, or fail when REQUIRE_SERVICES=1 (CI). Every page is watched for
Content-Security-Policy violations and script errors; journeys save a screenshot of every main page to
test-artifacts/screenshots/<journey>/NN-<page>.png (git-ignored; $TEST_ARTIFACTS_DIR/screenshots/ when set), and a
390 px one beside it (NN-<page>-390.png).

Every page a journey shoots is also checked at 1366 px and 390 px (a phone), in the page's language and the
other one: the document is no wider than the viewport, and axe-core (vendored in tests/browser/vendor/) finds no
serious or critical violation."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# TEST_ARTIFACTS_DIR: another folder, for a run beside this one (.ci/run runs its two passes side by side).
SCREENSHOTS = Path(os.environ.get("TEST_ARTIFACTS_DIR") or ROOT / "test-artifacts") / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "zh-hans")
# The outermost elements that stick out past the viewport's right edge (not clipped by a scrolling ancestor).
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > edge && !clipped(e))
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= edge)
    .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className);
}"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the main thread; Django's ORM refuses to run beside one
    unless told that this is deliberate. Set from the first browser test on (they run last, see below), not
    at import: in the environment of the whole run it would leak into subprocesses such as
    ``check --deploy`` (async.E001)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_collection_modifyitems(items):
    """Mark the browser tests and run them last: once Playwright's loop exists, it stays until the session
    ends, and the ORM of every later test would refuse to run beside it."""
    here = str(Path(__file__).parent)
    browser = [item for item in items if str(item.fspath).startswith(here)]
    for item in browser:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if not str(item.fspath).startswith(here)] + browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": DESKTOP, "reduced_motion": "reduce"}


class Journey:
    """A browser page on the live server that numbers its screenshots and records CSP violations."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)
        # Every shot checks the page at two widths in two languages; a shared 2-core machine needs the room.
        page.set_default_timeout(20_000)

    def _console(self, message) -> None:
        # A page answering 403/404 on purpose logs "Failed to load resource"; subresources are checked below.
        if "Failed to load resource" in message.text:
            return
        # htmx logs a request it cancels on purpose (hx-sync: a newer estimate replaces one in flight) as two errors,
        # sendAbort and the afterRequest of the aborted request; whether that happens depends on timing. Requests
        # that fail on the server are still caught by _response (status >= 400), and the tests assert the page.
        if message.text.startswith(("htmx:sendAbort", "htmx:afterRequest")):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{message.type} on {self.page.url}: {message.text}")

    def _response(self, response) -> None:
        """Stylesheets, scripts, images and htmx requests must load (the browser asks for a favicon itself)."""
        kind = response.request.resource_type
        if response.status >= 400 and kind != "document" and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {kind} {response.url}")

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        """Screenshot the page at 1366 px and 390 px, and check it at both widths in both languages."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        language = self.page.locator("html").get_attribute("lang") or "en"
        self.problems += page_problems(self.page, f"{name} {language} 1366")
        self.page.set_viewport_size(PHONE)
        try:
            self.problems += page_problems(self.page, f"{name} {language} 390")
            self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-390.png"), full_page=True)
        finally:
            self.page.set_viewport_size(DESKTOP)
        self._check_other_language(name, language)
        return path

    def _check_other_language(self, name: str, language: str) -> None:
        """The same URL in the other language, in a second browser context holding a copy of this session's cookies
        (GET pages only). A second tab of the same context would share the language cookie, and a page that polls
        (the order page every 3 s) could swap in the other language while the cookie is switched."""
        other = next(code for code in LANGUAGES if code != language)
        context = self.page.context
        twin = context.browser.new_context(
            storage_state=context.storage_state(), locale="en-US", viewport=DESKTOP, reduced_motion="reduce"
        )
        twin.add_cookies([{"name": "django_language", "value": other, "url": self.base_url}])
        try:
            tab = twin.new_page()
            response = tab.goto(self.page.url)
            if response is None or response.status != 200:
                return
            self.problems += page_problems(tab, f"{name} {other} 1366")
            tab.set_viewport_size(PHONE)
            self.problems += page_problems(tab, f"{name} {other} 390")
            tab.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-{other}-390.png"), full_page=True)
        finally:
            twin.close()

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def page_problems(page, where: str) -> list[str]:
    """What is wrong with the page as shown: wider than the viewport, or serious/critical axe violations."""
    page.wait_for_load_state()
    problems = []
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        culprits = page.evaluate(OVERFLOWING)
        problems.append(f"{where}: document {widths[0]} px wide in a {widths[1]} px viewport ({culprits})")
    if not page.evaluate("typeof window.axe === 'object'"):
        # evaluate() runs outside the page's Content-Security-Policy, so no CSP exception is needed for axe.
        page.evaluate(AXE)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' '"
        " + (n.any.concat(n.all)[0] || {message: ''}).message).join(' | '))"
    )
    problems += [f"{where}: axe {violation}" for violation in violations]
    return problems


@pytest.fixture
def journey(page, live_server, request):
    """journey(name) -> a Journey; at the end no page may have violated the CSP or thrown a script error."""
    made: list[Journey] = []

    def make(name: str) -> Journey:
        made.append(Journey(page, live_server.url, name))
        return made[-1]

    yield make
    for one in made:
        one.assert_clean()


def log_in(journey: Journey, email: str, password: str) -> None:
    journey.goto("/accounts/login/")
    journey.page.get_by_label("Email").fill(email)
    journey.page.get_by_label("Password").fill(password)
    journey.page.get_by_role("button", name="Log in").click()


def signed_in_owner_of_a_pro_app(journey, name: str) -> Journey:
    """Org acme with the app chat on Pro; its owner (owner@acme.test) signed in. Returns the journey."""
    from apps.accounts.roles import Role
    from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
    from tests.applications.factories import AppFactory
    from tests.orders.factories import app_on_plan

    org = OrganizationFactory(name="acme")
    app_on_plan(AppFactory(organization=org, name="chat"), "pro")
    MembershipFactory(organization=org, role=Role.OWNER, user=UserFactory(email="owner@acme.test"))
    trip = journey(name)
    log_in(trip, "owner@acme.test", PASSWORD)
    return trip
