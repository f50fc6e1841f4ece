"""The URL walker: every URL pattern of the console, walked from the resolver, must have a sample in
tests/quality/samples.py, and then: anonymous visitors go to the login page (public pages excepted); a member
of another org, or of none, gets 404 on every org-scoped URL and another org's objects through their own org;
a role without the permission gets 403; a POST without a CSRF token is refused; and the role that may use
the page reaches it. Refused requests leave every table's row count as it was."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from apps.accounts.roles import Role, role_may
from tests.quality.samples import LOGIN, PUBLIC, SAMPLES, Sample, url_routes
from tests.quality.world import OrgWorld, World, row_counts

pytestmark = pytest.mark.django_db

ROUTES = url_routes()
NAMES = sorted(set(ROUTES) | set(SAMPLES))
ORG_NAMES = sorted(name for name, route in ROUTES.items() if route.org_scoped)
POST_NAMES = sorted(name for name in ROUTES if name in SAMPLES and "POST" in SAMPLES[name].methods)
ROLE_CASES = [
    (name, role)
    for name in ORG_NAMES if name in SAMPLES
    for role in Role.values
    if any(not role_may(role, SAMPLES[name].action_for(method)) for method in SAMPLES[name].methods)
]
LOGIN_PATH = "/accounts/login/"


def sample_for(name: str) -> Sample:
    if name not in SAMPLES:
        pytest.fail(f"{name} ({ROUTES[name].route}) has no sample in tests/quality/samples.py")
    if name not in ROUTES:
        pytest.fail(f"{name} has a sample but no URL pattern: remove it from tests/quality/samples.py")
    return SAMPLES[name]


def url_for(name: str, objects_of: OrgWorld, org_name: str | None = None) -> str:
    kwargs = SAMPLES[name].kwargs(objects_of)
    if ROUTES[name].org_scoped:
        kwargs["org_name"] = org_name or objects_of.org.name
    return reverse(name, kwargs=kwargs)


def send(client, method: str, url: str, data: dict):
    return client.get(url) if method == "GET" else client.post(url, data)


def allowed_user(world: World, sample: Sample, method: str):
    """Someone who may use the route with this method: None (anonymous) for public pages."""
    action = sample.action_for(method)
    if action is PUBLIC:
        return None
    if action == LOGIN:
        return world.acme.owner
    return next(world.acme.members[role] for role in Role.values if role_may(role, action))


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path == LOGIN_PATH


def describe(response) -> str:
    return f"{response.status_code} {response.get('Location', '')}"


def test_every_url_pattern_has_a_sample():
    missing = sorted(f"{name} ({ROUTES[name].route})" for name in set(ROUTES) - set(SAMPLES))
    stale = sorted(set(SAMPLES) - set(ROUTES))
    assert not missing, f"URL patterns without a sample in tests/quality/samples.py: {missing}"
    assert not stale, f"samples for URL names that no longer exist: {stale}"


def test_the_walker_covers_every_module_of_the_console():
    namespaces = {name.split(":")[0] for name in ROUTES if ":" in name}
    assert {"accounts", "applications", "features", "orders", "billing", "members", "audit", "plans"} <= namespaces
    assert len(ROUTES) >= 40


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_visitor_is_sent_to_the_login_page_unless_the_page_is_public(name, world, signed_in):
    sample = sample_for(name)
    url = url_for(name, world.acme)
    before = row_counts()
    for method in ("GET", "POST"):
        response = send(signed_in(None), method, url, sample.data(world.acme) if method == "POST" else {})
        if method not in sample.methods:
            assert response.status_code == 405 or is_login_redirect(response), (method, describe(response))
        elif sample.action_for(method) is PUBLIC:
            assert response.status_code < 500 and not is_login_redirect(response), (method, describe(response))
        else:
            assert is_login_redirect(response), (method, describe(response))
    if all(sample.action_for(method) is not PUBLIC for method in sample.methods):
        assert row_counts() == before


@pytest.mark.parametrize("name", ORG_NAMES)
def test_member_of_another_org_gets_404_and_changes_nothing(name, world, signed_in):
    sample = sample_for(name)
    acme_url = url_for(name, world.acme)
    # Another org's objects reached through one's own org: only for routes naming an object.
    smuggled_url = url_for(name, world.acme, org_name=world.globex.org.name) if sample.kwargs(world.acme) else None
    globex_member, outsider = signed_in(world.globex.owner), signed_in(world.outsider)
    cases = [(globex_member, acme_url), (outsider, acme_url)]
    if smuggled_url:
        cases.append((globex_member, smuggled_url))
    before = row_counts()
    for client, url in cases:
        for method in ("GET", "POST"):
            response = send(client, method, url, sample.data(world.acme) if method == "POST" else {})
            expected = {404} if method in sample.methods else {404, 405}
            assert response.status_code in expected, (method, url, describe(response))
    assert row_counts() == before


@pytest.mark.parametrize(("name", "role"), ROLE_CASES)
def test_role_without_the_permission_gets_403_and_changes_nothing(name, role, world, signed_in):
    sample = SAMPLES[name]
    url = url_for(name, world.acme)
    client = signed_in(world.acme.members[role])
    before = row_counts()
    for method in sample.methods:
        if role_may(role, sample.action_for(method)):
            continue
        response = send(client, method, url, sample.data(world.acme) if method == "POST" else {})
        assert response.status_code == 403, (method, describe(response))
    assert row_counts() == before


@pytest.mark.parametrize("name", POST_NAMES)
def test_post_without_a_csrf_token_is_refused(name, world, signed_in):
    sample = SAMPLES[name]
    client = signed_in(allowed_user(world, sample, "POST"), enforce_csrf_checks=True)
    url = url_for(name, world.acme)  # a sample may create the object it points at
    before = row_counts()
    response = client.post(url, sample.data(world.acme))
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert row_counts() == before


@pytest.mark.parametrize("name", NAMES)
def test_the_role_that_may_use_the_page_reaches_it(name, world, signed_in):
    """Also proves each sample points at a real object, so the 404s above are not vacuous."""
    sample = sample_for(name)
    url = url_for(name, world.acme)
    for method in sample.methods:
        client = signed_in(allowed_user(world, sample, method))
        before = row_counts()
        response = send(client, method, url, sample.data(world.acme) if method == "POST" else {})
        assert response.status_code in (200, 302), (method, describe(response))
        assert is_login_redirect(response) == sample.ends_on_login_page, (method, describe(response))
        after = row_counts()
        changed = {label for label in before if before[label] != after[label]}
        assert changed <= sample.writes | {"sessions.Session"}, (method, changed - sample.writes)
