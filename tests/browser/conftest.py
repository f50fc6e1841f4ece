"""Playwright (pytest-playwright) driving Debian's Chromium against pytest-django's live_server.

Chromium missing: the browser tests skip, or fail when REQUIRE_SERVICES=1 (CI). Every page is watched for
Content-Security-Policy violations and script errors; journeys save a screenshot of every main page to
test-artifacts/screenshots/<journey>/NN-<page>.png (git-ignored)."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1366, "height": 900}}


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
        page.set_default_timeout(10_000)

    def _console(self, message) -> None:
        # A page answering 403/404 on purpose logs "Failed to load resource"; subresources are checked below.
        if "Failed to load resource" in message.text:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{message.type}: {message.text}")

    def _response(self, response) -> None:
        """Stylesheets, scripts, images and htmx requests must load (the browser asks for a favicon itself)."""
        kind = response.request.resource_type
        if response.status >= 400 and kind != "document" and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {kind} {response.url}")

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        assert self.problems == [], self.problems


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
