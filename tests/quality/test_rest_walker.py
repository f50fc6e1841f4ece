"""The REST walker: every route of the IM REST service (apps/im/urls.py), walked from the resolver, with every
method it serves: without a token → 401; with another app's app token → 401 and nothing of this app in the
answer; neither changes a row. The token endpoint authenticates with its body: a wrong one is refused."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.im.models import ImGroup, ImUser
from apps.im.services.auth import token_for_client
from tests.applications.factories import AppFactory
from tests.quality.world import row_counts

pytestmark = pytest.mark.django_db

PUBLIC = {"im:token"}  # authenticates with client_id / client_secret in the body
UNWALKED = {"im:not_found"}  # the catch-all: a JSON 404 for every other path


PARAMS: dict[str, tuple[str, ...]] = {}


def rest_routes() -> dict[str, tuple[str, ...]]:
    """im:<name> -> the HTTP methods its view serves."""
    found = {}

    def walk(patterns, namespaces):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, namespaces + ([entry.namespace] if entry.namespace else []))
            elif isinstance(entry, URLPattern) and namespaces[-1:] == ["im"]:
                found[f"im:{entry.name}"] = getattr(entry.callback, "rest_methods", ())
                PARAMS[f"im:{entry.name}"] = tuple(getattr(entry.pattern, "converters", {}))

    walk(get_resolver().url_patterns, [])
    return found


ROUTES = rest_routes()
CASES = [(name, method) for name, methods in sorted(ROUTES.items()) if name not in PUBLIC | UNWALKED
         for method in methods]


@pytest.fixture
def victim(db):
    app = AppFactory(name="victim")
    user = ImUser.objects.create(app=app, username="victim-user", password="x")
    group = ImGroup.objects.create(app=app, group_id="999999999999999", name="victim-group", maxusers=10,
                                   owner=user)
    return app, user, group


@pytest.fixture
def intruder_token(db):
    return token_for_client(app=(app := AppFactory(name="intruder")), client_id=app.client_id,
                            client_secret=app.client_secret).access_token


def url_for(name: str, app, user, group) -> str:
    kwargs = {"org_name": app.organization.name, "app_name": app.name}
    return reverse(name, kwargs={**kwargs, **_params(name, user, group)})


def _params(name, user, group) -> dict:
    """A value for each path parameter of the route besides org and app: the victim's user and group."""
    values = {"username": user.username, "group_id": group.group_id}
    return {key: values[key] for key in PARAMS[name] if key not in ("org_name", "app_name")}


BODIES = {"POST": {"username": "x", "password": "y", "groupname": "g", "public": True, "owner": "victim-user",
                   "to": ["victim-user"], "type": "txt", "body": {"msg": "hi"}, "usernames": ["victim-user"],
                   "msg_id": "1", "chat_type": "chat"},
          "PUT": {"newpassword": "z"}}


def call(method, url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().generic(method, url, json.dumps(BODIES.get(method, {})), content_type="application/json",
                            **headers)


def test_every_rest_route_is_walked():
    assert set(ROUTES) - PUBLIC - UNWALKED == {name for name, _method in CASES}
    assert all(ROUTES[name] for name in ROUTES if name not in UNWALKED)
    assert len(CASES) >= 18


@pytest.mark.parametrize(("name", "method"), CASES)
def test_no_token_is_401_and_changes_nothing(name, method, victim):
    before = row_counts()
    response = call(method, url_for(name, *victim))
    assert response.status_code == 401, response.content
    assert response.json()["error"] in {"unauthorized", "auth_bad_access_token"}
    assert "set-cookie" not in {key.lower() for key in response.headers}
    assert row_counts() == before


@pytest.mark.parametrize(("name", "method"), CASES)
def test_another_apps_token_is_401_and_shows_nothing(name, method, victim, intruder_token):
    before = row_counts()
    response = call(method, url_for(name, *victim), token=intruder_token)
    assert response.status_code == 401, response.content
    assert b"victim-user" not in response.content and b"victim-group" not in response.content
    assert victim[2].group_id.encode() not in response.content
    assert row_counts() == before


def test_the_token_endpoint_refuses_another_apps_credentials(victim):
    other = AppFactory(name="other")
    response = Client().post(url_for("im:token", *victim), {"grant_type": "client_credentials",
                                                            "client_id": other.client_id,
                                                            "client_secret": other.client_secret},
                             content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
