"""A live server on a real socket and a plain HTTP client (requests), as an SDK or a curl user would call."""

import pytest
import redis
import requests

from apps.im import metering, ratelimit
from apps.sensitive_words.matcher import matchers
from tests.accounts.factories import OrganizationFactory
from tests.applications.factories import AppFactory
from tests.conftest import REDIS_REQUIRED, redis_url_for_tests

REDIS_URL = redis_url_for_tests(6)


def _clean_im_keys(client) -> None:
    for prefix in (metering.USAGE_KEY_PREFIX, metering.DAU_KEY_PREFIX, metering.APPS_KEY_PREFIX,
                   ratelimit.KEY_PREFIX):
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.fixture
def redis_url(settings, monkeypatch):
    """The service on a real Redis (REDIS_URL, or this worker's local db): rate-limit windows and usage counters
    cleared before and after. Skips without a server unless CI requires one."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        if REDIS_REQUIRED:
            raise
        pytest.skip("no Redis server")
    settings.REDIS_URL = REDIS_URL
    monkeypatch.setattr(ratelimit.redis_counter, "_down_until", 0.0)
    _clean_im_keys(client)
    yield client
    _clean_im_keys(client)


class Rest:
    """Calls ``{live_server}/rest/{org}/{app}/…`` with JSON, optionally with a Bearer token."""

    def __init__(self, base: str, app) -> None:
        self.base = base
        self.app = app
        self.token: str | None = None
        self.session = requests.Session()

    @property
    def root(self) -> str:
        return f"{self.base}/rest/{self.app.organization.name}/{self.app.name}"

    def call(self, method: str, path: str, *, json=None, data=None, token=..., headers=None, params=None):
        token = self.token if token is ... else token
        all_headers = {"Accept": "application/json", **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.root + path, json=json, data=data, headers=all_headers,
                                    params=params, timeout=10)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, **kw):
        return self.call("POST", path, **kw)

    def put(self, path, **kw):
        return self.call("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    def app_token(self) -> str:
        response = self.post("/token", token=None, json={
            "grant_type": "client_credentials", "client_id": self.app.client_id,
            "client_secret": self.app.client_secret,
        })
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def login(self) -> "Rest":
        self.token = self.app_token()
        return self

    def register(self, *names: str, password: str = "secret1"):
        response = self.post("/users", json=[{"username": name, "password": password} for name in names])
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(autouse=True)
def _empty_matcher_cache():
    matchers.clear()
    yield
    matchers.clear()


@pytest.fixture(autouse=True)
def _fresh_rate_windows():
    """App ids come back after a flush: no test inherits another's calls in the current second."""
    ratelimit.local_limiter.clear()
    yield
    ratelimit.local_limiter.clear()


@pytest.fixture
def im_app(transactional_db):
    return AppFactory(organization=OrganizationFactory(name="easemob-demo"), name="testapp")


@pytest.fixture
def other_app(transactional_db):
    return AppFactory(organization=OrganizationFactory(name="globex"), name="otherapp")


@pytest.fixture
def rest(live_server, im_app) -> Rest:
    return Rest(live_server.url, im_app)


@pytest.fixture
def admin(rest) -> Rest:
    """``rest`` holding an app token."""
    return rest.login()
